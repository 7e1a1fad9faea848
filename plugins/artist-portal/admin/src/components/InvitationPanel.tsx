import { Box, Button, Field, Flex, SingleSelect, SingleSelectOption, TextInput, Typography } from '@strapi/design-system';
import { useFetchClient, useNotification } from '@strapi/strapi/admin';
import { useEffect, useState } from 'react';
import type { InvitationChannel, InvitationSummary, Language } from '../../../shared/contracts';
import { PLUGIN_ID } from '../plugin-id';

type PanelProps = { model: string; documentId?: string };

const STATUS_LABEL: Record<InvitationSummary['artist']['claimStatus'], string> = {
  unclaimed: 'Not claimed: no account speaks for this artist yet.',
  invited: 'Invited: waiting for the artist to claim.',
  claimed: 'Claimed: the artist manages this profile.',
};

function InvitationForm({ documentId }: { documentId: string }) {
  const { get, post } = useFetchClient();
  const { toggleNotification } = useNotification();
  const [summary, setSummary] = useState<InvitationSummary | null>(null);
  const [channel, setChannel] = useState<InvitationChannel>('email');
  const [language, setLanguage] = useState<Language>('en');
  const [to, setTo] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [sending, setSending] = useState(false);

  useEffect(() => {
    get<{ data: InvitationSummary }>(`/${PLUGIN_ID}/artists/${documentId}/invitation`)
      .then((response) => setSummary(response.data.data))
      .catch(() => setSummary(null));
  }, [documentId]);

  async function invite() {
    setSending(true);
    setProblem(null);
    try {
      const response = await post<{ data: InvitationSummary }>(`/${PLUGIN_ID}/artists/${documentId}/invitations`, { channel, to, language });
      setSummary(response.data.data);
      setTo('');
      toggleNotification({ type: 'success', message: 'Invitation sent' });
    } catch (error) {
      const message = (error as { response?: { data?: { error?: { message?: string } } } }).response?.data?.error?.message;
      setProblem(message ?? 'The invitation could not be sent');
    } finally {
      setSending(false);
    }
  }

  if (!summary) return <Typography variant="pi">Loading…</Typography>;
  const live = summary.invitation;
  return (
    <Flex direction="column" alignItems="stretch" gap={3} width="100%">
      <Typography variant="pi" data-testid="claim-status">
        {STATUS_LABEL[summary.artist.claimStatus]}
      </Typography>
      {live && (
        <Typography variant="pi" textColor="neutral600">
          {`Link sent by ${live.channel === 'sms' ? 'SMS' : 'email'} to ${live.recipient}, valid until ${new Date(live.expiresAt).toLocaleString()}.`}
        </Typography>
      )}
      {summary.artist.claimStatus !== 'claimed' && (
        // Not a <form>: the panel sits inside the edit view's own form, and forms cannot nest.
        <Box role="group" aria-label="Invite the artist">
          <Flex direction="column" alignItems="stretch" gap={2}>
            <Field.Root name="invite-channel">
              <Field.Label>Send by</Field.Label>
              <SingleSelect value={channel} onChange={(value: string | number) => setChannel(value as InvitationChannel)}>
                <SingleSelectOption value="email">Email</SingleSelectOption>
                <SingleSelectOption value="sms">SMS</SingleSelectOption>
              </SingleSelect>
            </Field.Root>
            <Field.Root name="invite-to" error={problem ?? undefined} required>
              <Field.Label>{channel === 'sms' ? 'Phone number (+15551234567)' : 'Email address'}</Field.Label>
              <TextInput value={to} onChange={(event: { target: { value: string } }) => setTo(event.target.value)} type={channel === 'sms' ? 'tel' : 'email'} />
              <Field.Error />
            </Field.Root>
            <Field.Root name="invite-language">
              <Field.Label>Language of the message</Field.Label>
              <SingleSelect value={language} onChange={(value: string | number) => setLanguage(value as Language)}>
                <SingleSelectOption value="en">English</SingleSelectOption>
                <SingleSelectOption value="es">Español</SingleSelectOption>
              </SingleSelect>
            </Field.Root>
            <Button type="button" onClick={invite} loading={sending} fullWidth>
              {live ? 'Send a new link (revokes the old one)' : 'Invite the artist'}
            </Button>
          </Flex>
        </Box>
      )}
    </Flex>
  );
}

/** The artist edit view's side panel: claim status, the live invitation, and the form that sends one. */
export const InvitationPanel = ({ model, documentId }: PanelProps) => {
  if (model !== 'api::artist.artist' || !documentId) return null;
  return { title: 'Artist account', content: <InvitationForm documentId={documentId} /> };
};
