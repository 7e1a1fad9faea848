import * as React from 'react';
import { Button, Dialog, Field, Flex, TextInput, Typography } from '@strapi/design-system';
import { useTranslate } from '../hooks/useTranslate';

type EraseFanDialogProps = { documentId: string; onErase: (confirm: string) => Promise<boolean> };

/** Erasure cannot be undone: the person types the fan's id before the button does anything. */
export const EraseFanDialog = ({ documentId, onErase }: EraseFanDialogProps) => {
  const t = useTranslate();
  const [open, setOpen] = React.useState(false);
  const [typed, setTyped] = React.useState('');
  const [erasing, setErasing] = React.useState(false);
  const erase = async () => {
    setErasing(true);
    const done = await onErase(typed);
    setErasing(false);
    if (done) setOpen(false);
  };

  return (
    <Dialog.Root open={open} onOpenChange={(next) => { setOpen(next); setTyped(''); }}>
      <Dialog.Trigger>
        <Button variant="danger-light">{t('fans.erase', 'Erase this fan')}</Button>
      </Dialog.Trigger>
      <Dialog.Content>
        <Dialog.Header>{t('fans.eraseTitle', 'Erase this fan?')}</Dialog.Header>
        <Dialog.Body>
          <Flex direction="column" alignItems="stretch" gap={4} width="100%">
            <Typography>
              {t('fans.eraseWarning', 'Their number, email and history go for good. Votes still count, anonymously, and the number is never messaged again unless it opts in anew.')}
            </Typography>
            <Field.Root name="confirm" id="crm-erase-confirm" hint={t('fans.eraseHint', 'Type {id} to confirm.', { id: documentId })}>
              <Field.Label>{t('fans.eraseConfirm', 'The fan’s id')}</Field.Label>
              <TextInput value={typed} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setTyped(e.target.value)} autoComplete="off" />
              <Field.Hint />
            </Field.Root>
          </Flex>
        </Dialog.Body>
        <Dialog.Footer>
          <Dialog.Cancel>
            <Button fullWidth variant="tertiary">
              {t('fans.keep', 'Keep the fan')}
            </Button>
          </Dialog.Cancel>
          <Button fullWidth variant="danger" loading={erasing} disabled={typed !== documentId} onClick={() => void erase()}>
            {t('fans.eraseNow', 'Erase for good')}
          </Button>
        </Dialog.Footer>
      </Dialog.Content>
    </Dialog.Root>
  );
};
