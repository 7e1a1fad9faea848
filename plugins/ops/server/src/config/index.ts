export type OpsConfig = {
  /** `RATE_LIMIT_TOKEN_PER_MINUTE`: requests a minute a content-API token may make, unless it has a budget of its own. */
  tokenPerMinute: number;
};

export default {
  default: (): OpsConfig => ({ tokenPerMinute: 600 }),
  validator(config: OpsConfig) {
    if (!Number.isInteger(config.tokenPerMinute) || config.tokenPerMinute < 1) {
      throw new Error(`ops: RATE_LIMIT_TOKEN_PER_MINUTE must be a whole number, 1 or more (got ${config.tokenPerMinute})`);
    }
  },
};
