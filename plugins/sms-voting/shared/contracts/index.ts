/**
 * The sms-voting plugin's API, written once: the server's controllers `satisfy` these shapes, and
 * the admin pages and the site import them (`@ovation/plugin-sms-voting/contracts`). Types and a
 * few constants only, so any side can import it without pulling in the server.
 */
export * from './admin';
export * from './artists';
export * from './ballots';
export * from './common';
export * from './formats';
export * from './leaderboards';
export * from './stats';
export * from './votes';
export * from './wizard';
