import * as React from 'react';
import { Box, Button, Checkbox, Flex, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { useFetchClient } from '@strapi/strapi/admin';
import type { AdminFactorEntry, TwoFactorSettings } from '../../../shared/contracts';
import { messageOf, statusOf } from '../utils/errors';


/**
 * For super admins (each part shows only with its permission): the roles that must use two-factor
 * sign-in, and every admin's state with a reset for one who lost their phone and codes.
 */
export function TeamSection({ me }: { me: number | undefined }) {
  const { get, put, del } = useFetchClient();
  const [settings, setSettings] = React.useState<TwoFactorSettings | null>(null);
  const [chosen, setChosen] = React.useState<string[]>([]);
  const [admins, setAdmins] = React.useState<AdminFactorEntry[] | null>(null);
  const [notice, setNotice] = React.useState<{ error: boolean; text: string } | null>(null);

  const loadAdmins = React.useCallback(async () => setAdmins((await get<{ data: AdminFactorEntry[] }>('/two-factor/users')).data.data), [get]);
  React.useEffect(() => {
    // A 403 means this admin may not: the part stays hidden.
    const hiddenIfForbidden = (failure: unknown) => (statusOf(failure) === 403 ? undefined : setNotice({ error: true, text: messageOf(failure) }));
    get<{ data: TwoFactorSettings }>('/two-factor/settings')
      .then(({ data }) => (setSettings(data.data), setChosen(data.data.requiredRoles)))
      .catch(hiddenIfForbidden);
    loadAdmins().catch(hiddenIfForbidden);
  }, [get, loadAdmins]);

  const act = async (task: () => Promise<string>) => {
    setNotice(null);
    try {
      setNotice({ error: false, text: await task() });
    } catch (failure) {
      setNotice({ error: true, text: messageOf(failure) });
    }
  };
  if (!settings && !admins) return null;

  return (
    <Box background="neutral0" hasRadius shadow="filterShadow" padding={6} marginTop={6}>
      <Flex direction="column" alignItems="stretch" gap={4}>
        <Typography variant="delta" tag="h2">
          Everyone's two-factor sign-in
        </Typography>
        {notice && (
          <Typography role={notice.error ? 'alert' : 'status'} textColor={notice.error ? 'danger600' : 'success600'}>
            {notice.text}
          </Typography>
        )}
        {settings && (
          <Flex direction="column" alignItems="stretch" gap={2} tag="fieldset">
            <Typography variant="sigma" tag="legend">
              Roles that must use two-factor sign-in
            </Typography>
            {settings.fromEnvironment && <Typography textColor="neutral600">Set by TWO_FACTOR_REQUIRED_ROLES until saved here.</Typography>}
            {settings.roles.map((role) => (
              <Checkbox
                key={role.code}
                checked={chosen.includes(role.code)}
                onCheckedChange={(checked) => setChosen((current) => (checked === true ? [...current, role.code] : current.filter((code) => code !== role.code)))}
              >
                {role.name}
              </Checkbox>
            ))}
            <Box>
              <Button
                variant="secondary"
                onClick={() =>
                  act(async () => {
                    const { data } = await put<{ data: TwoFactorSettings }>('/two-factor/settings', { requiredRoles: chosen });
                    setSettings(data.data);
                    return 'Required roles saved';
                  })
                }
              >
                Save required roles
              </Button>
            </Box>
          </Flex>
        )}
        {admins && (
          <Table colCount={4} rowCount={admins.length + 1}>
            <Thead>
              <Tr>
                <Th><Typography variant="sigma">Admin</Typography></Th>
                <Th><Typography variant="sigma">Roles</Typography></Th>
                <Th><Typography variant="sigma">Two-factor</Typography></Th>
                <Th><Typography variant="sigma">Action</Typography></Th>
              </Tr>
            </Thead>
            <Tbody>
              {admins.map((admin) => (
                <Tr key={admin.id} data-testid="two-factor-admin">
                  <Td><Typography>{admin.name} ({admin.email})</Typography></Td>
                  <Td><Typography>{admin.roles.join(', ')}</Typography></Td>
                  <Td><Typography>{admin.enrolled ? 'On' : 'Off'}</Typography></Td>
                  <Td>
                    {admin.enrolled && admin.id !== me && (
                      <Button
                        variant="danger-light"
                        size="S"
                        onClick={() =>
                          act(async () => {
                            await del(`/two-factor/users/${admin.id}`);
                            await loadAdmins();
                            return `Two-factor sign-in reset for ${admin.email}: they sign in with the password alone until they enrol again`;
                          })
                        }
                      >
                        Reset
                      </Button>
                    )}
                  </Td>
                </Tr>
              ))}
            </Tbody>
          </Table>
        )}
      </Flex>
    </Box>
  );
}
