import type { FunctionResult, PortabilityIssue, PortabilityTarget, ScanResult } from '../../src/model/result.js';
import { applyCostModel } from '../../src/cost/index.js';
import { loadCostData } from '../../src/cost-data.js';

/**
 * A hand-built result covering what reports must show: a heavy function (aws-sdk v2 through a chain, several rules,
 * a lazy import, a dynamic require, top-level await), a middling one with a guessed handler mapping, and a clean one
 * whose name and path carry hostile text (backticks, a pipe, `@channel`, a right-to-left override). A skipped file
 * and a warning quote more hostile text (HTML, a mention, a newline, an ANSI escape).
 */

const createOrder: FunctionResult = {
  id: 'serverless.yml#createOrder',
  name: 'createOrder',
  provider: 'serverless',
  deployedNames: ['orders-dev-createOrder'],
  runtime: 'nodejs20.x',
  architecture: 'x86_64',
  memoryMB: 1024,
  timeoutS: 6,
  ephemeralStorageMB: 2048,
  provisionedConcurrency: 1,
  runtimeSettings: {
    layers: [{ ref: 'arn:aws:lambda:eu-west-1:464622532012:layer:Datadog-Node20-x:112', localDir: 'layers/dd', line: 9 }],
    nodeOptions: { flags: ['--enable-source-maps'], line: 10 },
    execWrapper: { value: '/opt/datadog_wrapper', line: 11 },
  },
  packaging: { form: 'bundled', tool: 'esbuild', basis: 'serverless-esbuild plugin bundles each function with esbuild', declaredIn: { file: 'serverless.yml', line: 3 }, statsFile: 'meta.json', externals: ['aws-sdk'] },
  region: 'eu-west-1',
  defaulted: ['architecture', 'timeoutS'],
  runtimeDeclaredIn: { file: 'serverless.yml', line: 7 },
  declaredIn: { file: 'serverless.yml', line: 12 },
  handler: {
    file: 'src/handlers/create.ts',
    export: 'handler',
    line: 10,
    declared: 'src/handlers/create.handler',
    mapping: 'exact',
  },
  init: {
    estInitMs: 272,
    modules: 6,
    lines: 612,
    files: [
      'src/handlers/create.ts',
      'src/lib/db.ts',
      'src/lib/http.ts',
      'src/lib/dates.ts',
      'src/lib/config.ts',
      'src/lib/plugins.ts',
    ],
    packages: [
      {
        name: 'aws-sdk',
        subpaths: [],
        chain: ['src/handlers/create.ts', 'src/lib/db.ts'],
        estInitMs: 150,
        sizeBytes: 9_800_000,
        version: '2.1692.0',
        source: 'installed',
        basis: 'catalog aws-sdk@2.1692.0 (2026-11-27)',
      },
      {
        name: 'axios',
        subpaths: [],
        chain: ['src/handlers/create.ts', 'src/lib/http.ts'],
        estInitMs: 46,
        sizeBytes: 2_150_400,
        version: '1.7.9',
        source: 'installed',
        basis: 'catalog axios@1.7.9 (2026-11-27)',
      },
      {
        name: 'lodash',
        subpaths: [],
        chain: ['src/handlers/create.ts'],
        estInitMs: 35.4,
        sizeBytes: 1_412_000,
        version: null,
        source: 'catalog',
        basis: 'catalog lodash@4.17.21 (2026-11-27)',
      },
      {
        name: 'date-fns',
        subpaths: ['format', 'addDays'],
        chain: ['src/handlers/create.ts', 'src/lib/dates.ts'],
        estInitMs: 26.6,
        sizeBytes: 999_960,
        version: '3.6.0',
        source: 'installed',
        basis: 'catalog date-fns@3.6.0 (2026-11-27)',
      },
      {
        name: '@acme/feature-flags',
        subpaths: [],
        chain: ['src/handlers/create.ts', 'src/lib/config.ts'],
        estInitMs: 14,
        sizeBytes: 812,
        version: '0.4.1',
        source: 'installed',
        basis: 'installed 0.4.1: 2 modules, 1 KB loaded at init (static walk of node_modules), load model fitted 2026-12-02',
        versionSource: 'installed',
      },
      {
        name: '@acme/legacy-audit',
        subpaths: [],
        chain: ['src/handlers/create.ts', 'src/lib/db.ts'],
        estInitMs: null,
        sizeBytes: null,
        version: null,
        source: 'unknown',
        basis: 'unpriced: not in the catalog and not installed',
      },
    ],
    lazy: [{ file: 'src/handlers/create.ts', line: 41, specifier: '@aws-sdk/client-s3' }],
    unresolved: [
      {
        file: 'src/lib/plugins.ts',
        line: 7,
        column: 15,
        specifier: 'require(`./plugins/${name}`)',
        reason: 'dynamic',
      },
    ],
    topLevelAwait: [{ file: 'src/lib/config.ts', line: 3, column: 16 }],
    form: 'unbundled',
    formBasis: 'unbundled assumed: no bundler found for this function',
    unpriced: ['@acme/legacy-audit'],
  },
  findings: [
    {
      ruleId: 'aws-sdk-v2',
      severity: 'error',
      file: 'src/lib/db.ts',
      line: 1,
      column: 1,
      message:
        'The whole aws-sdk v2 loads at init: every cold start pays for all its service models. Import only the v3 clients you use (@aws-sdk/client-dynamodb).',
      estInitMs: 150,
      chain: ['src/handlers/create.ts', 'src/lib/db.ts'],
    },
    {
      ruleId: 'heavy-init-import',
      severity: 'warn',
      file: 'src/lib/http.ts',
      line: 2,
      column: 1,
      message: 'axios loads at init for one call. Use the global fetch of Node 20, or import axios lazily.',
      estInitMs: 46,
      chain: ['src/handlers/create.ts', 'src/lib/http.ts'],
    },
    {
      ruleId: 'barrel-import',
      severity: 'warn',
      file: 'src/handlers/create.ts',
      line: 4,
      column: 1,
      message: 'The whole lodash is imported for _.get. Import lodash/get instead.',
      estInitMs: 35.4,
    },
    {
      ruleId: 'top-level-await',
      severity: 'warn',
      file: 'src/lib/config.ts',
      line: 3,
      column: 16,
      message: 'Top-level await fetches secrets before the first request can start. Fetch them on first use and cache.',
      estInitMs: null,
      chain: ['src/handlers/create.ts', 'src/lib/config.ts'],
    },
    {
      ruleId: 'dynamic-require',
      severity: 'info',
      file: 'src/lib/plugins.ts',
      line: 7,
      column: 15,
      message: 'require(`./plugins/${name}`) cannot be followed statically: its init cost is not counted.',
      estInitMs: null,
      fingerprint: '3f2a9c4e1b7d6a05',
    },
  ],
  ioTangle: {
    score: 0.72,
    ioCalls: 5,
    verdict: 'tangled',
    inputs: {
      ioCalls: 5,
      ioFunctions: 3,
      maxPhases: 3,
      extraPhases: 1,
      branchesBetweenIo: 2,
      conditionalIo: 1,
      ioInLoops: 1,
      interleavedLoops: 0,
      fanOut: 0,
      recursion: 0,
      streams: 0,
      maxIoDepth: 2,
      routesWithIo: 0,
      points: 4.5,
    },
    evidence: [
      { file: 'src/handlers/create.ts', line: 14, column: 9, what: 'I/O: ddb.send(new GetCommand(...))' },
      { file: 'src/handlers/create.ts', line: 21, column: 11, what: 'I/O inside a loop, one item at a time: ddb.send(new PutCommand(...))' },
    ],
  },
  portability: {
    rust: {
      verdict: 'blocked',
      blockers: [
        { kind: 'dynamic-require', name: 'require(`./plugins/${name}`)', file: 'src/lib/plugins.ts', line: 7, column: 15, note: 'module chosen at run time' },
      ],
      risks: [],
    },
    llrt: {
      verdict: 'risky',
      blockers: [],
      risks: [{ kind: 'builtin', name: 'node:crypto', file: 'src/handlers/create.ts', line: 2, column: 1, note: 'node:crypto is partly implemented on LLRT' }],
    },
    packages: [{ package: 'lodash', crates: [], fit: 'std', note: 'Iterator adaptors and std collections cover it.' }],
  },
  effort: {
    size: 'M',
    points: 8.6,
    inputs: {
      ownLines: 420,
      ownFiles: 6,
      packages: 4,
      packagesWithoutEquivalent: [],
      tangleScore: 0.72,
      dynamicFeatures: 1,
      blockers: 0,
    },
    basis: 'lines/100 x 1 + packages x 0.25 + packages without a Rust equivalent x 3 + tangle score x 6 + dynamic features x 2 + other blockers x 2',
  },
  metrics: {
    source: 'aws',
    measuredBy: 'aws',
    status: 'ok',
    deployedName: 'orders-prod-createOrder',
    logGroups: ['/aws/lambda/orders-prod-createOrder'],
    region: 'eu-west-1',
    window: { from: '2026-11-13T00:00:00.000Z', to: '2026-11-27T00:00:00.000Z' },
    invocations: 18_240,
    coldStarts: 412,
    initMs: { p50: 842.5, p90: 1013.2, p99: 1290.75, avg: 871.04, max: 1544.1 },
    durationMs: { p50: 182.3, p90: 410.9, p99: 921.4, avg: 233.18, max: 2980.2 },
    billedDurationMs: { avg: 253.6, max: 4012 },
    memorySizeMB: 1024,
    maxMemoryUsedMB: 187,
    percentiles: 'server',
    truncated: false,
    config: { runtime: 'nodejs20.x', architecture: 'x86_64', memoryMB: 1024, packageType: 'Zip', codeSizeBytes: 18_734_112, logFormat: 'Text', ephemeralStorageMB: 2048 },
    detail: null,
  },
  cost: null,
  plan: null,
  rank: 1,
};

