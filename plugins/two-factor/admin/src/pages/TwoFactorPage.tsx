import * as React from 'react';
import { Box, Button, Field, Flex, Grid, TextInput, Typography } from '@strapi/design-system';
import { Layouts, Page, useFetchClient } from '@strapi/strapi/admin';
import type { Enrolment, RecoveryCodes, TwoFactorStatus } from '../../../shared/contracts';

type Step =
  | { kind: 'loading' }
  | { kind: 'off' }
  | { kind: 'scan'; enrolment: Enrolment }
  | { kind: 'codes'; codes: string[] }
  | { kind: 'on'; status: TwoFactorStatus };

const messageOf = (error: unknown) =>
  (error as { response?: { data?: { error?: { message?: string } } } }).response?.data?.error?.message ?? (error as Error).message;

/** The signed-in admin's two-factor sign-in: enrol (QR code, secret, first code), recovery codes once, turn off. */
const TwoFactorPage = () => {
  const { get, post } = useFetchClient();
  const [step, setStep] = React.useState<Step>({ kind: 'loading' });
  const [error, setError] = React.useState<string | null>(null);

  const load = React.useCallback(async () => {
    const { data } = await get<{ data: TwoFactorStatus }>('/two-factor/me');
    setStep(data.data.enrolled ? { kind: 'on', status: data.data } : { kind: 'off' });
  }, [get]);
  React.useEffect(() => {
    load().catch((failure) => setError(messageOf(failure)));
  }, [load]);

  const act = async (task: () => Promise<void>) => {
    setError(null);
    try {
      await task();
    } catch (failure) {
      setError(messageOf(failure));
    }
  };

  return (
    <Page.Main>
      <Page.Title>Two-factor sign-in</Page.Title>
      <Layouts.Header title="Two-factor sign-in" subtitle="A code from an authenticator app after your password" />
      <Layouts.Content>
        <Box background="neutral0" hasRadius shadow="filterShadow" padding={6}>
          <Flex direction="column" alignItems="stretch" gap={4}>
            {error && (
              <Typography role="alert" textColor="danger600">
                {error}
              </Typography>
            )}
            {step.kind === 'off' && (
              <>
                <Typography>Two-factor sign-in is off for your account.</Typography>
                <Box>
                  <Button onClick={() => act(async () => setStep({ kind: 'scan', enrolment: (await post<{ data: Enrolment }>('/two-factor/me/enrol', {})).data.data }))}>
                    Set up two-factor sign-in
                  </Button>
                </Box>
              </>
            )}
            {step.kind === 'scan' && <Scan enrolment={step.enrolment} confirm={(code) => act(async () => setStep({ kind: 'codes', codes: (await post<{ data: RecoveryCodes }>('/two-factor/me/confirm', { code })).data.data.recoveryCodes }))} />}
            {step.kind === 'codes' && <Codes codes={step.codes} finish={() => act(load)} />}
            {step.kind === 'on' && (
              <TurnOff
                status={step.status}
                renew={(password, code) => act(async () => setStep({ kind: 'codes', codes: (await post<{ data: RecoveryCodes }>('/two-factor/me/recovery-codes', { password, code })).data.data.recoveryCodes }))}
                off={(password, code) => act(async () => (await post('/two-factor/me/disable', { password, code }), setStep({ kind: 'off' })))}
              />
            )}
          </Flex>
        </Box>
      </Layouts.Content>
    </Page.Main>
  );
};

function Scan({ enrolment, confirm }: { enrolment: Enrolment; confirm: (code: string) => void }) {
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

function Codes({ codes, finish }: { codes: string[]; finish: () => void }) {
  const text = `${codes.join('\n')}\n`;
  const download = () => {
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
    link.download = 'ovation-recovery-codes.txt';
    link.click();
    URL.revokeObjectURL(link.href);
  };
  return (
    <Flex direction="column" alignItems="stretch" gap={4}>
      <Typography>Keep these recovery codes somewhere safe. Each signs you in once if you lose your phone. They are shown only now.</Typography>
      <Grid.Root gap={2} tag="ul" aria-label="Recovery codes">
        {codes.map((code) => (
          <Grid.Item key={code} col={6} tag="li">
            <Typography style={{ fontFamily: "monospace" }}>{code}</Typography>
          </Grid.Item>
        ))}
      </Grid.Root>
      <Flex gap={2}>
        <Button variant="secondary" onClick={() => navigator.clipboard?.writeText(text)}>
          Copy
        </Button>
        <Button variant="secondary" onClick={download}>
          Download
        </Button>
        <Button onClick={finish}>I have kept them</Button>
      </Flex>
    </Flex>
  );
}

function TurnOff({ status, renew, off }: { status: TwoFactorStatus; renew: (password: string, code: string) => void; off: (password: string, code: string) => void }) {
  const [password, setPassword] = React.useState('');
  const [code, setCode] = React.useState('');
  return (
    <Flex direction="column" alignItems="stretch" gap={4}>
      <Typography>Two-factor sign-in is on. Recovery codes left: {status.recoveryCodesLeft}.</Typography>
      <Typography variant="sigma">New recovery codes, or turning it off, take your password and a current code.</Typography>
      <Flex gap={2} alignItems="flex-end">
        <Field.Root name="password">
          <Field.Label>Password</Field.Label>
          <TextInput type="password" autoComplete="current-password" value={password} onChange={(event: React.ChangeEvent<HTMLInputElement>) => setPassword(event.target.value)} />
        </Field.Root>
        <Field.Root name="current-code">
          <Field.Label>Current code</Field.Label>
          <TextInput autoComplete="one-time-code" value={code} onChange={(event: React.ChangeEvent<HTMLInputElement>) => setCode(event.target.value)} />
        </Field.Root>
      </Flex>
      <Flex gap={2}>
        <Button variant="secondary" onClick={() => renew(password, code.trim())}>
          New recovery codes
        </Button>
        <Button variant="danger" onClick={() => off(password, code.trim())}>
          Turn off
        </Button>
      </Flex>
    </Flex>
  );
}

export { TwoFactorPage };
export default TwoFactorPage;
