import * as React from 'react';
import { Button, Checkbox, Dialog, Field, Flex, NumberInput } from '@strapi/design-system';
import { PER_MINUTE_MAX, type TokenUsage } from '../api';
import { useTranslate } from '../hooks/useTranslate';

type BudgetDialogProps = {
  token: TokenUsage | null;
  defaultPerMinute: number;
  onCancel: () => void;
  onSave: (token: TokenUsage, perMinute: number | null) => Promise<boolean>;
};

/** A token's requests a minute: its own number, or the default for every token. */
export const BudgetDialog = ({ token, defaultPerMinute, onCancel, onSave }: BudgetDialogProps) => {
  const t = useTranslate();
  const [useDefault, setUseDefault] = React.useState(true);
  const [perMinute, setPerMinute] = React.useState<number | undefined>(undefined);
  const [saving, setSaving] = React.useState(false);

  React.useEffect(() => {
    setUseDefault(!token?.customBudget);
    setPerMinute(token?.perMinute);
  }, [token]);

  const valid = useDefault || (perMinute !== undefined && Number.isInteger(perMinute) && perMinute >= 1 && perMinute <= PER_MINUTE_MAX);
  const save = async () => {
    if (!token || !valid) return;
    setSaving(true);
    const saved = await onSave(token, useDefault ? null : (perMinute as number));
    setSaving(false);
    if (saved) onCancel();
  };

  return (
    <Dialog.Root open={token !== null} onOpenChange={(open) => !open && onCancel()}>
      {token && (
        <Dialog.Content>
          <Dialog.Header>{t('tokens.budget.title', 'Budget of {name}', { name: token.name })}</Dialog.Header>
          <Dialog.Body>
            <Flex direction="column" alignItems="stretch" gap={4} width="100%">
              <Checkbox checked={useDefault} onCheckedChange={(checked) => setUseDefault(checked === true)}>
                {t('tokens.budget.default', 'The default: {perMinute} requests a minute', { perMinute: defaultPerMinute })}
              </Checkbox>
              <Field.Root
                name="perMinute"
                id="ops-token-budget"
                hint={t('tokens.budget.hint', 'Past it, requests get 429 with Retry-After until the minute is over.')}
                error={!valid ? t('tokens.budget.invalid', 'A whole number from 1 to {max}', { max: PER_MINUTE_MAX }) : undefined}
              >
                <Field.Label>{t('tokens.budget.label', 'Requests a minute')}</Field.Label>
                <NumberInput value={perMinute} disabled={useDefault} onValueChange={setPerMinute} step={1} />
                <Field.Error />
                <Field.Hint />
              </Field.Root>
            </Flex>
          </Dialog.Body>
          <Dialog.Footer>
            <Dialog.Cancel>
              <Button fullWidth variant="tertiary">
                {t('actions.cancel', 'Cancel')}
              </Button>
            </Dialog.Cancel>
            <Button fullWidth loading={saving} disabled={!valid} onClick={() => void save()}>
              {t('tokens.budget.save', 'Save budget')}
            </Button>
          </Dialog.Footer>
        </Dialog.Content>
      )}
    </Dialog.Root>
  );
};
