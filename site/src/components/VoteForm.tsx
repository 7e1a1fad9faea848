/**
 * Island: a fan's ballot. Server-rendered as a plain form that posts to the page itself, so it
 * works without JavaScript; once hydrated it sends the vote with fetch, keeps the fan's choice on
 * failure (offline, service down, rate limited) with a "Try again", and moves focus to the outcome.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { interpolate } from '../i18n/format';
import { isRetryable, type CastVoteAnswer, type VoteProblem, type VoteReceipt } from '../lib/vote-types';

export interface VoteChoice {
  code: string;
  name: string;
  avatarUrl?: string;
}

export interface VoteFormProps {
  token: string;
  /** The page's own URL: where the form posts without JavaScript. */
  actionUrl: string;
  /** The site's JSON endpoint for votes. */
  apiUrl: string;
  legend: string;
  choices: VoteChoice[];
  /** Strings `vote.*`. */
  strings: Record<string, string>;
  links: { leaderboard?: string; event: string };
  /** The outcome of a form post the server already handled (no JavaScript). */
  initial?: { receipt?: VoteReceipt; problem?: VoteProblem; choice?: string };
  timeoutMs?: number;
}

type Phase = 'idle' | 'sending' | 'done' | 'failed';

async function sendVote(apiUrl: string, token: string, choice: string, timeoutMs: number): Promise<CastVoteAnswer> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const res = await fetch(apiUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ token, choice }),
      signal: controller.signal,
    });
    try {
      return (await res.json()) as CastVoteAnswer;
    } catch {
      return { ok: false, problem: 'unavailable' };
    }
  } catch {
    // The request never got an answer: the phone is offline, or the network dropped it.
    return { ok: false, problem: 'offline' };
  } finally {
    clearTimeout(timer);
  }
}

export default function VoteForm({
  token,
  actionUrl,
  apiUrl,
  legend,
  choices,
  strings,
  links,
  initial,
  timeoutMs = 15_000,
}: VoteFormProps) {
  const [choice, setChoice] = useState(initial?.choice ?? '');
  const [phase, setPhase] = useState<Phase>(initial?.receipt ? 'done' : initial?.problem ? 'failed' : 'idle');
  const [problem, setProblem] = useState<VoteProblem | undefined>(initial?.problem);
  const [receipt, setReceipt] = useState<VoteReceipt | undefined>(initial?.receipt);
  const [hydrated, setHydrated] = useState(false);
  const outcomeRef = useRef<HTMLElement | null>(null);
  const setOutcome = (element: HTMLElement | null) => {
    outcomeRef.current = element;
  };

  useEffect(() => setHydrated(true), []);

  // After a vote (or a failure), move focus to what happened, so keyboard and screen-reader users land on it.
  useEffect(() => {
    if (phase === 'done' || phase === 'failed') outcomeRef.current?.focus();
  }, [phase, problem]);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (phase === 'sending') return;
    if (!choice) {
      setProblem('choice');
      setPhase('failed');
      return;
    }
    setPhase('sending');
    setProblem(undefined);
    const answer = await sendVote(apiUrl, token, choice, timeoutMs);
    if (answer.ok) {
      setReceipt(answer.receipt);
      setPhase('done');
    } else {
      setProblem(answer.problem);
      setPhase('failed');
    }
  };

  if (phase === 'done' && receipt) {
    return (
      <section className="confirmation" aria-labelledby="vote-done">
        <h2 id="vote-done" tabIndex={-1} ref={setOutcome}>
          {strings['vote.done.title']}
        </h2>
        <p>
          {interpolate(strings['vote.done.body'] ?? '', {
            // The ballot's own name for the choice ("Act 3" for an artist not published).
            artist: choices.find((c) => c.code === receipt.choice.code)?.name ?? receipt.choice.artist?.name ?? receipt.choice.code,
            round: receipt.round.number,
          })}
        </p>
        <p className="actions">
          {links.leaderboard && (
            <a className="button button-primary" href={links.leaderboard}>
              {strings['vote.done.leaderboard']}
            </a>
          )}
          <a className="button button-secondary" href={links.event}>
            {strings['vote.done.event']}
          </a>
        </p>
      </section>
    );
  }

  const alert =
    phase === 'failed' && problem ? (
      <div className="notice notice-error" role="alert" tabIndex={-1} ref={setOutcome}>
        <p className="notice-title">{strings['vote.error.title']}</p>
        <p>{strings[`vote.error.${problem}`]}</p>
      </div>
    ) : null;

  // Nothing the fan can do on this page fixes a used, unknown or closed link: no form, just why.
  if (problem && !isRetryable(problem) && problem !== 'choice') {
    return (
      <>
        {alert}
        <p>
          <a href={links.event}>{strings['vote.done.event']}</a>
        </p>
      </>
    );
  }

  const sending = phase === 'sending';
  return (
    <form method="post" action={actionUrl} noValidate={hydrated} onSubmit={submit} className="vote-form">
      <fieldset className="choices" aria-describedby="vote-hint">
        <legend className="choices-legend">{legend}</legend>
        <p id="vote-hint" className="meta">
          {strings['vote.hint']}
        </p>
        {choices.map((c) => (
          <label key={c.code} className="choice">
            <input
              type="radio"
              name="choice"
              value={c.code}
              required
              checked={choice === c.code}
              onChange={() => setChoice(c.code)}
            />
            <span className="choice-code" aria-hidden="true">
              {c.code}
            </span>
            {c.avatarUrl && <img className="avatar" src={c.avatarUrl} alt="" width={48} height={48} loading="lazy" decoding="async" />}
            <span className="choice-text">
              <span className="choice-name">{c.name}</span>
              <span className="choice-meta">{interpolate(strings['vote.code'] ?? '', { code: c.code })}</span>
            </span>
          </label>
        ))}
      </fieldset>
      {alert}
      <button type="submit" className="button button-primary button-large" aria-disabled={sending || undefined}>
        {sending ? strings['vote.submitting'] : problem && isRetryable(problem) ? strings['vote.retry'] : strings['vote.submit']}
      </button>
      <p className="visually-hidden" role="status">
        {sending ? strings['vote.submitting'] : ''}
      </p>
    </form>
  );
}