const listOrders: FunctionResult = {
  id: 'template.yaml#ListOrdersFunction',
  name: 'ListOrdersFunction',
  provider: 'sam',
  deployedNames: ['orders-prod-list', 'ListOrdersFunction'],
  runtime: 'nodejs20.x',
  architecture: 'arm64',
  memoryMB: 512,
  timeoutS: null,
  runtimeSettings: {
    layers: [
      { ref: 'arn:aws:lambda:us-east-1:580247275435:layer:LambdaInsightsExtension-Arm64:20', line: 52 },
      { ref: 'CommonLayer', localDir: 'layers/common', line: 53 },
    ],
    nodeOptions: { flags: ['--enable-source-maps'], line: 56 },
    execWrapper: { value: '/opt/wrapper.sh', line: 57 },
  },
  packaging: { form: 'bundled', tool: 'esbuild', basis: 'Metadata.BuildMethod: esbuild', declaredIn: { file: 'template.yaml', line: 60 }, statsFile: '.aws-sam/build/ListOrdersFunction/meta.json' },
  declaredIn: { file: 'template.yaml', line: 48 },
  handler: {
    file: 'src/handlers/list.ts',
    export: 'handler',
    line: 5,
    declared: 'dist/list.handler',
    mapping: 'guessed',
    mappingNote: 'CodeUri is dist/; mapped dist/list.js to src/handlers/list.ts',
  },
  init: {
    estInitMs: 54,
    modules: 2,
    lines: 96,
    files: ['src/handlers/list.ts', 'src/lib/repo.ts'],
    packages: [
      {
        name: '@aws-sdk/client-dynamodb',
        subpaths: [],
        chain: ['src/handlers/list.ts', 'src/lib/repo.ts'],
        estInitMs: 40,
        sizeBytes: 3_912_345,
        version: '3.699.0',
        source: 'installed',
        basis: 'catalog @aws-sdk/client-dynamodb@3.699.0 (2026-11-27)',
      },
      {
        name: 'pino',
        subpaths: [],
        chain: ['src/handlers/list.ts'],
        estInitMs: 14,
        sizeBytes: 651_000,
        version: '9.5.0',
        source: 'installed',
        basis: 'catalog pino@9.5.0 (2026-11-27)',
      },
    ],
    lazy: [],
    unresolved: [],
    topLevelAwait: [],
    runtimeAdditions: {
      estInitMs: 55,
      items: [
        { kind: 'layer', what: 'CloudWatch Lambda Insights extension', ref: 'arn:aws:lambda:us-east-1:580247275435:layer:LambdaInsightsExtension-Arm64:20', file: 'template.yaml', line: 52, estInitMs: 30, basis: 'runtime-additions lambda-insights (estimate, 2026-12-02)', catalogId: 'lambda-insights' },
        { kind: 'layer', what: 'layer built from layers/common', ref: 'CommonLayer', file: 'template.yaml', line: 53, estInitMs: null, basis: "this repository's own layer: its modules are priced where the handler imports them (/opt/nodejs), not here" },
        { kind: 'node-option', what: 'NODE_OPTIONS --enable-source-maps', ref: '--enable-source-maps', file: 'template.yaml', line: 56, estInitMs: 15, basis: 'runtime-additions --enable-source-maps (measured, 2026-12-02)' },
        { kind: 'exec-wrapper', what: 'exec wrapper script', ref: '/opt/wrapper.sh', file: 'template.yaml', line: 57, estInitMs: 10, basis: 'runtime-additions /opt/wrapper.sh (estimate, 2026-12-02)' },
      ],
    },
  },
  profile: {
    status: 'ok',
    detail: null,
    loaded: '.aws-sam/build/ListOrdersFunction/list.js',
    node: 'v20.20.2',
    measuredInitMs: 88.4,
    estInitMs: 109,
    groups: { own: { ms: 6.1, modules: 1 }, packages: { ms: 71.2, modules: 34 }, layers: { ms: 4.4, modules: 2 }, core: { ms: 0.3, modules: 41 } },
    packages: [
      { name: '@aws-sdk/client-dynamodb', group: 'packages', ms: 52.7, modules: 29 },
      { name: 'pino', group: 'packages', ms: 18.5, modules: 5 },
      { name: 'common-utils', group: 'layers', ms: 4.4, modules: 2 },
    ],
    slowest: [
      { file: 'src/node_modules/@aws-sdk/client-dynamodb/dist-cjs/index.js', group: 'packages', selfMs: 31.2 },
      { file: '.aws-sam/build/ListOrdersFunction/list.js', group: 'own', selfMs: 6.1 },
    ],
    blocked: [],
    sandbox: 'Node permission model (--experimental-permission: reads limited to the service, no writes, no child processes, no workers); network, file-write and process entry points replaced by failures; scrubbed environment (no inherited variables, no AWS credentials, NODE_OPTIONS cleared); 10000 ms limit',
  },
  findings: [
    {
      ruleId: 'sdk-client-in-handler',
      severity: 'warn',
      file: 'src/handlers/list.ts',
      line: 12,
      column: 18,
      message: 'DynamoDBClient is created inside the handler, once per request. Create it at module scope.',
      estInitMs: null,
    },
  ],
  ioTangle: null,
  metrics: null,
  cost: null,
  plan: null,
  rank: 2,
};

