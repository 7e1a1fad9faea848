import { CLIENT_ADDRESS_HEADER, SITE_TOKEN_HEADER } from '../src/lib/callers';

let sequence = 0;

/**
 * A client address no other request of the run has used (10.0.0.0/8). Every test talks to the shared
 * app from 127.0.0.1, so per-address limits (Strapi's 10 sign-ins a minute, reset requests, failed
 * admin sign-ins) would be spent by one another's requests.
 */
export function nextAddress() {
  sequence += 1;
  return `10.${(sequence >> 16) & 255}.${(sequence >> 8) & 255}.${sequence & 255}`;
}

/** Headers that make a request come from `address`, as the site names the fan it serves (src/lib/callers.ts). */
export const fromAddress = (address = nextAddress()) => ({
  [SITE_TOKEN_HEADER]: process.env.SITE_TOKEN as string,
  [CLIENT_ADDRESS_HEADER]: address,
});
