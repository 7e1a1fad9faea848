import * as React from 'react';
import { Box, Button, Field, Flex, TextInput, Typography } from '@strapi/design-system';
import { Layouts, Page, useAuth, useFetchClient } from '@strapi/strapi/admin';
import type { Enrolment, RecoveryCodes, TwoFactorStatus } from '../../../shared/contracts';
import { RecoveryCodeList } from '../components/RecoveryCodeList';
import { ScanStep } from '../components/ScanStep';
import { TeamSection } from '../components/TeamSection';
import { messageOf } from '../utils/errors';

type Step =
  | { kind: 'loading' }
  | { kind: 'off' }
  | { kind: 'scan'; enrolment: Enrolment }
  | { kind: 'codes'; codes: string[] }
  | { kind: 'on'; status: TwoFactorStatus };


/** The signed-in admin's two-factor sign-in: enrol (QR code, secret, first code), recovery codes once, turn off. */
const TwoFactorPage = () => {
  const { get, post } = useFetchClient();
  const me = useAuth('TwoFactorPage', (auth) => auth.user?.id);
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
            {step.kind === 'scan' && <ScanStep enrolment={step.enrolment} confirm={(code) => act(async () => setStep({ kind: 'codes', codes: (await post<{ data: RecoveryCodes }>('/two-factor/me/confirm', { code })).data.data.recoveryCodes }))} />}
            {step.kind === 'codes' && <RecoveryCodeList codes={step.codes} finish={() => act(load)} finishLabel="I have kept them" />}
            {step.kind === 'on' && (
              <TurnOff
                status={step.status}
                renew={(password, code) => act(async () => setStep({ kind: 'codes', codes: (await post<{ data: RecoveryCodes }>('/two-factor/me/recovery-codes', { password, code })).data.data.recoveryCodes }))}
                off={(password, code) => act(async () => (await post('/two-factor/me/disable', { password, code }), setStep({ kind: 'off' })))}
              />
            )}
          </Flex>
        </Box>
        <TeamSection me={me === undefined ? undefined : Number(me)} />
      </Layouts.Content>
    </Page.Main>
  );
};

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
