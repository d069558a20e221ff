// ESLint (flat config): JavaScript's and typescript-eslint's recommended rules and the rules of
// React hooks, over the app, its tests, the browser tests, the benchmarks and the scripts.
// `npm run lint` (and `make test-lint`) fails on any finding, warnings included.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { defineConfig, globalIgnores } from 'eslint/config';

export default defineConfig([
  globalIgnores(['dist/', 'wailsjs/', 'e2e-artifacts/', 'node_modules/']),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    rules: {
      // `const { id: _id, ...rest } = f` is how the code drops a field; `_x` marks an unused parameter.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true, argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    extends: [reactHooks.configs.flat.recommended],
    languageOptions: { globals: globals.browser },
  },
  {
    // Node scripts; page.evaluate callbacks in them run in the browser.
    files: ['bench/**', 'e2e/**', 'e2e-web/**', 'scripts/**', '*.config.{js,ts}'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
]);