/** Hostile on purpose: each character below must come out inert in every format. */
export const NASTY_NAME = 'notify`ops`|@channel\u202Etxt.exe';
export const NASTY_FILE = 'src/handlers/notify|`x`.ts';

const notify: FunctionResult = {
  id: `serverless.yml#${NASTY_NAME}`,
  name: NASTY_NAME,
  provider: 'serverless',
  deployedNames: [`orders-dev-${NASTY_NAME}`],
  runtime: 'nodejs22.x',
  architecture: null,
  memoryMB: null,
  timeoutS: 3,
  profile: {
    status: 'failed',
    detail: 'loading threw ERR_LAMBDA_MIGRATE_BLOCKED: lambda-migrate profile: network is blocked while a handler is profiled (net.connect)',
    loaded: 'src/handlers/notify.js',
    node: 'v20.20.2',
    measuredInitMs: 12.3,
    estInitMs: 0,
    groups: { own: { ms: 0.4, modules: 1 }, packages: { ms: 0, modules: 0 }, layers: { ms: 0, modules: 0 }, core: { ms: 0, modules: 1 } },
    packages: [],
    slowest: [{ file: 'src/handlers/notify.js', group: 'own', selfMs: 0.4 }],
    blocked: [{ kind: 'network', what: 'net.connect' }],
    sandbox: 'Node permission model (--experimental-permission: reads limited to the service, no writes, no child processes, no workers); network, file-write and process entry points replaced by failures; scrubbed environment (no inherited variables, no AWS credentials, NODE_OPTIONS cleared); 10000 ms limit',
  },
  declaredIn: { file: 'serverless.yml', line: 30 },
  handler: {
    file: NASTY_FILE,
    export: 'handler',
    line: null,
    declared: 'src/handlers/notify|`x`.handler',
    mapping: 'exact',
  },
  init: {
    estInitMs: 0,
    modules: 1,
    lines: 18,
    files: [NASTY_FILE],
    packages: [],
    lazy: [],
    unresolved: [],
    topLevelAwait: [],
  },
  findings: [],
  ioTangle: { score: 0, ioCalls: 1, verdict: 'clean' },
  metrics: {
    source: 'aws',
    measuredBy: 'aws',
    status: 'access_denied',
    deployedName: `orders-dev-${NASTY_NAME}`,
    logGroups: [`/aws/lambda/orders-dev-${NASTY_NAME}`],
    region: 'eu-west-1',
    window: { from: '2026-11-13T00:00:00.000Z', to: '2026-11-27T00:00:00.000Z' },
    invocations: null,
    coldStarts: null,
    initMs: null,
    durationMs: null,
    billedDurationMs: null,
    memorySizeMB: null,
    maxMemoryUsedMB: null,
    percentiles: 'server',
    truncated: false,
    config: { runtime: 'nodejs20.x', architecture: null, memoryMB: null, packageType: 'Zip', codeSizeBytes: 2_104_880, logFormat: 'JSON' },
    detail: `logs:StartQuery denied on /aws/lambda/orders-dev-${NASTY_NAME}`,
  },
  cost: null,
  plan: null,
  rank: 3,
};

