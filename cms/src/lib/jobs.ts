import { createJobProducer, type JobProducer } from '@ovation/workers/jobs';
import { redisUrl } from './redis';

let producer: JobProducer | undefined;

/** The cms's one producer for background jobs (created on first use). */
export function jobs(): JobProducer {
  producer ??= createJobProducer({ redisUrl: redisUrl() });
  return producer;
}

export async function closeJobs() {
  await producer?.close();
  producer = undefined;
}
