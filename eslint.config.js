// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/*
 * Import boundaries. The packages form layers, and an import may only run
 * down them: core (pure domain) imports nothing of ours; db and connectors
 * only core; server anything but web and cli; web only core (and its own
 * modules); cli server, db and core. A package reaches another only through
 * its package name and the entry points its package.json exports, never by a
 * relative path into another package's src or a `@watchfloor/x/src/...`
 * path, so what a package exposes is what its exports say.
 */
const PACKAGES = ['core', 'db', 'connectors', 'server', 'web', 'cli'];
const deepRelative = {
  regex: `^(\\.\\./)+(packages/)?(${PACKAGES.join('|')})/src(/|$)`,
  message: 'Import another package by its name (@watchfloor/...), not by a relative path into its src.',
};
const deepPackage = {
  regex: '^@watchfloor/[^/]+/src(/|$)',
  message: "Import a package's public entry point (see its package.json exports), not a path into its src.",
};
/** The no-restricted-imports setting for code that may import only the listed packages of ours. */
const onlyOurs = (allowed, layer) => [
  'error',
  {
    patterns: [
      deepRelative,
      deepPackage,
      {
        regex: allowed.length > 0 ? `^@watchfloor/(?!(${allowed.join('|')})(/|$))` : '^@watchfloor/',
        message:
          allowed.length > 0
            ? `${layer} may import only ${allowed.map((p) => `@watchfloor/${p}`).join(', ')} of ours: imports run down the layers.`
            : `${layer} imports nothing of ours: it is the bottom layer.`,
      },
    ],
  },
];

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', 'var/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' }],
    },
  },
  { rules: { 'no-restricted-imports': ['error', { patterns: [deepRelative, deepPackage] }] } },
  { files: ['packages/core/**'], rules: { 'no-restricted-imports': onlyOurs([], 'core') } },
  { files: ['packages/db/**'], rules: { 'no-restricted-imports': onlyOurs(['core'], 'db') } },
  { files: ['packages/connectors/**'], rules: { 'no-restricted-imports': onlyOurs(['core'], 'connectors') } },
  { files: ['packages/server/**'], rules: { 'no-restricted-imports': onlyOurs(['core', 'db', 'connectors'], 'server') } },
  { files: ['packages/web/**'], rules: { 'no-restricted-imports': onlyOurs(['core'], 'web') } },
  { files: ['packages/cli/**'], rules: { 'no-restricted-imports': onlyOurs(['core', 'db', 'server'], 'cli') } },
  {
    // Benches drive the product from outside, through the packages' public
    // entry points. One narrow exception: they may load a server feature
    // module directly (bench/*.ts reach for the catalogue seed, the
    // geography parser, the observation writer and the stations service to
    // prepare millions of rows fast), since those are not part of the
    // server's public API. Nothing else deep, and no other package's src.
    files: ['bench/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            deepPackage,
            {
              regex: `^(\\.\\./)+(packages/)?(${PACKAGES.filter((p) => p !== 'server').join('|')})/src(/|$)`,
              message: deepRelative.message,
            },
            { regex: '^(\\.\\./)+(packages/)?server/src(/(?!features/)|$)', message: deepRelative.message },
            { regex: '^@watchfloor/web(/|$)', message: 'Benches measure the server and its data layer; the web is measured through its built files.' },
          ],
        },
      ],
    },
  },
  {
    // Tools that require a default export.
    files: ['eslint.config.js', 'vitest.config.ts', 'scripts/summary-reporter.ts', 'packages/web/vite.config.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