/** Declared, but its handler file is gone: listed without an init graph. */
const archiveOrders: FunctionResult = {
  id: 'serverless.yml#archiveOrders',
  name: 'archiveOrders',
  provider: 'serverless',
  deployedNames: ['orders-dev-archiveOrders'],
  runtime: 'nodejs20.x',
  architecture: 'arm64',
  memoryMB: 256,
  timeoutS: 6,
  declaredIn: { file: 'serverless.yml', line: 42 },
  handler: {
    file: null,
    export: 'handler',
    line: null,
    declared: 'src/handlers/archive.handler',
    mapping: 'unresolved',
    mappingNote: 'no source file for src/handlers/archive.handler',
    reason: 'handler_not_found',
  },
  init: null,
  findings: [],
  ioTangle: null,
  metrics: null,
  cost: null,
  plan: null,
  rank: 4,
  // Set by `lambda-migrate merge`; here so the schema test sees every declared property.
  service: 'orders-service',
};

export const sampleResult: ScanResult = {
  schemaVersion: 1,
  tool: { name: 'lambda-migrate', version: '0.1.0' },
  root: 'services/orders',
  complete: false,
  summary: {
    functions: 4,
    files: 152,
    lines: 18_406,
    findings: { error: 1, warn: 4, info: 1 },
    estInitMs: 326,
    metricsSource: 'aws',
  },
  rules: [
    {
      id: 'aws-sdk-v2',
      description: 'Disallow loading the whole aws-sdk v2 at init',
      severity: 'error',
      category: 'init-cost',
      docs: 'rules/aws-sdk-v2.md',
    },
    {
      id: 'barrel-import',
      description: 'Disallow importing a whole library for a few functions',
      severity: 'warn',
      category: 'init-cost',
      docs: 'rules/barrel-import.md',
    },
    {
      id: 'dynamic-require',
      description: 'Disallow require calls that cannot be followed statically',
      severity: 'info',
      category: 'portability',
      docs: 'rules/dynamic-require.md',
    },
    {
      id: 'heavy-init-import',
      description: 'Disallow heavy packages on the init path',
      severity: 'warn',
      category: 'init-cost',
      docs: 'rules/heavy-init-import.md',
    },
    {
      id: 'sdk-client-in-handler',
      description: 'Disallow creating SDK clients inside the handler',
      severity: 'warn',
      category: 'init-cost',
      docs: 'rules/sdk-client-in-handler.md',
    },
    {
      id: 'top-level-await',
      description: 'Disallow top-level await in init modules',
      severity: 'warn',
      category: 'init-cost',
      docs: 'rules/top-level-await.md',
    },
  ],
  // Not in rank order on purpose: reports must sort by rank themselves.
  functions: [listOrders, createOrder, notify, archiveOrders],
  skipped: [
    {
      file: 'src/legacy/broken.ts',
      reason: 'parse_error',
      detail: "Unexpected token '*' near **_draft_** at 12:4",
    },
  ],
  warnings: [
    'serverless.yml: ${ssm:/orders/<details>} cannot be resolved statically; ask @org/team\nor see \u001B[31mdocs\u001B[0m',
  ],
  unreferenced: [{ file: 'src/handlers/old-export.ts', export: 'handler', line: 7 }],
  notAnalysed: [
    {
      id: 'serverless.yml#resize',
      name: 'resize',
      declaredIn: { file: 'serverless.yml', line: 61 },
      reason: 'runtime',
      detail: 'python3.12',
    },
  ],
  suppressed: { inline: 2, baseline: 5, allowedFiles: 0, configFile: '.lambda-migrate.yaml' },
  // As `diff` / `scan --baseline RESULT.json` attach it: the base had no notify function, an older createOrder and a
  // legacyExport function since removed. Hostile text in names and messages reaches the diff sections too.
  diff: {
    base: { root: 'services/orders', toolVersion: '0.1.0', functions: 4, estInitMs: 272.8, monthlyMicroUsd: 41_250_000 },
    functions: [
      {
        id: 'serverless.yml#createOrder',
        name: 'createOrder',
        status: 'changed',
        estInitMs: { base: 199.4, head: 272, delta: 72.6 },
        measuredInitMs: { base: 301.2, head: 388.5, delta: 87.3 },
        monthlyMicroUsd: { base: 9_100_000, head: 12_400_000, delta: 3_300_000 },
        packagesAdded: [
          { name: 'axios', estInitMs: 46 },
          { name: 'date-fns/format, date-fns/addDays', estInitMs: 26.6 },
        ],
        packagesRemoved: [{ name: 'moment', estInitMs: null }],
        findingsNew: [
          {
            ruleId: 'heavy-init-import',
            severity: 'warn',
            file: 'src/lib/http.ts',
            line: 1,
            message: "'axios' loads at init (est. 46 ms): import it where it is used",
            estInitMs: 46,
          },
        ],
        findingsFixed: [
          {
            ruleId: 'barrel-import',
            severity: 'warn',
            file: 'src/handlers/create.ts',
            line: 4,
            message: "'moment' is imported whole for one call",
            estInitMs: null,
          },
        ],
      },
      {
        // Scanned without metrics in the head: the 14 ms it adds is priced with the base's 20,000 cold starts a month,
        // 20,000 x 512 MB x 14 ms = 140 GB-s x $0.0000133334 = $0.001866676 -> 1,867 micro-USD.
        id: 'template.yaml#ListOrdersFunction',
        name: 'ListOrdersFunction',
        status: 'changed',
        estInitMs: { base: 40, head: 54, delta: 14 },
        measuredInitMs: null,
        monthlyMicroUsd: { base: 1_500_000, head: 1_501_867, delta: 1_867 },
        initPriced: {
          basis: 'base-usage',
          initMsAdded: 14,
          coldStartsPerMonth: 20_000,
          memoryMB: 512,
          architecture: 'arm64',
          region: 'us-east-1',
          perGbSecond: '0.0000133334',
          initBilled: true,
          microUsd: 1_867,
        },
        packagesAdded: [],
        packagesRemoved: [],
        findingsNew: [],
        findingsFixed: [],
      },
      {
        id: 'serverless.yml#legacyExport',
        name: 'legacyExport',
        status: 'removed',
        estInitMs: { base: 150, head: null, delta: -150 },
        measuredInitMs: null,
        monthlyMicroUsd: { base: 2_500_000, head: null, delta: -2_500_000 },
        packagesAdded: [],
        packagesRemoved: [{ name: 'aws-sdk', estInitMs: 150 }],
        findingsNew: [],
        findingsFixed: [],
      },
      {
        id: `serverless.yml#${NASTY_NAME}`,
        name: NASTY_NAME,
        status: 'added',
        estInitMs: { base: null, head: 14, delta: 14 },
        measuredInitMs: null,
        monthlyMicroUsd: { base: null, head: null, delta: null },
        packagesAdded: [{ name: '@acme/feature-flags', estInitMs: 14 }],
        packagesRemoved: [],
        findingsNew: [
          {
            ruleId: 'top-level-await',
            severity: 'warn',
            file: NASTY_FILE,
            line: 3,
            message: 'top-level await of `<details>` @org/team | blocks init',
            estInitMs: null,
          },
        ],
        findingsFixed: [],
      },
    ],
    totals: {
      functionsAdded: 1,
      functionsRemoved: 1,
      functionsChanged: 2,
      estInitMsAdded: -49.4,
      estInitPct: -18.1,
      monthlyMicroUsdAdded: 801_867,
      monthlyPct: 1.9,
      findingsNew: 2,
      findingsFixed: 1,
    },
  },
};

