import { Button, Dialog, Flex, Typography } from '@strapi/design-system';
import { Key } from '@strapi/icons';
import { useTranslate } from '../hooks/useTranslate';

/** The signing secret, shown this once (after creating a subscription or rotating its secret). */
export const SecretDialog = ({ secret, onClose }: { secret: string | null; onClose: () => void }) => {
  const t = useTranslate();
  return (
    <Dialog.Root open={secret !== null} onOpenChange={(open) => !open && onClose()}>
      {secret && (
        <Dialog.Content>
          <Dialog.Header>{t('secret.title', 'Signing secret')}</Dialog.Header>
          <Dialog.Body icon={<Key width="2.4rem" height="2.4rem" />}>
            <Flex direction="column" gap={2}>
              <Typography textAlign="center">{t('secret.body', 'Copy it now and give it to the partner: it is not shown again.')}</Typography>
              <Typography tag="code" fontWeight="semiBold" data-testid="webhook-secret" style={{ wordBreak: 'break-all' }}>
                {secret}
              </Typography>
            </Flex>
          </Dialog.Body>
          <Dialog.Footer>
            <Dialog.Action>
              <Button fullWidth onClick={onClose}>
                {t('secret.done', 'I have copied it')}
              </Button>
            </Dialog.Action>
          </Dialog.Footer>
        </Dialog.Content>
      )}
    </Dialog.Root>
  );
};
