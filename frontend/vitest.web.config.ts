import { defineConfig } from 'vitest/config';

// The editor served by the real llproxy binary, in Chromium and Firefox ESR (`make test-web`:
// builds the frontend and llproxy first). Each browser gets its own llproxy and fake LLM.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['e2e-web/**/*.web.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    reporters: ['default', './scripts/count-reporter.ts'],
  },
});
