import { Button, Dialog, Flex, Typography } from '@strapi/design-system';
import { WarningCircle } from '@strapi/icons';
import type { JobRow } from '../api';
import { useTranslate } from '../hooks/useTranslate';

type RetryDialogProps = {
  /** The job to confirm, or null when the dialog is closed. */
  job: JobRow | null;
  onCancel: () => void;
  onConfirm: (job: JobRow) => void;
};

/** "Retry job 12?": what a retry does, and for a text message, that a fan may get it twice. */
export const RetryDialog = ({ job, onCancel, onConfirm }: RetryDialogProps) => {
  const t = useTranslate();
  return (
    <Dialog.Root open={job !== null} onOpenChange={(open) => !open && onCancel()}>
      {job && (
        <Dialog.Content>
          <Dialog.Header>{t('retry.confirm.title', 'Retry job {id}?', { id: job.id })}</Dialog.Header>
          <Dialog.Body icon={<WarningCircle fill="danger600" width="2.4rem" height="2.4rem" />}>
            <Flex direction="column" gap={2}>
              <Typography textAlign="center">
                {t('retry.confirm.body', '{name} goes back to the queue with fresh attempts and runs again soon.', { name: job.name })}
              </Typography>
              {job.name === 'message.send' && (
                <Typography textAlign="center" fontWeight="semiBold">
                  {t('retry.confirm.message', 'An earlier attempt may have reached the recipient: they may get this message twice.')}
                </Typography>
              )}
            </Flex>
          </Dialog.Body>
          <Dialog.Footer>
            <Dialog.Cancel>
              <Button fullWidth variant="tertiary">
                {t('actions.cancel', 'Cancel')}
              </Button>
            </Dialog.Cancel>
            <Dialog.Action>
              <Button fullWidth onClick={() => onConfirm(job)}>
                {t('retry.confirm.action', 'Retry now')}
              </Button>
            </Dialog.Action>
          </Dialog.Footer>
        </Dialog.Content>
      )}
    </Dialog.Root>
  );
};
