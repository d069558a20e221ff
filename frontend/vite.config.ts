/// <reference types="vitest/config" />
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

// The Go side embeds frontend/dist with `//go:embed all:frontend/dist`, which needs at least one
// file there in a fresh clone; dist/.gitkeep is that file. The build empties dist first, so this
// plugin puts the marker back once the bundle is written.
function keepGitkeep(): Plugin {
  return {
    name: 'fragmenteditor:keep-gitkeep',
    apply: 'build',
    closeBundle() {
      writeFileSync(resolve(import.meta.dirname, 'dist/.gitkeep'), '');
    },
  };
}

export default defineConfig({
  plugins: [react(), keepGitkeep()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
  },
  test: {
    // Pure tests run in node; component tests opt into jsdom with `// @vitest-environment jsdom`.
    environment: 'node',
    globals: true,
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['./src/test-setup.ts'],
    // A watchdog for a hung test, not a speed limit: on a busy two-core machine a jsdom test at
    // novel length takes several seconds, and one cut off at Vitest's 5 s default keeps rendering
    // into the next test. Speed is proven by `npm run bench`, never by a test's time.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default', './scripts/count-reporter.ts'],
  },
});
