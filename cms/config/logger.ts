import { formats, winston } from '@strapi/logger';

const level = process.env.LOG_LEVEL || 'http';

// Readable lines on a laptop; one JSON object per line in production, for the log pipeline.
export default {
  level,
  transports: [
    new winston.transports.Console({
      level,
      format:
        process.env.NODE_ENV === 'production'
          ? winston.format.combine(winston.format.timestamp(), winston.format.json())
          : formats.prettyPrint({ timestamps: 'HH:mm:ss.SSS' }),
    }),
  ],
};
