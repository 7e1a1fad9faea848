import * as React from 'react';
import { Button, Dialog, Typography } from '@strapi/design-system';
import { Message, WarningCircle } from '@strapi/icons';
import type { Round } from '../api';
import { useResendRound } from '../hooks/useResendRound';
import { useTranslate } from '../hooks/useTranslate';

type ResendNotificationsProps = {
  round: Round;
  /** Another action is under way on the page. */
  disabled: boolean;
  onResent?: () => Promise<void>;
};

/** "Re-send to fans not reached" for an open round, after a confirmation. */
export const ResendNotifications = ({ round, disabled, onResent }: ResendNotificationsProps) => {
  const t = useTranslate();
  const [confirming, setConfirming] = React.useState(false);
  const { pending, resend } = useResendRound(onResent);

  return (
    <>
      <Button
        size="S"
        variant="tertiary"
        startIcon={<Message />}
        disabled={disabled || pending !== null}
        loading={pending === round.documentId}
        onClick={() => setConfirming(true)}
      >
        {t('notifications.resend', 'Re-send to fans not reached')}
      </Button>
      <Dialog.Root open={confirming} onOpenChange={setConfirming}>
        <Dialog.Content>
          <Dialog.Header>{t('notifications.resend.confirm.title', 'Text round {number} again?', { number: round.number })}</Dialog.Header>
          <Dialog.Body icon={<WarningCircle fill="danger600" width="2.4rem" height="2.4rem" />}>
            <Typography textAlign="center">
              {t(
                'notifications.resend.confirm.body',
                'Fans who joined but were never texted, and fans whose message failed, get their voting link now. Fans who opted out are not texted.'
              )}
            </Typography>
          </Dialog.Body>
          <Dialog.Footer>
            <Dialog.Cancel>
              <Button fullWidth variant="tertiary">
                {t('actions.cancel', 'Cancel')}
              </Button>
            </Dialog.Cancel>
            <Dialog.Action>
              <Button
                fullWidth
                onClick={() => {
                  setConfirming(false);
                  void resend(round);
                }}
              >
                {t('notifications.resend.confirm.action', 'Re-send')}
              </Button>
            </Dialog.Action>
          </Dialog.Footer>
        </Dialog.Content>
      </Dialog.Root>
    </>
  );
};
