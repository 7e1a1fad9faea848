import { Box, Button, EmptyStateLayout, Flex, Typography } from '@strapi/design-system';
import { Layouts, Page, useFetchClient, useNotification } from '@strapi/strapi/admin';
import { useCallback, useEffect, useState } from 'react';
import type { PendingChange, ProfileFields } from '../../../shared/contracts';
import { PLUGIN_ID } from '../plugin-id';

function Fields({ label, fields }: { label: string; fields: ProfileFields }) {
  return (
    <Box flex="1" padding={3} background="neutral100" hasRadius>
      <Typography variant="sigma">{label}</Typography>
      <dl>
        <dt><Typography fontWeight="bold">Bio (English)</Typography></dt>
        <dd><Typography>{fields.bio.en ?? '—'}</Typography></dd>
        <dt><Typography fontWeight="bold">Bio (Spanish)</Typography></dt>
        <dd><Typography>{fields.bio.es ?? '—'}</Typography></dd>
        <dt><Typography fontWeight="bold">Genre</Typography></dt>
        <dd><Typography>{fields.genre ?? '—'}</Typography></dd>
        <dt><Typography fontWeight="bold">Links</Typography></dt>
        <dd>
          {fields.links.length === 0 ? <Typography>—</Typography> : fields.links.map((link) => <Typography key={link.url} tag="p">{`${link.platform}: ${link.url}`}</Typography>)}
        </dd>
        <dt><Typography fontWeight="bold">Picture</Typography></dt>
        <dd>{fields.avatar ? <img src={fields.avatar.url} alt="" width={96} height={96} /> : <Typography>—</Typography>}</dd>
      </dl>
    </Box>
  );
}

/** Changes artists proposed on the site, next to what is published; an editor publishes or rejects each. */
const PendingChangesPage = () => {
  const { get, post } = useFetchClient();
  const { toggleNotification } = useNotification();
  const [changes, setChanges] = useState<PendingChange[] | null>(null);
  const [failed, setFailed] = useState(false);

  const load = useCallback(() => {
    get<{ data: PendingChange[] }>(`/${PLUGIN_ID}/changes`)
      .then((response) => setChanges(response.data.data))
      .catch(() => setFailed(true));
  }, [get]);
  useEffect(load, [load]);

  async function decide(id: number, decision: 'publish' | 'reject') {
    try {
      await post(`/${PLUGIN_ID}/changes/${id}/${decision}`, {});
      toggleNotification({ type: 'success', message: decision === 'publish' ? 'Published' : 'Rejected' });
    } catch (error) {
      const message = (error as { response?: { data?: { error?: { message?: string } } } }).response?.data?.error?.message;
      toggleNotification({ type: 'danger', message: message ?? 'That did not work' });
    }
    load();
  }

  if (failed) return <Page.Error />;
  if (!changes) return <Page.Loading />;
  return (
    <Page.Main>
      <Page.Title>Artist changes</Page.Title>
      <Layouts.Header title="Artist changes" subtitle="What artists changed on their profiles, waiting for an editor. Nothing reaches the site before it is published here." />
      <Layouts.Content>
        {changes.length === 0 ? (
          <EmptyStateLayout content="No changes waiting" />
        ) : (
          <Flex direction="column" alignItems="stretch" gap={6}>
            {changes.map((change) => (
              <Box key={change.id} tag="section" aria-label={change.artist.name} padding={4} background="neutral0" shadow="tableShadow" hasRadius>
                <Flex justifyContent="space-between" paddingBottom={3}>
                  <Typography variant="delta" tag="h2">
                    {change.artist.name}
                  </Typography>
                  <Flex gap={2}>
                    <Button variant="danger-light" onClick={() => decide(change.id, 'reject')}>
                      Reject
                    </Button>
                    <Button onClick={() => decide(change.id, 'publish')}>Publish</Button>
                  </Flex>
                </Flex>
                <Flex gap={4} alignItems="flex-start">
                  <Fields label="Published now" fields={change.current} />
                  <Fields label="Proposed" fields={change} />
                </Flex>
              </Box>
            ))}
          </Flex>
        )}
      </Layouts.Content>
    </Page.Main>
  );
};

export default PendingChangesPage;
