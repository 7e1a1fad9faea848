export type Stage<T = unknown> = {
  /** Names its remembered duration. */
  key: string;
  /** What it does, said as an instruction: "Build the admin panel". */
  label: string;
  /** How long it takes on a 2-core machine, until this machine has a time of its own. */
  estimateMs: number;
  run: () => T | Promise<T>;
};

export function formatDuration(ms: number): string;
export function estimateOf(stage: Pick<Stage, 'key' | 'estimateMs'>, timingsFile?: string): number;
export function createProgress(options?: { total?: number; log?: (line: string) => void; timingsFile?: string }): {
  run<T>(stage: Stage<T>): Promise<T>;
};
