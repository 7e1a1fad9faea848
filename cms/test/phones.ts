let next = 3_000_000;

/**
 * A valid US number that no other fan of this test run has: a sequence (test files share this
 * module, since they run in one process), not a random pick from a small pool that repeats.
 */
export const nextPhoneNumber = () => `+1202${String(next++).padStart(7, '0')}`;
