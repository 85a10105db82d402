// @ts-check
import js from '@eslint/js';
import { importX } from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Lint plus the project's layering (STYLE.md "Thin edges, pure middle"; README "Architecture"):
 *
 *   cli -> index (the pipeline and the library API) -> stages: discover -> graph -> engine (rules, analyses)
 *   -> metrics -> cost -> result; reports, model, util, errors and assets are leaves anyone may use.
 *
 * - No import cycles anywhere (import-x/no-cycle).
 * - Only src/cli touches the process and the console; nothing imports src/cli; only src/cli imports src/index.ts.
 * - No stage imports a later stage (zones below).
 * - The file system only at the boundaries: the SourceTree (src/source) for the scanned service, src/metrics for log
 *   files, src/cli, src/profile, the scaffold's writer, the untrusted-JSON reader, the fact cache's own folder (memo files sit in src/source), and
 *   src/assets.ts for the package's own files.
 * - The AWS SDK only in src/metrics, Octokit only in src/github, the compiler only in the analysis code.
 */
const AWS_SDK = { group: ['@aws-sdk/*'], message: 'Only src/metrics imports the AWS SDK.' };
const OCTOKIT = { group: ['@octokit/*'], message: 'Only src/github talks to GitHub (Octokit).' };
const COMPILER = {
  group: ['ts-morph', 'typescript'],
  message: 'Only the analysis code (src/compiler, src/graph, src/discover, rules) loads the compiler.',
};
const FS = {
  group: ['node:fs', 'node:fs/*', 'fs', 'fs/*'],
  message: 'Read the scanned service through the SourceTree (src/source) and packaged files through src/assets.ts.',
};

/** Package imports each part may not make (beyond COMPILER, which only the analysis code may load). */
const PARTS = [
  { files: ['src/cli/**'], restricted: [AWS_SDK, OCTOKIT, COMPILER], process: true },
  { files: ['src/metrics/**'], restricted: [OCTOKIT, COMPILER] },
  { files: ['src/github/**'], restricted: [AWS_SDK, COMPILER, FS] },
  { files: ['src/compiler/**', 'src/graph/**', 'src/discover/**', 'rules/**'], restricted: [AWS_SDK, OCTOKIT, FS] },
  { files: ['src/source/**', 'src/profile/**'], restricted: [AWS_SDK, OCTOKIT, COMPILER] },
  {
    files: ['src/report/**', 'src/model/**', 'src/engine/**', 'src/util/**', 'src/errors.ts', 'src/config/**', 'src/scaffold/**', 'src/cost/**'],
    restricted: [AWS_SDK, OCTOKIT, COMPILER, FS],
  },
  { files: ['src/analysis/**', 'src/pipeline/**', 'src/runtime/**', 'src/index.ts', 'src/*-data.ts'], restricted: [AWS_SDK, OCTOKIT, COMPILER, FS] },
];

const SRC_DIRS = [
  'analysis',
  'cli',
  'compiler',
  'config',
  'cost',
  'discover',
  'engine',
  'github',
  'graph',
  'metrics',
  'model',
  'pipeline',
  'profile',
  'report',
  'runtime',
  'scaffold',
  'source',
  'util',
];
const dirs = (...names) => names.map((n) => (n === 'rules' ? './rules' : `./src/${n}`));
const except = (...names) => SRC_DIRS.filter((n) => !names.includes(n));