// The cost model runs over the sample as scan() runs it: on a copy of the list, so the list stays out of rank order.
sampleResult.summary.cost = applyCostModel([...sampleResult.functions], loadCostData().catalog, loadCostData().factors, {
  region: 'us-east-1',
  invocations: null,
  coldStartRate: null,
  freeTier: true,
  headroom: null,
  billingDate: null,
});

/** The same scan over a directory with no handlers. */
export const emptyResult: ScanResult = {
  schemaVersion: 1,
  tool: { name: 'lambda-migrate', version: '0.1.0' },
  root: '.',
  complete: true,
  summary: {
    functions: 0,
    files: 0,
    lines: 0,
    findings: { error: 0, warn: 0, info: 0 },
    estInitMs: 0,
    metricsSource: 'none',
  },
  rules: [],
  functions: [],
  skipped: [],
  warnings: [],
};

/** Text a scanned repository controls, hostile to every report: a mention, code, a table pipe, HTML, the PR-comment marker, CR/LF, a bidi override. */
export const HOSTILE_TEXT = '@team `x` | <details><script>alert(1)</script> <!-- lambda-migrate:pr-comment --> a\r\nb \u202Etxt';

function hostileTarget(target: PortabilityTarget, text: string): PortabilityTarget {
  const issue = (i: PortabilityIssue): PortabilityIssue => ({ ...i, name: `${i.name}${text}`, file: `src/${text}.ts`, note: `${i.note} ${text}` });
  return { ...target, blockers: target.blockers.map(issue), risks: target.risks.map(issue) };
}

