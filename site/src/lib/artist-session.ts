/**
 * The artist area's session and its calls to the CMS. An artist signs in with users-permissions
 * (`/api/auth/local`, then `/api/two-factor/verify` when they use a code); the site keeps the
 * short-lived access token and the refresh token in two httpOnly, SameSite=Strict cookies (never
 * readable by a script), sends the access token to the artist-portal routes, and renews it once
 * when the CMS answers 401. The CMS decides which artist an account speaks for.
 */
import type { AstroCookies } from 'astro';
import { callerHeaders, cmsBaseUrl, cmsErrorOf, CmsUnreachableError, DEFAULT_TIMEOUT_MS } from './cms';
import { isOverTls } from './security';

const ACCESS = 'ovation_artist';
const REFRESH = 'ovation_artist_refresh';
/** The refresh token lives as long as the CMS lets a session live without use (14 days by default). */
const REFRESH_MAX_AGE = 14 * 24 * 60 * 60;

export type ArtistAnswer = { status: number; body: unknown; text: string; headers: Headers };

type AstroLike = { cookies: AstroCookies; url: URL; request: Request };

const secure = (astro: AstroLike) => isOverTls(astro.url.protocol, astro.request.headers.get('x-forwarded-proto'));

export function startSession(astro: AstroLike, tokens: { jwt: string; refreshToken?: string }) {
  const options = { httpOnly: true, sameSite: 'strict' as const, secure: secure(astro), path: '/' };
  astro.cookies.set(ACCESS, tokens.jwt, options);
  if (tokens.refreshToken) astro.cookies.set(REFRESH, tokens.refreshToken, { ...options, maxAge: REFRESH_MAX_AGE });
}

export function endSession(astro: AstroLike) {
  astro.cookies.delete(ACCESS, { path: '/' });
  astro.cookies.delete(REFRESH, { path: '/' });
}

export const hasSession = (astro: AstroLike) => Boolean(astro.cookies.get(ACCESS)?.value || astro.cookies.get(REFRESH)?.value);

/** One request to the CMS: JSON, or a multipart body as given. Throws CmsUnreachableError when no answer came. */
export async function cmsCall(path: string, init: { method?: string; json?: unknown; form?: FormData; token?: string; timeoutMs?: number } = {}): Promise<ArtistAnswer> {
  const url = `${cmsBaseUrl()}${path}`;
  const headers: Record<string, string> = { accept: 'application/json', ...callerHeaders() };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  try {
    const res = await fetch(url, {
      method: init.method ?? 'GET',
      headers,
      body: init.form ?? (init.json === undefined ? undefined : JSON.stringify(init.json)),
      signal: AbortSignal.timeout(init.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    });
    const text = await res.text();
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = null;
    }
    return { status: res.status, body, text, headers: res.headers };
  } catch (err) {
    throw new CmsUnreachableError(`CMS unreachable at ${cmsBaseUrl()}`, url, { cause: err });
  }
}

/** A call as the signed-in artist; a 401 renews the access token once with the refresh token. */
export async function asArtist(astro: AstroLike, path: string, init: { method?: string; json?: unknown; form?: FormData; timeoutMs?: number } = {}) {
  const token = astro.cookies.get(ACCESS)?.value;
  const first = token ? await cmsCall(path, { ...init, token }) : undefined;
  if (first && first.status !== 401) return first;
  const refreshToken = astro.cookies.get(REFRESH)?.value;
  if (!refreshToken) return first ?? { status: 401, body: null, text: '', headers: new Headers() };
  const renewed = await cmsCall('/api/auth/refresh', { method: 'POST', json: { refreshToken } });
  const jwt = (renewed.body as { jwt?: string } | null)?.jwt;
  if (renewed.status !== 200 || !jwt) {
    endSession(astro);
    return { status: 401, body: null, text: '', headers: new Headers() };
  }
  startSession(astro, { jwt, refreshToken: (renewed.body as { refreshToken?: string }).refreshToken ?? refreshToken });
  return cmsCall(path, { ...init, token: jwt });
}

export type SignIn = { ok: true } | { ok: false; challenge: string } | { ok: false; problem: string; status: number };

/** Password (and, for an account with two-factor on, the code): the session is started once the CMS gives a token. */
export async function signIn(astro: AstroLike, input: { identifier: string; password?: string; challenge?: string; code?: string }): Promise<SignIn> {
  const answer = input.challenge
    ? await cmsCall('/api/two-factor/verify', { method: 'POST', json: { challenge: input.challenge, code: input.code ?? '' } })
    : await cmsCall('/api/auth/local', { method: 'POST', json: { identifier: input.identifier, password: input.password ?? '' } });
  const body = answer.body as { jwt?: string; refreshToken?: string; twoFactorRequired?: boolean; challenge?: string } | null;
  if (answer.status === 200 && body?.jwt) {
    startSession(astro, { jwt: body.jwt, refreshToken: body.refreshToken });
    return { ok: true };
  }
  if (answer.status === 200 && body?.twoFactorRequired && body.challenge) return { ok: false, challenge: body.challenge };
  return { ok: false, status: answer.status, problem: cmsErrorOf(answer.body)?.message ?? 'Sign-in failed' };
}

/** The error message of a CMS answer. */
export const problemOf = (answer: ArtistAnswer) => cmsErrorOf(answer.body)?.message ?? `The CMS answered ${answer.status}`;
