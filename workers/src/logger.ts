import winston from 'winston';
import { atLeast, contextAndScrub } from './observability/log-format';

/**
 * JSON lines in production (for the log pipeline), short readable lines on a laptop. Every line
 * carries the request id of the job it is about, and nothing personal or secret (contextAndScrub).
 */
export function createLogger(env: NodeJS.ProcessEnv = process.env) {
  const production = env.NODE_ENV === 'production';
  const level = env.LOG_LEVEL || (production ? 'info' : 'debug');
  return winston.createLogger({
    level,
    defaultMeta: { service: 'workers' },
    format: production
      ? winston.format.combine(atLeast(level), contextAndScrub(), winston.format.timestamp(), winston.format.json())
      : winston.format.combine(
          atLeast(level),
          contextAndScrub(),
          winston.format.timestamp({ format: 'HH:mm:ss' }),
          winston.format.printf(({ timestamp, level, message, service: _service, ...meta }) => {
            const extra = Object.keys(meta).length ? ` ${JSON.stringify(meta)}` : '';
            return `${timestamp} ${level} ${message}${extra}`;
          })
        ),
    transports: [new winston.transports.Console()],
  });
}

export type Logger = winston.Logger;
