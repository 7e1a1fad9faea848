import crypto from 'crypto';
import type { MessageProvider } from './types';

/** Nothing leaves the machine: the message row the worker writes is the delivery, shown in the admin. */
export function createSandboxProvider(channel: 'sms' | 'email'): MessageProvider {
  return {
    name: 'sandbox',
    async send() {
      return { providerMessageId: `sandbox-${channel}-${crypto.randomUUID()}` };
    },
    // Nothing left the machine on an earlier attempt unless its row says so.
    async findSent() {
      return null;
    },
  };
}
