// One lint setup for the whole tree. Besides typescript-eslint's recommended rules it enforces the
// layer direction of docs/ARCHITECTURE.md with eslint-plugin-boundaries, so an upward import (the engine
// reaching for Electron or the API, the renderer reaching into the engine) fails `npm run lint`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import boundaries from 'eslint-plugin-boundaries';
import globals from 'globals';

/**
 * Layers, most specific first (a file belongs to the first pattern it matches). The api's contract
 * and client are their own layers because the renderer may use them but nothing else in src-main/api.
 */
const layers = [
  { type: 'shared', pattern: 'src-main/shared/**', partialMatch: false },
  { type: 'contract', pattern: 'src-main/api/contract/**', partialMatch: false },
  { type: 'client', pattern: 'src-main/api/client/**', partialMatch: false },
  { type: 'api', pattern: 'src-main/api/**', partialMatch: false },
  { type: 'engine', pattern: 'src-main/engine/**', partialMatch: false },
  { type: 'electron', pattern: 'src-main/electron/**', partialMatch: false },
  { type: 'cli', pattern: 'src-main/cli/**', partialMatch: false },
  { type: 'workers', pattern: 'src-workers/**', partialMatch: false },
  { type: 'native', pattern: 'native/lightgbm/src/**', partialMatch: false },
  { type: 'renderer', pattern: 'src-renderer/**', partialMatch: false },
];

/** Which layers each layer may import (its own layer is always allowed). Imports go downward only. */
const allowedImports = {
  shared: [],
  contract: ['shared'],
  client: ['contract', 'shared'],
  api: ['contract', 'client', 'shared', 'engine'],
  engine: ['shared', 'workers', 'native'],
  electron: ['api', 'contract', 'client', 'shared'],
  cli: ['api', 'contract', 'client', 'shared'],
  workers: ['shared', 'native'],
  native: [],
  renderer: ['contract', 'client', 'shared'],
};

/** External packages that only the desktop shell may load. */
const shellOnlyPackages = ['electron', 'electron/*', '@electron/*'];

const layerPolicies = [
  // Third-party and Node built-in modules are fine in general; the policies after this one narrow it.
  { allow: { to: { module: { origin: ['external', 'core'] } } } },
  ...Object.entries(allowedImports).map(([from, to]) => ({
    from: { element: { type: from } },
    allow: { to: { element: { types: { anyOf: [from, ...to] } } } },
  })),
  ...['shared', 'contract', 'client', 'api', 'engine', 'cli', 'workers', 'native', 'renderer'].map((from) => ({
    from: { element: { type: from } },
    disallow: { to: { module: { origin: 'external', source: shellOnlyPackages } } },
  })),
  // The renderer runs without Node, and it loads the contract, the client and shared: a built-in
  // module in any of them would only fail at run time in the window.
  ...['renderer', 'client', 'contract', 'shared'].map((from) => ({
    from: { element: { type: from } },
    disallow: { to: { module: { origin: 'core' } } },
  })),
];

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      'native/lightgbm/build/**',
      'native/lightgbm/build-cli/**',
      'native/lightgbm/deps/**',
      'native/lightgbm/dist/**',
      'test-results/**',
      '.bench-tmp/**',
      '.scratch/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // CommonJS launchers (bin/bullpen.js) and scripts: require() is how they load things.
    files: ['bin/**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['src-renderer/**/*.{ts,svelte}', 'src-main/electron/preload.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } },
  },
  {
    files: ['src-main/**/*.ts', 'src-workers/**/*.ts', 'native/lightgbm/src/**/*.ts', 'src-renderer/**/*.{ts,svelte}'],
    plugins: { boundaries },
    settings: {
      'boundaries/elements': layers,
      'boundaries/include': ['src-main/**', 'src-workers/**', 'native/lightgbm/src/**', 'src-renderer/**'],
      'import/resolver': { node: { extensions: ['.ts', '.js', '.mjs', '.svelte', '.json'] } },
    },
    rules: {
      'boundaries/dependencies': ['error', { default: 'disallow', checkAllOrigins: true, policies: layerPolicies }],
    },
  },
  {
    // Pure compute runs anywhere (a worker, the engine, a test, a benchmark): it knows nothing of tasks,
    // the worker protocol or threads. Tasks call compute, never the other way (src-workers/README.md).
    files: ['src-workers/compute/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['piscina', 'node:worker_threads', 'worker_threads'].map((name) => ({
            name,
            message: 'src-workers/compute/ is pure compute: threads belong to the worker entry and tasks (src-workers/README.md).',
          })),
          patterns: [
            {
              regex: '(^|/)(tasks|protocol|computeWorker)(/|$)',
              message:
                'src-workers/compute/ must not import tasks, the worker protocol or the worker entry: tasks call compute, never the other way (src-workers/README.md).',
            },
          ],
        },
      ],
    },
  },
);
