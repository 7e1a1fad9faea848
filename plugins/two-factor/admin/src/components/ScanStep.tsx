import * as React from 'react';
import { Button, Field, Flex, TextInput, Typography } from '@strapi/design-system';
import type { Enrolment } from '../../../shared/contracts';

/** The QR code and the secret as text, then the first code from the app. */
export function ScanStep({ enrolment, confirm }: { enrolment: Enrolment; confirm: (code: string) => void }) {
  const [code, setCode] = React.useState('');
  return (
    <Flex direction="column" alignItems="stretch" gap={4}>
      <Typography>Scan this code with your authenticator app, or type the secret into it, then enter the 6 digits it shows.</Typography>
      <img src={enrolment.qrCode} alt="QR code for your authenticator app" width={200} height={200} />
      <Field.Root name="secret">
        <Field.Label>Secret</Field.Label>
        <TextInput readOnly value={enrolment.secret} data-testid="two-factor-secret" />
      </Field.Root>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          confirm(code.trim());
        }}
      >
        <Flex gap={2} alignItems="flex-end">
          <Field.Root name="first-code" required>
            <Field.Label>Code from the app</Field.Label>
            <TextInput autoComplete="one-time-code" inputMode="numeric" value={code} onChange={(event: React.ChangeEvent<HTMLInputElement>) => setCode(event.target.value)} />
          </Field.Root>
          <Button type="submit" disabled={code.trim().length !== 6}>
            Turn on
          </Button>
        </Flex>
      </form>
    </Flex>
  );
}
