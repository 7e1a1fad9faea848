import * as React from 'react';
import { Button, Dialog, Field, Flex, SingleSelect, SingleSelectOption, TextInput, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import { OVERLAP_HOURS, type TokenUsage } from '../api';
import { useTranslate } from '../hooks/useTranslate';

type Rotated = { accessKey: string; previousKeyValidUntil: string | null };
type RotateDialogProps = {
  token: TokenUsage | null;
  onClose: () => void;
  onRotate: (token: TokenUsage, overlapHours: number) => Promise<Rotated | null>;
};

const OVERLAPS = [0, 1, OVERLAP_HOURS.default, 72, OVERLAP_HOURS.max];

/** Rotate a token: how long the current value keeps working, then the new value, shown once. */
export const RotateDialog = ({ token, onClose, onRotate }: RotateDialogProps) => {
  const t = useTranslate();
  const { formatDate } = useIntl();
  const [overlap, setOverlap] = React.useState<number>(OVERLAP_HOURS.default);
  const [rotating, setRotating] = React.useState(false);
  const [rotated, setRotated] = React.useState<Rotated | null>(null);

  React.useEffect(() => {
    setOverlap(OVERLAP_HOURS.default);
    setRotated(null);
  }, [token]);

  const rotate = async () => {
    if (!token) return;
    setRotating(true);
    setRotated(await onRotate(token, overlap));
    setRotating(false);
  };
  const hours = (count: number) => (count === 0 ? t('tokens.rotate.none', 'Stops at once') : t('tokens.rotate.hours', '{count, plural, one {# hour} other {# hours}}', { count }));

  return (
    <Dialog.Root open={token !== null} onOpenChange={(open) => !open && onClose()}>
      {token && (
        <Dialog.Content>
          <Dialog.Header>{t('tokens.rotate.title', 'Rotate {name}', { name: token.name })}</Dialog.Header>
          <Dialog.Body>
            {rotated ? (
              <Flex direction="column" alignItems="stretch" gap={3} width="100%">
                <Field.Root name="accessKey" id="ops-token-new-value" hint={t('tokens.rotate.once', 'Copy it now: it is not shown again.')}>
                  <Field.Label>{t('tokens.rotate.value', 'New token')}</Field.Label>
                  <TextInput value={rotated.accessKey} readOnly onFocus={(event: React.FocusEvent<HTMLInputElement>) => event.target.select()} />
                  <Field.Hint />
                </Field.Root>
                <Typography>
                  {rotated.previousKeyValidUntil
                    ? t('tokens.rotate.until', 'The previous value works until {time}.', { time: formatDate(rotated.previousKeyValidUntil, { dateStyle: 'medium', timeStyle: 'short' }) })
                    : t('tokens.rotate.stopped', 'The previous value no longer works.')}
                </Typography>
              </Flex>
            ) : (
              <Flex direction="column" alignItems="stretch" gap={3} width="100%">
                <Typography>{t('tokens.rotate.body', 'A new value replaces this token\u2019s. The partner using it switches to the new one while the current value keeps working.')}</Typography>
                <Field.Root name="overlap" id="ops-token-overlap">
                  <Field.Label>{t('tokens.rotate.overlap', 'The current value keeps working for')}</Field.Label>
                  <SingleSelect value={String(overlap)} onChange={(value) => setOverlap(Number(value))}>
                    {OVERLAPS.map((count) => (
                      <SingleSelectOption key={count} value={String(count)}>
                        {hours(count)}
                      </SingleSelectOption>
                    ))}
                  </SingleSelect>
                </Field.Root>
              </Flex>
            )}
          </Dialog.Body>
          <Dialog.Footer>
            {rotated ? (
              <Button fullWidth onClick={onClose}>
                {t('tokens.rotate.done', 'Done')}
              </Button>
            ) : (
              <>
                <Dialog.Cancel>
                  <Button fullWidth variant="tertiary">
                    {t('actions.cancel', 'Cancel')}
                  </Button>
                </Dialog.Cancel>
                <Button fullWidth loading={rotating} onClick={() => void rotate()}>
                  {t('tokens.rotate.action', 'Rotate')}
                </Button>
              </>
            )}
          </Dialog.Footer>
        </Dialog.Content>
      )}
    </Dialog.Root>
  );
};