/**
 * `sampleResult` with `text` in every name the scanned code controls: root, functions, services, files, packages,
 * findings, what blocks a port, unreferenced handlers, functions not analysed, skipped files, warnings.
 */
export function hostileResult(text: string = HOSTILE_TEXT): ScanResult {
  return {
    ...sampleResult,
    root: `services/${text}`,
    unreferenced: (sampleResult.unreferenced ?? []).map((u) => ({ ...u, file: `src/${text}/old.ts`, export: `handler${text}` })),
    notAnalysed: (sampleResult.notAnalysed ?? []).map((n) => ({ ...n, name: `${n.name}${text}`, declaredIn: { ...n.declaredIn, file: `${text}.yml` }, detail: `${n.detail}${text}` })),
    functions: sampleResult.functions.map((fn) => ({
      ...fn,
      id: `${fn.id}${text}`,
      name: `${fn.name}${text}`,
      service: fn.service === undefined ? undefined : `${fn.service}${text}`,
      portability:
        fn.portability === undefined || fn.portability === null
          ? fn.portability
          : { ...fn.portability, rust: hostileTarget(fn.portability.rust, text), llrt: hostileTarget(fn.portability.llrt, text) },
      effort:
        fn.effort === undefined || fn.effort === null
          ? fn.effort
          : { ...fn.effort, inputs: { ...fn.effort.inputs, packagesWithoutEquivalent: [`left-pad${text}`] } },
      deployedNames: fn.deployedNames.map((name) => `${name}${text}`),
      handler: { ...fn.handler, file: fn.handler.file === null ? null : `src/${text}/${fn.name}.ts` },
      init:
        fn.init === null
          ? null
          : {
              ...fn.init,
              packages: fn.init.packages.map((pkg) => ({ ...pkg, name: `${pkg.name}${text}`, chain: pkg.chain.map((file) => `${file}${text}`) })),
            },
      findings: fn.findings.map((finding) => ({ ...finding, file: `src/${text}.ts`, message: `${finding.message} ${text}` })),
    })),
    skipped: sampleResult.skipped.map((entry) => ({ ...entry, file: `src/${text}.ts`, detail: text })),
    warnings: [...sampleResult.warnings, text],
  };
}
