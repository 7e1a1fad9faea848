import * as React from 'react';
import { createRoot } from 'react-dom/client';
import { Box, Button, DesignSystemProvider, Field, Flex, TextInput, Typography } from '@strapi/design-system';
import type { EnrolledSignIn, Enrolment, TwoFactorRequired } from '../../../shared/contracts';
import { RecoveryCodeList } from '../components/RecoveryCodeList';
import { ScanStep } from '../components/ScanStep';

/**
 * The code step of the admin's own login screen. The login page belongs to @strapi/admin and offers
 * no hook between the password and the session, so the plugin's admin bundle watches `fetch`: when
 * `POST /admin/login` answers `{ data: { twoFactorRequired, challenge } }` (the server opened no
 * session), it holds that answer, asks for the code on a screen of the admin's design system, and
 * hands the login page the answer of `POST /admin/two-factor/verify` instead: the same shape core's
 * login answers, with the refresh cookie, so the login page carries on as after any sign-in.
 * An admin whose role requires two-factor and who has none (`enrolmentRequired`) enrols on that
 * screen instead, and sees the recovery codes before the admin opens. Every other request passes untouched.
 */
export function installCodeStep() {
  if (typeof window === 'undefined' || (window.fetch as { twoFactor?: boolean }).twoFactor) return;
  const original = window.fetch.bind(window);
  const watched: typeof window.fetch = async (input, init) => {
    const response = await original(input, init);
    const login = loginUrl(input, init);
    if (!login || !response.ok) return response;
    const body = (await response.clone().json().catch(() => null)) as { data?: Partial<TwoFactorRequired> } | null;
    if (!body?.data?.twoFactorRequired || !body.data.challenge) return response;
    return askForCode(body.data.challenge, Boolean(body.data.enrolmentRequired), login.replace(/\/admin\/login$/, '/admin/two-factor'), original);
  };
  (watched as { twoFactor?: boolean }).twoFactor = true;
  window.fetch = watched;
}

/** The login's address when this is `POST …/admin/login` (the backend may be on another origin). */
function loginUrl(input: RequestInfo | URL, init?: RequestInit): string | null {
  const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, window.location.href);
  const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
  return method === 'POST' && url.pathname.endsWith('/admin/login') ? `${url.origin}${url.pathname}` : null;
}

/** Shows the code (or enrolment) screen until the code is accepted (the verify answer) or the person goes back. */
function askForCode(challenge: string, enrol: boolean, base: string, send: typeof window.fetch): Promise<Response> {
  return new Promise((resolve) => {
    const host = document.createElement('div');
    document.body.appendChild(host);
    const root = createRoot(host);
    const done = (response: Response) => {
      root.unmount();
      host.remove();
      resolve(response);
    };
    root.render(
      <DesignSystemProvider locale="en">
        <Screen>
          {enrol ? <EnrolScreen challenge={challenge} base={base} send={send} done={done} /> : <CodeScreen challenge={challenge} verifyUrl={`${base}/verify`} send={send} done={done} />}
        </Screen>
      </DesignSystemProvider>
    );
  });
}

const backToPassword = () =>
  new Response(JSON.stringify({ data: null, error: { status: 400, name: 'ApplicationError', message: 'Sign-in cancelled', details: {} } }), {
    status: 400,
    headers: { 'Content-Type': 'application/json' },
  });

type CodeScreenProps = { challenge: string; verifyUrl: string; send: typeof window.fetch; done: (response: Response) => void };