/** `target` may not import `from`: the order of the stages, and the leaves that know no stage. */
const ZONES = [
  {
    target: [...dirs(...except('cli'), 'rules'), './src/*.ts'],
    from: './src/cli',
    message: 'Nothing imports the CLI: it calls the library (src/index.ts).',
  },
  ...except('cli').map((n) => ({
    target: `./src/${n}`,
    from: './src/index.ts',
    message: 'Only the CLI imports src/index.ts: a stage takes values from its caller.',
  })),
  { target: './rules', from: './src/index.ts', message: 'Only the CLI imports src/index.ts.' },
  {
    target: dirs('compiler'),
    from: dirs(...except('compiler', 'util', 'model')),
    message: 'src/compiler is the shared compiler setup: it knows no stage.',
  },
  {
    target: dirs('discover'),
    from: dirs('graph', 'engine', 'analysis', 'rules', 'metrics', 'cost', 'pipeline', 'report', 'scaffold'),
    message: 'Discovery runs first: it imports no later stage.',
  },
  {
    target: dirs('graph'),
    from: dirs('discover', 'engine', 'analysis', 'rules', 'metrics', 'cost', 'pipeline', 'report', 'scaffold'),
    message: 'The graph stage imports no later stage.',
  },
  {
    target: dirs('engine'),
    from: dirs('rules', 'analysis', 'metrics', 'cost', 'pipeline', 'report', 'scaffold'),
    message: 'The engine takes its rules and analyses from its caller, and knows no later stage.',
  },
  {
    target: dirs('analysis', 'rules'),
    from: dirs('metrics', 'cost', 'pipeline', 'report', 'scaffold'),
    message: 'Rules and analyses import no later stage.',
  },
  {
    target: dirs('config'),
    from: dirs('engine', 'analysis', 'rules', 'metrics', 'cost', 'pipeline', 'report', 'scaffold'),
    message: 'src/config is data and pure steps: it knows no engine and no rules.',
  },
  {
    target: dirs('metrics'),
    from: dirs('discover', 'graph', 'engine', 'analysis', 'rules', 'cost', 'pipeline', 'report', 'scaffold'),
    message: 'The metrics boundary reads logs and AWS: it knows no analysis.',
  },
  {
    target: dirs('cost'),
    from: dirs('discover', 'graph', 'engine', 'analysis', 'rules', 'metrics', 'pipeline', 'report', 'scaffold'),
    message: 'The cost model is pure: it takes functions and figures.',
  },
  {
    target: dirs('pipeline'),
    from: dirs('report', 'scaffold', 'github', 'profile'),
    message: 'The pipeline builds the result; rendering and scaffolding come after it.',
  },
  {
    target: dirs('report', 'github', 'model', 'util'),
    from: dirs('discover', 'graph', 'engine', 'analysis', 'rules', 'metrics', 'pipeline', 'source', 'scaffold'),
    message: 'Reports and the model take a ScanResult and return strings: no analysis imports.',
  },
];

const noProcess = {
  'no-restricted-globals': [
    'error',
    { name: 'process', message: 'Only src/cli touches the process: take what you need as a parameter.' },
    { name: 'console', message: 'Only src/cli writes output: return strings or take a stream.' },
  ],
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
  {
    files: ['src/**/*.ts', 'rules/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      // Dependencies are parsed to follow their imports (no-cycle): TypeScript's parser for .ts.
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.d.cts'] },
      'import-x/extensions': ['.ts', '.js', '.cjs', '.d.cts'],
      // `./x.js` specifiers name `./x.ts` sources (TypeScript's ESM convention).
      'import-x/resolver-next': [
        importX.createNodeResolver({ extensions: ['.ts', '.js', '.cjs', '.d.cts'], extensionAlias: { '.js': ['.ts', '.js'], '.cjs': ['.cjs'] } }),
      ],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': ['error', { zones: ZONES }],
      'max-lines-per-function': ['error', { max: 150, skipBlankLines: false, skipComments: false }],
    },
  },
  ...PARTS.map((part) => ({
    files: part.files,
    rules: { 'no-restricted-imports': ['error', { patterns: part.restricted }], ...(part.process ? {} : noProcess) },
  })),
  // Listed after PARTS so these files keep every restriction of their folder but the file system.
  {
    files: ['src/graph/fact-cache.ts', 'src/graph/parse-pool.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [AWS_SDK, OCTOKIT] }] },
  },
  {
    files: ['src/assets.ts', 'src/scaffold/write.ts', 'src/util/untrusted-json.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [AWS_SDK, OCTOKIT, COMPILER] }] },
  },
  {
    // The CommonJS shim that loads ts-morph without ESM's export scan (see the file's comment).
    files: ['src/compiler/typescript.cjs', 'src/compiler/typescript.d.cts', 'src/profile/child.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  // The profiler's child process: its own process, started by src/profile/run.ts, is what it measures.
  { files: ['src/profile/child.cjs'], rules: { 'no-restricted-globals': 'off' } },
  {
    files: ['bench/**/*.mjs', 'scripts/**/*.mjs', 'examples/**/*.mjs', 'bin/**/*.js', 'eslint.config.js'],
    languageOptions: { globals: globals.node },
  },
);
