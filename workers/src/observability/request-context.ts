import { AsyncLocalStorage } from 'async_hooks';
import crypto from 'crypto';

/**
 * The request a piece of work belongs to, carried through async calls: the cms sets it for each HTTP
 * request, the job store writes it on the jobs that request enqueues, and a worker sets it again for
 * each job it runs (so the jobs a job enqueues carry it too). Log lines pick it up from here.
 */
export type WorkContext = { requestId: string; job?: string; jobId?: number };

export const REQUEST_ID_HEADER = 'x-request-id';

const storage = new AsyncLocalStorage<WorkContext>();

// Ids from load balancers and tracing (UUIDs, ULIDs, AWS trace ids without their `=`) fit; anything
// longer or with other characters is not trusted into logs and job rows, and a new id is made instead.
const VALID_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export const isValidRequestId = (value: unknown): value is string => typeof value === 'string' && VALID_REQUEST_ID.test(value);

export const newRequestId = () => crypto.randomUUID();

/** The client's `X-Request-Id` when it is acceptable, else a new one. */
export const requestIdFrom = (header: string | string[] | undefined) => {
  const value = Array.isArray(header) ? header[0] : header;
  return isValidRequestId(value) ? value : newRequestId();
};

export const workContext = (): WorkContext | undefined => storage.getStore();

export const currentRequestId = (): string | undefined => storage.getStore()?.requestId;

export function runInContext<T>(context: WorkContext, work: () => T): T {
  return storage.run(context, work);
}
