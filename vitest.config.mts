import { defineConfig } from 'vitest/config';

// One process for every test file, so the real Strapi app boots once per run (cms/test/strapi.ts).
export default defineConfig({
  test: {
    include: [
      'cms/**/__tests__/**/*.test.ts',
      'workers/src/**/__tests__/**/*.test.ts',
      'plugins/*/server/**/__tests__/**/*.test.ts',
      'scripts/**/__tests__/**/*.test.ts',
      'site/src/**/__tests__/**/*.test.ts',
      'infra/**/__tests__/**/*.test.ts',
      'examples/**/__tests__/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', '**/dist/**'],
    globalSetup: ['cms/test/global-setup.ts'],
    pool: 'forks',
    fileParallelism: false,
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 180_000,
    teardownTimeout: 30_000,
  },
});
