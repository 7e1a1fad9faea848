// pg ships no types and @types/pg is not installed; the helpers only use Client's connect/query/end.
declare module 'pg';
