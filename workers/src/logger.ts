import winston from 'winston';

/** JSON lines in production (for the log pipeline), short readable lines on a laptop. */
export function createLogger(env: NodeJS.ProcessEnv = process.env) {
  const production = env.NODE_ENV === 'production';
  return winston.createLogger({
    level: env.LOG_LEVEL || (production ? 'info' : 'debug'),
    format: production
      ? winston.format.combine(winston.format.timestamp(), winston.format.json())
      : winston.format.combine(
          winston.format.timestamp({ format: 'HH:mm:ss' }),
          winston.format.printf(({ timestamp, level, message, ...meta }) => {
            const extra = Object.keys(meta).length ? ` ${JSON.stringify(meta)}` : '';
            return `${timestamp} ${level} ${message}${extra}`;
          })
        ),
    transports: [new winston.transports.Console()],
  });
}

export type Logger = winston.Logger;
