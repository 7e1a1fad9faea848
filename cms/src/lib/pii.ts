import { maskIdentifier, piiKeys, piiLookupHash, sealPII, unsealPII } from '@ovation/workers/jobs';
import { secrets } from './secrets';

// The sealing itself is the workers' (workers/src/pii.ts): the workers that read the database alone
// unseal with the same code; here, with the key from the cms's secrets.
export const appPiiKeys = () => piiKeys(secrets().PII_ENCRYPTION_KEY);
const keys = appPiiKeys;

export const encryptPII = (plaintext: string) => sealPII(keys(), plaintext);
export const decryptPII = (sealed: string) => unsealPII(keys(), sealed);
export const lookupHash = (identifier: string) => piiLookupHash(keys(), identifier);
export { maskIdentifier };
