import { defineConfig } from 'vitest/config';

// Browser tests against the production build in dist/ (run `npm run build` first; `npm run e2e`
// does). Each file starts its own static server and Chromium.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['e2e/**/*.e2e.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    reporters: ['default', './scripts/count-reporter.ts'],
  },
});