const json = (body: unknown, status: number) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const post = (send: typeof window.fetch, url: string, body: object) =>
  send(url, { method: 'POST', credentials: 'include', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const errorOf = async (response: Response) => ((await response.clone().json().catch(() => null)) as { error?: { message?: string } } | null)?.error?.message ?? 'The code could not be checked';
const spent = (message: string) => /expired or was already completed/.test(message);

/** The admin's login card, over the login page. */
function Screen({ children }: { children: React.ReactNode }) {
  return (
    <Box position="fixed" top={0} left={0} right={0} bottom={0} background="neutral100" zIndex={1000} style={{ display: 'grid', placeItems: 'center', overflow: 'auto' }}>
      <Box tag="main" aria-labelledby="two-factor-title" background="neutral0" shadow="tableShadow" hasRadius padding={10} width="552px">
        {children}
      </Box>
    </Box>
  );
}

type EnrolScreenProps = { challenge: string; base: string; send: typeof window.fetch; done: (response: Response) => void };

/** For an admin whose role requires two-factor: enrol now; the session opens with the first code. */
function EnrolScreen({ challenge, base, send, done }: EnrolScreenProps) {
  const [enrolment, setEnrolment] = React.useState<Enrolment | null>(null);
  const [signedIn, setSignedIn] = React.useState<EnrolledSignIn | null>(null);
  const [error, setError] = React.useState<string | null>(null);

  React.useEffect(() => {
    post(send, `${base}/enrolment`, { challenge }).then(async (response) => {
      if (response.ok) return setEnrolment(((await response.json()) as { data: Enrolment }).data);
      done(json(await response.json().catch(() => null), response.status));
    });
  }, [base, challenge, done, send]);

  const confirm = async (code: string) => {
    setError(null);
    const response = await post(send, `${base}/enrolment/confirm`, { challenge, code });
    if (response.ok) return setSignedIn(((await response.json()) as { data: EnrolledSignIn }).data);
    const message = await errorOf(response);
    if (spent(message)) return done(json(await response.json(), response.status));
    setError(message);
  };

  return (
    <Flex direction="column" alignItems="stretch" gap={6}>
      <Flex direction="column" alignItems="stretch" gap={2}>
        <Typography id="two-factor-title" tag="h1" variant="alpha">
          Set up two-factor sign-in
        </Typography>
        <Typography variant="epsilon" textColor="neutral600">
          Your role requires a code from an authenticator app at every sign-in.
        </Typography>
      </Flex>
      {error && (
        <Typography role="alert" textColor="danger600">
          {error}
        </Typography>
      )}
      {enrolment && !signedIn && <ScanStep enrolment={enrolment} confirm={confirm} />}
      {signedIn && (
        <RecoveryCodeList
          codes={signedIn.recoveryCodes}
          finishLabel="Continue"
          finish={() => done(json({ data: { token: signedIn.token, accessToken: signedIn.accessToken, user: signedIn.user } }, 200))}
        />
      )}
      <Box>
        <Button type="button" variant="tertiary" onClick={() => done(backToPassword())}>
          Back
        </Button>
      </Box>
    </Flex>
  );
}

function CodeScreen({ challenge, verifyUrl, send, done }: CodeScreenProps) {
  const [code, setCode] = React.useState('');
  const [error, setError] = React.useState<string | null>(null);
  const [busy, setBusy] = React.useState(false);

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const response = await post(send, verifyUrl, { challenge, code: code.trim() });
    setBusy(false);
    if (response.ok) return done(response);
    const message = await errorOf(response);
    // A spent challenge cannot take another code: back to the password, with the reason.
    if (spent(message)) return done(json(await response.json(), response.status));
    setError(message);
    setCode('');
  };

  return (
    <form onSubmit={submit} noValidate>
      <Flex direction="column" alignItems="stretch" gap={6}>
        <Flex direction="column" alignItems="stretch" gap={2}>
          <Typography id="two-factor-title" tag="h1" variant="alpha">
            Two-factor sign-in
          </Typography>
          <Typography variant="epsilon" textColor="neutral600">
            Type the 6-digit code your authenticator app shows, or one of your recovery codes.
          </Typography>
        </Flex>
        <Field.Root name="code" error={error ?? undefined} required>
          <Field.Label>Code</Field.Label>
          <TextInput autoFocus autoComplete="one-time-code" inputMode="text" value={code} onChange={(event: React.ChangeEvent<HTMLInputElement>) => setCode(event.target.value)} />
          <Field.Error />
        </Field.Root>
        <Flex gap={2} justifyContent="space-between">
          <Button type="button" variant="tertiary" onClick={() => done(backToPassword())}>
            Back
          </Button>
          <Button type="submit" loading={busy} disabled={code.trim().length < 6}>
            Verify
          </Button>
        </Flex>
      </Flex>
    </form>
  );
}
