import { formats, winston } from '@strapi/logger';
import { atLeast, contextAndScrub } from '@ovation/workers/jobs';

const level = process.env.LOG_LEVEL || 'http';

// Readable lines on a laptop; one JSON object per line in production, for the log pipeline. Either
// way each line carries its request's id and nothing personal or secret (contextAndScrub). The format
// is the logger's own, replacing Strapi's default (which colours the level, even inside JSON).
export default {
  level,
  format:
    process.env.NODE_ENV === 'production'
      ? winston.format.combine(atLeast(level), contextAndScrub(), winston.format.timestamp(), winston.format.json())
      : winston.format.combine(atLeast(level), contextAndScrub(), formats.prettyPrint({ timestamps: 'HH:mm:ss.SSS' })),
  transports: [new winston.transports.Console({ level })],
};
