import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { extractFacts } from '../../src/graph/facts.js';
import { REPORT_STATS_QUERY } from '../../src/metrics/insights-query.js';
import { loadCrateVersions } from '../../src/scaffold/crates.js';
import { prepareScaffold, scaffoldFiles, type ScaffoldInput } from '../../src/index.js';
import { golden } from '../helpers/golden.js';
import { findRustfmt, REPO, rustfmtCheck } from './helpers.js';

const ORDERS = path.join(REPO, 'examples', 'orders-service');
const sourceLine = (rel: string, line: number): string => readFileSync(path.join(ORDERS, rel), 'utf8').split('\n')[line - 1] ?? '';

/** Files under a golden scaffold directory, relative to it. */
function goldenFiles(dir: string): string[] {
  const root = path.join(REPO, 'test', 'golden', 'scaffold', dir);
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const name of readdirSync(path.join(root, rel)).sort()) {
      const r = rel === '' ? name : `${rel}/${name}`;
      if (statSync(path.join(root, r)).isDirectory()) walk(r);
      else out.push(r);
    }
  };
  walk('');
  return out.sort();
}

/** `// ... replaces file:line` and `//   file:line I/O: what` comments of a generated file. */
function citations(rs: string): { replaces: { file: string; line: number }[]; io: { file: string; line: number; what: string }[] } {
  const replaces = [...rs.matchAll(/^\/\/ .* replaces (\S+):(\d+)$/gm)].map((m) => ({ file: m[1] ?? '', line: Number(m[2]) }));
  const io = [...rs.matchAll(/^\/\/ {3}(\S+):(\d+) (.+)$/gm)].map((m) => ({ file: m[1] ?? '', line: Number(m[2]), what: m[3] ?? '' }));
  return { replaces, io };
}

