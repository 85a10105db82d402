// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Lint plus the project's layering (STYLE.md "Thin edges, pure middle"): the process, the console
 * and exit codes belong to src/cli; the AWS SDK to src/metrics; the TypeScript compiler to the
 * analysis code; reporters only turn data into strings.
 */
const layering = (patterns, globals = true) => ({
  'no-restricted-imports': ['error', { patterns }],
  ...(globals
    ? {
        'no-restricted-globals': [
          'error',
          { name: 'process', message: 'Only src/cli touches the process: take what you need as a parameter.' },
          { name: 'console', message: 'Only src/cli writes output: return strings or take a stream.' },
        ],
      }
    : {}),
});

const AWS_SDK = { group: ['@aws-sdk/*'], message: 'Only src/metrics imports the AWS SDK.' };
const OCTOKIT = { group: ['@octokit/*'], message: 'Only src/github talks to GitHub (Octokit).' };
const COMPILER = { group: ['ts-morph', 'typescript'], message: 'Only the analysis code (src/graph, src/discover, rules) loads the compiler.' };
// The engine is handed its units by its caller: rules/ and src/analysis import src/engine, never the reverse.
const ENGINE_UNITS = { group: ['**/rules/**', '**/analysis/**', '**/scan.js'], message: 'The engine takes its rules and analyses from its caller (rules/index.ts, src/analysis): they import it.' };
// The config is data and pure steps the engine applies: it knows no rules and no engine.
const CONFIG_LEAF = { group: ['**/rules/**', '**/engine/**', '**/analysis/**', '**/scan.js'], message: 'src/config knows no rules and no engine: the engine imports it.' };
const ANALYSIS = {
  group: ['**/graph/**', '**/discover/**', '**/engine/**', '**/pipeline/**', '**/source/**', '**/index.js'],
  message: 'Reporters take a ScanResult and return a string: no analysis imports.',
};

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'examples/', 'test/fixtures/', 'coverage/', 'bench/out/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  { files: ['src/**/*.ts', 'rules/**/*.ts'], ignores: ['src/cli/**', 'src/metrics/**', 'src/github/**'], rules: layering([AWS_SDK, OCTOKIT]) },
  { files: ['src/metrics/**'], rules: layering([OCTOKIT], false) },
  { files: ['src/github/**'], rules: layering([AWS_SDK, COMPILER]) },
  { files: ['src/graph/**', 'src/discover/**', 'rules/**'], rules: layering([AWS_SDK, OCTOKIT]) },
  { files: ['src/report/**', 'src/model/**', 'src/engine/**', 'src/util/**', 'src/errors.ts'], rules: layering([AWS_SDK, OCTOKIT, COMPILER]) },
  { files: ['src/report/**'], rules: layering([AWS_SDK, OCTOKIT, COMPILER, ANALYSIS]) },
  { files: ['src/engine/**'], rules: layering([AWS_SDK, OCTOKIT, COMPILER, ENGINE_UNITS]) },
  { files: ['src/config/**'], rules: layering([AWS_SDK, OCTOKIT, CONFIG_LEAF]) },
  // The scaffold renders what the scan and src/graph/routes.ts found; it never loads the compiler itself.
  { files: ['src/scaffold/**'], rules: layering([AWS_SDK, OCTOKIT, COMPILER]) },
  { files: ['src/cli/**'], rules: layering([AWS_SDK, OCTOKIT, COMPILER], false) },
  {
    files: ['src/cost/**'],
    rules: layering([
      AWS_SDK,
      OCTOKIT,
      COMPILER,
      { group: ['node:fs', 'node:fs/*', 'fs', 'fs/*'], message: 'src/cost is pure: its data files are read at the boundary (src/cost-data.ts).' },
    ]),
  },
  {
    // The CommonJS shim that loads ts-morph without ESM's export scan (see the file's comment).
    files: ['src/graph/typescript.cjs', 'src/graph/typescript.d.cts', 'src/profile/child.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['bench/**/*.mjs', 'scripts/**/*.mjs', 'examples/**/*.mjs', 'bin/**/*.js', 'eslint.config.js'],
    languageOptions: { globals: globals.node },
  },
);
