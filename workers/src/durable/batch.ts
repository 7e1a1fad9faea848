/**
 * Group commit for the job path: calls made in the same turn of the event loop (many jobs of a
 * worker reach the same step together under load) go to the database as one statement. Each caller
 * still gets its own answer; a failed statement fails every call of its batch, as each alone would.
 */
export function batchedByTurn<I, O>(run: (inputs: I[]) => Promise<O[]>, { max = 500 }: { max?: number } = {}) {
  let pending: { input: I; resolve(output: O): void; reject(error: unknown): void }[] = [];
  let scheduled = false;

  const flush = async () => {
    const batch = pending;
    pending = [];
    scheduled = false;
    try {
      const outputs = await run(batch.map((call) => call.input));
      batch.forEach((call, i) => call.resolve(outputs[i]));
    } catch (error) {
      for (const call of batch) call.reject(error);
    }
  };

  return (input: I) =>
    new Promise<O>((resolve, reject) => {
      pending.push({ input, resolve, reject });
      if (pending.length >= max) void flush();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(() => void flush());
      }
    });
}