describe('scaffold: orders-service ordersApi (express behind serverless-http)', () => {
  let input: ScaffoldInput;
  let files: Map<string, string>;
  beforeAll(async () => {
    input = await prepareScaffold({ root: 'examples/orders-service', cwd: REPO, function: 'ordersApi' });
    files = scaffoldFiles(input);
  });

  it('writes the crate, byte for byte as the golden directory', () => {
    for (const [rel, content] of files) expect(content, rel).toBe(golden(`scaffold/orders-service-ordersApi/${rel}`, content));
    expect([...files.keys()]).toEqual(goldenFiles('orders-service-ordersApi'));
  });

  it('reads the route table from the source: three routes on a router mounted at /v1', () => {
    expect(input.routes?.framework).toBe('express');
    expect(input.routes?.routes.map((r) => [r.method, r.path, r.file, r.line, r.handler.line, r.handler.endLine])).toEqual([
      ['GET', '/v1/orders/:id', 'src/handlers/orders-api.js', 36, 36, 44],
      ['GET', '/v1/customers/:customerId/orders', 'src/handlers/orders-api.js', 46, 46, 54],
      ['POST', '/v1/orders', 'src/handlers/orders-api.js', 56, 56, 75],
    ]);
    const main = files.get('src/main.rs') ?? '';
    expect(main).toContain('.route("/v1/orders/{id}", get(get_v1_orders_id))');
    expect(main).toContain('.route("/v1/orders", post(post_v1_orders))');
    expect(main).toMatch(/\.route\(\s*"\/v1\/customers\/\{customerId\}\/orders",\s*get\(get_v1_customers_customer_id_orders\),\s*\)/);
  });

  it('agrees with the scan facts on which callbacks are routes (facts.ts labels them, without mounts)', () => {
    const text = readFileSync(path.join(ORDERS, 'src/handlers/orders-api.js'), 'utf8');
    const outcome = extractFacts('src/handlers/orders-api.js', text);
    if (!outcome.ok) throw new Error('orders-api.js must parse');
    const labelled = outcome.facts.functions.filter((f) => f.route !== null).map((f) => [f.route, f.line]);
    expect(labelled).toEqual(input.routes?.routes.map((r) => [`${r.method} ${r.localPath}`, r.handler.line]));
  });

  it('cites the Node lines each stub replaces and the I/O found in it, and those lines say so', () => {
    const { replaces, io } = citations(files.get('src/main.rs') ?? '');
    expect(replaces.map((r) => `${r.file}:${r.line}`)).toEqual([
      'src/handlers/orders-api.js:36',
      'src/handlers/orders-api.js:46',
      'src/handlers/orders-api.js:56',
    ]);
    expect(sourceLine('src/handlers/orders-api.js', 36)).toContain("router.get('/orders/:id'");
    expect(sourceLine('src/handlers/orders-api.js', 46)).toContain("router.get('/customers/:customerId/orders'");
    expect(sourceLine('src/handlers/orders-api.js', 56)).toContain("router.post('/orders'");
    expect(sourceLine('src/handlers/orders-api.js', 77)).toContain("app.use('/v1', router)");
    // Per-route I/O, then the shared module's I/O listed beside AppState.
    expect(io.map((e) => `${e.file}:${e.line}`)).toEqual([
      'src/lib/db.ts:32',
      'src/lib/db.ts:42',
      'src/lib/db.ts:47',
      'src/handlers/orders-api.js:38',
      'src/handlers/orders-api.js:49',
      'src/handlers/orders-api.js:70',
    ]);
    for (const e of io) {
      const callee = /^I\/O: ([\w.]+?)(?:\(\))?[.(]/.exec(e.what)?.[1]?.split('.')[0] ?? '';
      expect(callee, e.what).not.toBe('');
      expect(sourceLine(e.file, e.line), `${e.file}:${e.line}`).toContain(callee);
    }
  });

  it('maps the packages to crates: aws-sdk v2 DynamoDB -> aws-sdk-dynamodb, joi -> validator, uuid -> uuid', () => {
    expect(input.sdkV2Services).toEqual(['DynamoDB']);
    const cargo = files.get('Cargo.toml') ?? '';
    const versions = loadCrateVersions();
    for (const crate of ['axum', 'lambda_http', 'tower-http', 'tracing-subscriber', 'aws-config', 'validator', 'uuid']) {
      expect(cargo).toMatch(new RegExp(`^${crate} = (\\{ version = )?"${(versions.get(crate)?.version ?? '?').replace(/\./g, '\\.')}"`, 'm'));
    }
    expect(cargo).toMatch(/^aws-sdk-dynamodb = "1"$/m);
    expect(cargo).toMatch(/^tokio = \{ version = "[\d.]+", features = \["macros", "rt-multi-thread", "net"\] \}$/m);
    expect(cargo).toContain('[profile.release]\n');
    for (const line of ['lto = true', 'codegen-units = 1', 'strip = true', 'opt-level = "s"', 'panic = "abort"'])
      expect(cargo).toContain(`\n${line}\n`);
  });

  it('is dual mode: a local axum server in debug builds, lambda_http in release builds, one router', () => {
    const main = files.get('src/main.rs') ?? '';
    expect(main).toMatch(/#\[cfg\(debug_assertions\)\]\s*\{[^}]*TcpListener::bind\("127\.0\.0\.1:3000"\)[^}]*axum::serve\(listener, app\)/);
    expect(main).toMatch(/#\[cfg\(not\(debug_assertions\)\)\]\s*\{[^}]*lambda_http::run\(app\)/);
    expect(main).toContain('.json()');
    expect(main).toContain('let app = router(AppState::new().await);');
  });

  it('deploys with the IaC the service uses (Serverless), arm64 on provided.al2023', () => {
    const deploy = files.get('deploy/serverless.yml') ?? '';
    expect(deploy).toContain('runtime: provided.al2023');
    expect(deploy).toContain('architecture: arm64');
    expect(deploy).toContain('artifact: target/lambda/orders-api/bootstrap.zip');
    expect(deploy).toContain('# The Rust port of serverless.yml:108');
  });

  it("quotes the tool's own Logs Insights query in the README", () => {
    expect(files.get('README.md')).toContain(REPORT_STATS_QUERY);
  });
});

describe('scaffold: orders-service processOrders (SQS, partial batch failures)', () => {
  let input: ScaffoldInput;
  let files: Map<string, string>;
  beforeAll(async () => {
    input = await prepareScaffold({ root: 'examples/orders-service', cwd: REPO, function: 'serverless.yml#processOrders' });
    files = scaffoldFiles(input);
  });

  it('writes the crate, byte for byte as the golden directory', () => {
    for (const [rel, content] of files) expect(content, rel).toBe(golden(`scaffold/orders-service-processOrders/${rel}`, content));
    expect([...files.keys()]).toEqual(goldenFiles('orders-service-processOrders'));
  });

  it('takes the event type from the IaC: the sqs event at serverless.yml:124, with ReportBatchItemFailures', () => {
    expect(input.events).toEqual([{ kind: 'sqs', declared: 'sqs', batchItemFailures: true, file: 'serverless.yml', line: 124 }]);
    expect(sourceLine('serverless.yml', 124).trim()).toBe('- sqs:');
    const main = files.get('src/main.rs') ?? '';
    expect(main).toContain('use aws_lambda_events::event::sqs::SqsEvent;');
    expect(main).toContain('async fn handle(state: &AppState, event: LambdaEvent<SqsEvent>) -> Result<Value, Error> {');
    expect(main).toContain('lambda_runtime::run(handler)');
    expect(main).toContain('"batchItemFailures"');
    expect(main).toContain('// (sqs event at serverless.yml:124)');
    expect(files.get('Cargo.toml')).toMatch(/^aws_lambda_events = \{ version = "[\d.]+", default-features = false, features = \["sqs"\] \}$/m);
  });

  it('cites the handler and its I/O lines, which hold the calls named', () => {
    const { io } = citations(files.get('src/main.rs') ?? '');
    expect(files.get('src/main.rs')).toContain('// Replaces the export handler of src/handlers/process-orders.ts:61');
    expect(sourceLine('src/handlers/process-orders.ts', 61)).toContain('export const handler = middy(baseHandler)');
    expect(io.map((e) => `${e.file}:${e.line}`)).toEqual([
      'src/handlers/process-orders.ts:27',
      'src/handlers/process-orders.ts:36',
      'src/handlers/process-orders.ts:50',
    ]);
    expect(sourceLine('src/handlers/process-orders.ts', 27)).toContain('ddb.send(');
    expect(sourceLine('src/handlers/process-orders.ts', 36)).toContain('ddb.send(');
    expect(sourceLine('src/handlers/process-orders.ts', 50)).toContain('.map(reserveStock)');
  });

  it('ships a sample SQS event for the local runner and its test', () => {
    const sample: unknown = JSON.parse(files.get('events/sqs.json') ?? '');
    expect(Array.isArray(Reflect.get(Object(sample), 'Records'))).toBe(true);
    expect(files.get('src/main.rs')).toContain('include_str!("../events/sqs.json")');
  });
});

describe('scaffold: every generated .rs file is formatted as rustfmt would', () => {
  const rustfmt = findRustfmt();
  it.skipIf(rustfmt === null)(
    'rustfmt --check --edition 2021 passes on the golden crates (skips when rustfmt is not on PATH nor in ~/.cargo/bin)',
    () => {
      for (const dir of ['orders-service-ordersApi', 'orders-service-processOrders']) {
        const files = new Map(goldenFiles(dir).map((rel) => [rel, readFileSync(path.join(REPO, 'test', 'golden', 'scaffold', dir, rel), 'utf8')]));
        expect([...files.keys()].filter((f) => f.endsWith('.rs'))).toEqual(['src/core.rs', 'src/main.rs']);
        expect(rustfmtCheck(rustfmt ?? 'rustfmt', files), dir).toBe('');
      }
    },
  );
});
