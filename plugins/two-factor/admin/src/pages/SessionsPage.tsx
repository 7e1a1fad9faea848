import * as React from 'react';
import { Box, Button, Flex, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { Layouts, Page, useFetchClient } from '@strapi/strapi/admin';
import type { SessionEntry } from '../../../shared/contracts';
import { messageOf } from '../utils/errors';

const when = (iso?: string) => (iso ? new Date(iso).toLocaleString() : '—');

/**
 * The signed-in admin's sessions with the device, the (masked) address each signed in from and its
 * last use, and a way to end any but this one. Core's *Active devices* page shows no address, which
 * is what tells a person that a session is not theirs.
 */
const SessionsPage = () => {
  const { get, del } = useFetchClient();
  const [sessions, setSessions] = React.useState<SessionEntry[] | null>(null);
  const [error, setError] = React.useState<string | null>(null);

  const load = React.useCallback(async () => setSessions((await get<{ data: SessionEntry[] }>('/admin/users/me/sessions')).data.data), [get]);
  React.useEffect(() => {
    load().catch((failure) => setError(messageOf(failure)));
  }, [load]);

  const end = async (session: SessionEntry) => {
    setError(null);
    try {
      await del(`/admin/users/me/sessions/${encodeURIComponent(session.id)}`);
      await load();
    } catch (failure) {
      setError(messageOf(failure));
    }
  };

  return (
    <Page.Main>
      <Page.Title>Sessions</Page.Title>
      <Layouts.Header title="Sessions" subtitle="Where your account is signed in. End any session you do not recognise." />
      <Layouts.Content>
        <Box background="neutral0" hasRadius shadow="filterShadow" padding={6}>
          <Flex direction="column" alignItems="stretch" gap={4}>
            {error && (
              <Typography role="alert" textColor="danger600">
                {error}
              </Typography>
            )}
            {sessions && (
              <Table colCount={5} rowCount={sessions.length + 1}>
                <Thead>
                  <Tr>
                    <Th><Typography variant="sigma">Device</Typography></Th>
                    <Th><Typography variant="sigma">Address</Typography></Th>
                    <Th><Typography variant="sigma">Signed in</Typography></Th>
                    <Th><Typography variant="sigma">Last used</Typography></Th>
                    <Th><Typography variant="sigma">Action</Typography></Th>
                  </Tr>
                </Thead>
                <Tbody>
                  {sessions.map((session) => (
                    <Tr key={session.id} data-testid="session-row">
                      <Td><Typography>{session.deviceName ?? 'Unknown device'}</Typography></Td>
                      <Td><Typography>{session.ip ?? '—'}</Typography></Td>
                      <Td><Typography>{when(session.loginAt)}</Typography></Td>
                      <Td><Typography>{when(session.lastActiveAt)}</Typography></Td>
                      <Td>
                        {session.current ? (
                          <Typography textColor="success600">This session</Typography>
                        ) : (
                          <Button variant="danger-light" size="S" onClick={() => end(session)}>
                            Sign out
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
      </Layouts.Content>
    </Page.Main>
  );
};

export { SessionsPage };
export default SessionsPage;
