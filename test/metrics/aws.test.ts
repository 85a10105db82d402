import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { runCli, type CliRun } from '../helpers/cli.js';
import { collectFromAws, type AwsOptions } from '../../src/metrics/aws.js';
import { REPORT_STATS_QUERY } from '../../src/metrics/insights-query.js';
import type { ScanResult } from '../../src/model/result.js';
import { signedWith, startFakeAws, type FakeAws, type FakeAwsOptions, type FakeFunction, type RecordedRequest } from '../helpers/fake-aws.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'lm-aws-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Planted in every fake function's environment: it must come out nowhere. */
const CANARY = 'canary-7d1f0c2e-DO-NOT-LEAK';
const CREDS = { accessKeyId: 'AKIDFAKE', secretAccessKey: 'fake-secret' };
const SINCE = new Date('2026-11-13T00:00:00.000Z');
const UNTIL = new Date('2026-11-27T00:00:00.500Z');

function fakeFunction(name: string, extra: Partial<FakeFunction> = {}): FakeFunction {
  return {
    FunctionName: name,
    Runtime: 'nodejs20.x',
    MemorySize: 1024,
    Architectures: ['x86_64'],
    PackageType: 'Zip',
    CodeSize: 1_234_567,
    LoggingConfig: { LogFormat: 'Text', LogGroup: `/aws/lambda/${name}` },
    Environment: { Variables: { DB_PASSWORD: CANARY, API_KEY: CANARY } },
    Role: 'arn:aws:iam::123456789012:role/fake',
    Handler: 'index.handler',
    ...extra,
  };
}

function statsRow(invocations: number, cold: number, initP50: number): Record<string, string> {
  return {
    invocations: String(invocations),
    coldStarts: String(cold),
    initP50: String(initP50),
    initP90: String(initP50 + 100),
    initP99: String(initP50 + 200),
    initAvg: String(initP50 + 10),
    initMax: String(initP50 + 250),
    durationP50: '120.5',
    durationP90: '180',
    durationP99: '310.25',
    durationAvg: '131.123',
    durationMax: '900',
    billedAvg: '150.4',
    billedMax: '1700',
    memorySizeMB: '1024',
    maxMemoryUsedMB: '141',
    firstSeen: '2026-11-14 06:00:00.000',
    lastSeen: '2026-11-26 23:00:00.000',
  };
}

const many = Array.from({ length: 125 }, (_, i) => fakeFunction(`fleet-fn-${String(i).padStart(3, '0')}`));
const manyStats = Object.fromEntries(many.slice(0, 100).map((f, i) => [`/aws/lambda/${f.FunctionName}`, statsRow(10 + i, i % 7, 300 + i)]));

let fake: FakeAws | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

async function start(options: FakeAwsOptions): Promise<FakeAws> {
  fake = await startFakeAws(options);
  return fake;
}

function opts(f: FakeAws, extra: Partial<AwsOptions> = {}): AwsOptions {
  return {
    regions: ['eu-west-1'],
    since: SINCE,
    until: UNTIL,
    env: { AWS_ENDPOINT_URL: f.endpoint },
    credentials: CREDS,
    pollIntervalMs: 10,
    ...extra,
  };
}

describe('collectFromAws against the loopback fake (real SDK clients)', () => {
  it('pages through 125 functions, survives throttling, queries 50 log groups at a time, waits out Running', async () => {
    const f = await start({ functions: many, stats: manyStats, throttle: { listFunctions: 2, startQuery: 1, getQueryResults: 1 }, runningPolls: 2 });
    const got = await collectFromAws(opts(f));
    expect(got.problem).toBeNull();
    expect(got.stats.functions).toBe(125);
    // 3 pages (50 + 50 + 25) plus the 2 throttled attempts the SDK retried
    expect(f.count('ListFunctions')).toBe(5);
    const starts = f.requests
      .filter((r) => r.action === 'StartQuery')
      .map((r) => r.body as { logGroupNames: string[]; startTime: number; endTime: number; queryString: string });
    // 3 batches + 1 retry: the first StartQuery to arrive was throttled and retried by the SDK
    expect(starts).toHaveLength(4);
    const accepted = starts.slice(1);
    expect(accepted.map((s) => s.logGroupNames.length).sort((a, b) => a - b)).toEqual([25, 50, 50]);
    expect(new Set(accepted.flatMap((s) => s.logGroupNames)).size).toBe(125);
    // Insights takes epoch seconds
    // 2026-01-01 is 56 x 365 + 14 leap days = 20,454 days after the epoch, Nov 13 is 316 days later: 20,770 days.
    // The window is in seconds; its end (00:00:00.500) rounds up to the next second.
    expect(starts[0]?.startTime).toBe(20_770 * 86_400);
    expect(starts[0]?.endTime).toBe((20_770 + 14) * 86_400 + 1);
    expect(starts[0]?.queryString).toBe(REPORT_STATS_QUERY);

    const set = got.set;
    expect(set?.entries).toHaveLength(125);
    const first = set?.entries.find((e) => e.key === 'fleet-fn-000')?.figures;
    expect(first).toEqual({
      status: 'ok',
      deployedName: 'fleet-fn-000',
      logGroups: ['/aws/lambda/fleet-fn-000'],
      region: 'eu-west-1',
      window: { from: '2026-11-14T06:00:00.000Z', to: '2026-11-26T23:00:00.000Z' },
      invocations: 10,
      coldStarts: 0,
      initMs: { p50: 300, p90: 400, p99: 500, avg: 310, max: 550 },
      durationMs: { p50: 120.5, p90: 180, p99: 310.25, avg: 131.12, max: 900 },
      billedDurationMs: { avg: 150.4, max: 1700 },
      memorySizeMB: 1024,
      maxMemoryUsedMB: 141,
      percentiles: 'server',
      truncated: false,
      config: { runtime: 'nodejs20.x', architecture: 'x86_64', memoryMB: 1024, packageType: 'Zip', codeSizeBytes: 1_234_567, logFormat: 'Text' },
      detail: null,
    });
    // Complete rows only: the partial Running rows would have left all but one function empty
    expect(set?.entries.filter((e) => e.figures.status === 'ok')).toHaveLength(100);
    const quiet = set?.entries.find((e) => e.key === 'fleet-fn-124')?.figures;
    expect([quiet?.status, quiet?.invocations, quiet?.initMs, quiet?.window]).toEqual([
      'no_invocations',
      0,
      null,
      { from: '2026-11-13T00:00:00.000Z', to: '2026-11-27T00:00:00.500Z' },
    ]);
    expect(JSON.stringify(got)).not.toContain(CANARY);
  });

  it('reads the log group from GetFunctionConfiguration when ListFunctions lacks LoggingConfig', async () => {
    const fns = [fakeFunction('custom', { LoggingConfig: { LogFormat: 'JSON', LogGroup: '/shared/app-logs' } }), fakeFunction('plain')];
    const f = await start({ functions: fns, stats: { '/shared/app-logs': statsRow(5, 1, 200) }, configOnlyInGet: ['custom'] });
    const got = await collectFromAws(opts(f));
    expect(f.count('GetFunctionConfiguration')).toBe(1);
    const custom = got.set?.entries.find((e) => e.key === 'custom')?.figures;
    expect([custom?.logGroups, custom?.invocations, custom?.config?.logFormat]).toEqual([['/shared/app-logs'], 5, 'JSON']);
  });

  it('AccessDenied on one log group: that function is access_denied with its configuration, the rest are measured', async () => {
    const fns = many.slice(0, 6);
    const f = await start({
      functions: fns,
      stats: manyStats,
      deniedGroups: ['/aws/lambda/fleet-fn-003'],
      missingGroups: ['/aws/lambda/fleet-fn-005'],
    });
    const got = await collectFromAws(opts(f));
    const by = Object.fromEntries((got.set?.entries ?? []).map((e) => [e.key, e.figures]));
    expect(by['fleet-fn-003']?.status).toBe('access_denied');
    expect(by['fleet-fn-003']?.invocations).toBeNull();
    expect(by['fleet-fn-003']?.detail).toBe('logs:StartQuery denied on /aws/lambda/fleet-fn-003');
    expect(by['fleet-fn-003']?.config?.memoryMB).toBe(1024);
    // a missing log group is "nothing logged in the window", not an error
    expect([by['fleet-fn-005']?.status, by['fleet-fn-005']?.detail]).toEqual(['no_invocations', 'log group /aws/lambda/fleet-fn-005 does not exist']);
    for (const k of ['fleet-fn-000', 'fleet-fn-001', 'fleet-fn-002', 'fleet-fn-004']) expect(by[k]?.status, k).toBe('ok');
    expect(JSON.stringify(got)).not.toContain('is not authorized');
  });

  it('expired credentials: one clear problem, one request, no retry storm', async () => {
    const f = await start({ functions: many, expiredToken: true });
    const got = await collectFromAws(opts(f));
    expect(got.set).toBeNull();
    expect(got.problem).toEqual({
      kind: 'auth',
      message:
        'AWS rejected the credentials on lambda:ListFunctions (ExpiredTokenException): they are expired or invalid. Refresh them (e.g. aws sso login) and run again',
    });
    expect(f.requests).toHaveLength(1);
  });

  it('a page marker that repeats is an error, not an endless loop', async () => {
    const f = await start({ functions: many, repeatMarker: true });
    const got = await collectFromAws(opts(f));
    expect(got.problem?.kind).toBe('unusable');
    expect(got.problem?.message).toBe(
      'AWS could not be read: ListFunctions in eu-west-1 returned the same page marker twice (after 2 pages): the listing would never end',
    );
    expect(f.count('ListFunctions')).toBe(2);
  });

  it('the deadline stops running queries (StopQuery) and flags their functions, never as 0', async () => {
    const f = await start({ functions: many.slice(0, 3), stats: manyStats, neverComplete: true });
    const got = await collectFromAws(opts(f, { deadlineMs: 150 }));
    expect(f.count('StopQuery')).toBe(1);
    expect(got.stats.stopped).toBe(1);
    for (const e of got.set?.entries ?? []) {
      expect([e.figures.status, e.figures.invocations, e.figures.truncated, e.figures.detail]).toEqual([
        'error',
        null,
        true,
        'query stopped: deadline reached',
      ]);
    }
  });

  it('Ctrl-C (the abort signal) stops running queries', async () => {
    const f = await start({ functions: many.slice(0, 60), stats: manyStats, neverComplete: true });
    const controller = new AbortController();
    const pending = collectFromAws(opts(f, { signal: controller.signal, pollIntervalMs: 20 }));
    await new Promise((r) => setTimeout(r, 120));
    controller.abort();
    const got = await pending;
    expect(f.count('StopQuery')).toBe(2);
    expect(got.stats.stopped).toBe(2);
    expect(got.set?.entries.every((e) => e.figures.detail === 'query stopped: cancelled')).toBe(true);
  });

  it('only the discovered names are queried when they are given', async () => {
    const f = await start({ functions: many, stats: manyStats });
    const got = await collectFromAws(opts(f, { functionNames: ['fleet-fn-001', 'fleet-fn-120', 'not-deployed'] }));
    expect(got.set?.entries.map((e) => e.key)).toEqual(['fleet-fn-001', 'fleet-fn-120']);
    expect((f.requests.find((r) => r.action === 'StartQuery')?.body as { logGroupNames: string[] }).logGroupNames).toEqual([
      '/aws/lambda/fleet-fn-001',
      '/aws/lambda/fleet-fn-120',
    ]);
    expect(got.set?.warnings).toEqual(['eu-west-1: 123 deployed function(s) are not among the discovered names (not queried)']);
  });
});

describe('scan --aws through the CLI (env endpoint and credentials), and the canary', () => {
  const orders = ['createOrder', 'getOrder', 'ordersApi', 'processOrders', 'paymentWebhook', 'generateInvoice', 'health', 'adminListOrders'].map(
    (n) => fakeFunction(`orders-dev-${n}`),
  );
  const stats = Object.fromEntries(orders.map((f, i) => [`/aws/lambda/${f.FunctionName}`, statsRow(100 + i, 10 + i, 500 + i)]));

  const cli = (argv: string[], f: FakeAws, env: Record<string, string> = {}): Promise<CliRun> =>
    runCli(argv, { env: { AWS_ENDPOINT_URL: f.endpoint, AWS_ACCESS_KEY_ID: 'AKIDFAKE', AWS_SECRET_ACCESS_KEY: 'fake-secret', ...env } });

  it('fills metrics for the deployed functions, marks the one not deployed unmatched, and leaks no canary anywhere', async () => {
    const f = await start({
      functions: [...orders, ...many],
      stats: { ...stats, ...manyStats },
      throttle: { listFunctions: 1 },
      deniedGroups: ['/aws/lambda/orders-dev-health'],
    });
    const args = ['scan', 'examples/orders-service', '--aws', '--region', 'eu-west-1', '--since', '2026-11-13', '--until', '2026-11-27'];
    const json = await cli([...args, '-f', 'json'], f);
    expect(json.code).toBe(0);
    const result = JSON.parse(json.out) as ScanResult;
    expect(result.summary.metricsSource).toBe('aws');
    const by = Object.fromEntries(result.functions.map((x) => [x.name, x.metrics]));
    expect([by['createOrder']?.status, by['createOrder']?.invocations, by['createOrder']?.coldStarts, by['createOrder']?.initMs?.p50]).toEqual([
      'ok',
      100,
      10,
      500,
    ]);
    expect(by['health']?.status).toBe('access_denied');
    expect(by['adminPurgeOrders']?.status).toBe('unmatched');
    expect(result.warnings).toContain('metrics: no deployed function matched 1 function(s): adminPurgeOrders (map them with --function-map)');
    expect(result.warnings).toContain('eu-west-1: 125 deployed function(s) are not among the discovered names (not queried)');

    const outputs = [json.out, json.err];
    for (const format of ['text', 'markdown']) {
      const r = await cli([...args, '-f', format], f);
      outputs.push(r.out, r.err);
    }
    const snap = path.join(tmp, 'aws-snap.json');
    const m = await cli(['metrics', '--aws', '--region', 'eu-west-1', '-o', snap], f);
    expect(m.code).toBe(0);
    outputs.push(m.out, m.err, readFileSync(snap, 'utf8'));
    expect(JSON.parse(readFileSync(snap, 'utf8')).entries).toHaveLength(133);
    for (const o of outputs) {
      expect(o).not.toContain(CANARY);
      expect(o).not.toContain('DB_PASSWORD');
    }
    // the fake saw the canary leave it: the test would prove nothing if it had never been sent
    expect(f.count('ListFunctions')).toBeGreaterThan(3);
  });

  it('no credentials at all: a static-only report that says so, without calling AWS', async () => {
    const f = await start({ functions: orders });
    const saved = { ...process.env };
    // The SDK's default chain reads the process environment: point it at nothing, and skip the instance-metadata probe.
    for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) delete process.env[k];
    process.env['AWS_CONFIG_FILE'] = path.join(tmp, 'no-config');
    process.env['AWS_SHARED_CREDENTIALS_FILE'] = path.join(tmp, 'no-credentials');
    process.env['AWS_EC2_METADATA_DISABLED'] = 'true';
    try {
      const { code, out, err } = await runCli(['scan', 'examples/orders-service', '--aws', '--region', 'eu-west-1', '-f', 'json'], {
        env: { AWS_ENDPOINT_URL: f.endpoint },
      });
      expect(code).toBe(0);
      const result = JSON.parse(out) as ScanResult;
      expect(result.summary.metricsSource).toBe('none');
      expect(
        result.warnings.some(
          (w) => w.startsWith('AWS metrics not read: no usable AWS credentials (') && w.endsWith('. This is a static-only report.'),
        ),
      ).toBe(true);
      expect(err).toContain('note: AWS metrics not read: no usable AWS credentials');
      expect(f.requests).toEqual([]);
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
  });

  it('SAM functions without FunctionName are found under their CloudFormation-generated names', async () => {
    const sam = ['DailyReportFunction', 'ExportFunction'].map((n) => fakeFunction(`reports-dev-${n}-A1b2C3d4E5f6`));
    const f = await start({
      functions: [...sam, fakeFunction('reports-dev-DailyReportFunction-extra-word')],
      stats: Object.fromEntries(sam.map((x, i) => [`/aws/lambda/${x.FunctionName}`, statsRow(7 + i, 2, 640)])),
    });
    const r = await cli(['scan', 'examples/reports-sam', '--aws', '--region', 'eu-west-1', '-f', 'json'], f);
    const result = JSON.parse(r.out) as ScanResult;
    const by = Object.fromEntries(result.functions.map((x) => [x.name, x.metrics]));
    expect([by['DailyReportFunction']?.deployedName, by['DailyReportFunction']?.invocations]).toEqual([
      'reports-dev-DailyReportFunction-A1b2C3d4E5f6',
      7,
    ]);
    expect([by['ExportFunction']?.deployedName, by['ExportFunction']?.invocations]).toEqual(['reports-dev-ExportFunction-A1b2C3d4E5f6', 8]);
    expect(by['ReportScheduleFunction']?.status).toBe('unmatched');
  });

  it('expired credentials: a static-only report that says so (exit 0), or exit 2 with --require-aws', async () => {
    const f = await start({ functions: orders, expiredToken: true });
    const r = await cli(['scan', 'examples/orders-service', '--aws', '--region', 'eu-west-1', '-f', 'json'], f);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.out) as ScanResult;
    expect(result.summary.metricsSource).toBe('none');
    expect(result.functions.every((x) => x.metrics === null)).toBe(true);
    expect(result.warnings).toContain(
      'AWS metrics not read: AWS rejected the credentials on lambda:ListFunctions (ExpiredTokenException): they are expired or invalid. Refresh them (e.g. aws sso login) and run again. This is a static-only report.',
    );
    expect(r.err.split('\n').filter((l) => l.includes('ExpiredToken'))).toHaveLength(1);
    const strict = await cli(['scan', 'examples/orders-service', '--aws', '--region', 'eu-west-1', '--require-aws'], f);
    expect(strict.code).toBe(2);
    expect(strict.out).toBe('');
    expect(strict.err).toContain('lambda-migrate: AWS cannot be used: AWS rejected the credentials');
    expect(strict.err).toContain('hint: drop --require-aws for a static-only report');
  });
});

describe('--role-arn: AssumeRole through the fake STS, then the Lambda and Logs calls as the role', () => {
  const ROLE = 'arn:aws:iam::210987654321:role/lambda-migrate-read';
  const DENIED = 'arn:aws:iam::210987654321:role/not-for-you';
  /** What STS hands out: the key id may be shown (it is how the calls prove who signed), the other two never. */
  const ASSUMED = {
    accessKeyId: 'ASIAFAKEASSUMEDROLE1',
    secretAccessKey: 'assumed-secret-5b9e1d-DO-NOT-LEAK',
    sessionToken: 'assumed-token-c03f4a-DO-NOT-LEAK',
  };
  const orders = ['createOrder', 'getOrder', 'ordersApi', 'processOrders', 'paymentWebhook', 'generateInvoice', 'health', 'adminListOrders'].map(
    (n) => fakeFunction(`orders-dev-${n}`),
  );
  const stats = Object.fromEntries(orders.map((f, i) => [`/aws/lambda/${f.FunctionName}`, statsRow(100 + i, 10 + i, 500 + i)]));
  const fakeWithSts = (extra: Partial<FakeAwsOptions> = {}): Promise<FakeAws> =>
    start({ functions: orders, stats, sts: { ...ASSUMED, deniedRoles: [DENIED] }, ...extra });
  const cli = (argv: string[], f: FakeAws): Promise<CliRun> =>
    runCli(argv, { env: { AWS_ENDPOINT_URL: f.endpoint, AWS_ACCESS_KEY_ID: 'AKIDFAKE', AWS_SECRET_ACCESS_KEY: 'fake-secret' } });
  const stsCalls = (f: FakeAws): RecordedRequest[] => f.requests.filter((r) => r.service === 'sts');

  it('assumes the role once for all clients and regions, with the base key, and signs every Lambda and Logs call as the role', async () => {
    const f = await fakeWithSts();
    const snap = path.join(tmp, 'role-snap.json');
    const r = await cli(['metrics', '--aws', '--region', 'eu-west-1', '--region', 'us-east-1', '--role-arn', ROLE, '-o', snap], f);
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(snap, 'utf8')).entries).toHaveLength(16);

    const sts = stsCalls(f);
    expect(sts.map((x) => x.body)).toEqual([
      { Action: 'AssumeRole', Version: '2011-06-15', RoleArn: ROLE, RoleSessionName: 'lambda-migrate', DurationSeconds: '3600' },
    ]);
    // AssumeRole itself is signed with the base credentials, for STS in the first region asked for
    expect(signedWith(sts[0]?.authorization ?? '')).toEqual({ accessKeyId: 'AKIDFAKE', service: 'sts', region: 'eu-west-1' });
    expect(sts[0]?.securityToken).toBe('');

    const calls = f.requests.filter((x) => x.service !== 'sts');
    // 2 regions x (ListFunctions + StartQuery + 2 GetQueryResults): four SDK clients shared the one session
    expect(calls.map((x) => x.action).sort()).toEqual([
      ...Array<string>(4).fill('GetQueryResults'),
      'ListFunctions',
      'ListFunctions',
      'StartQuery',
      'StartQuery',
    ]);
    for (const call of calls) {
      expect(signedWith(call.authorization)?.accessKeyId, call.action).toBe(ASSUMED.accessKeyId);
      expect(call.securityToken, call.action).toBe(ASSUMED.sessionToken);
    }
    expect(calls.map((x) => signedWith(x.authorization)?.region)).toContain('us-east-1');
  });

  it('--profile gives the base credentials the role is assumed with', async () => {
    const f = await fakeWithSts();
    const credentialsFile = path.join(tmp, 'role-credentials');
    writeFileSync(credentialsFile, '[review]\naws_access_key_id = AKIDPROFILEREVIEW\naws_secret_access_key = profile-secret\n');
    const saved = { ...process.env };
    // The SDK's profile reader takes its files from the process environment.
    for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) delete process.env[k];
    process.env['AWS_SHARED_CREDENTIALS_FILE'] = credentialsFile;
    process.env['AWS_CONFIG_FILE'] = path.join(tmp, 'no-config');
    process.env['AWS_EC2_METADATA_DISABLED'] = 'true';
    try {
      const r = await runCli(['metrics', '--aws', '--region', 'eu-west-1', '--profile', 'review', '--role-arn', ROLE], {
        env: { AWS_ENDPOINT_URL: f.endpoint },
      });
      expect(r.code).toBe(0);
      expect(stsCalls(f).map((x) => signedWith(x.authorization)?.accessKeyId)).toEqual(['AKIDPROFILEREVIEW']);
      expect(new Set(f.requests.filter((x) => x.service !== 'sts').map((x) => signedWith(x.authorization)?.accessKeyId))).toEqual(
        new Set([ASSUMED.accessKeyId]),
      );
      expect(r.out + r.err).not.toContain('profile-secret');
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
  });

  it('AWS_ENDPOINT_URL_STS wins over AWS_ENDPOINT_URL for the STS client only', async () => {
    const f = await fakeWithSts();
    const stsOnly = await startFakeAws({ functions: [], sts: ASSUMED });
    try {
      const got = await collectFromAws(opts(f, { roleArn: ROLE, env: { AWS_ENDPOINT_URL: f.endpoint, AWS_ENDPOINT_URL_STS: stsOnly.endpoint } }));
      expect(got.problem).toBeNull();
      expect(got.set?.entries).toHaveLength(8);
      expect([stsOnly.requests.map((x) => x.action), stsCalls(f)]).toEqual([['AssumeRole'], []]);
      expect(f.requests.every((x) => signedWith(x.authorization)?.accessKeyId === ASSUMED.accessKeyId)).toBe(true);
    } finally {
      await stsOnly.close();
    }
  });

  it('a session about to expire is renewed, not used to the end', async () => {
    // Two minutes left: inside the margin at which credentials must be renewed before use.
    const f = await fakeWithSts({ sts: { ...ASSUMED, expiration: new Date(Date.now() + 120_000) } });
    const got = await collectFromAws(opts(f, { roleArn: ROLE }));
    expect(got.problem).toBeNull();
    expect(f.count('AssumeRole')).toBeGreaterThan(1);
    expect(f.requests.filter((x) => x.service !== 'sts').every((x) => signedWith(x.authorization)?.accessKeyId === ASSUMED.accessKeyId)).toBe(true);
  });

  it('AccessDenied on AssumeRole: one line naming the role, a static-only report (exit 0), exit 2 with --require-aws, no Lambda or Logs call', async () => {
    const f = await fakeWithSts();
    const why = `cannot assume role ${DENIED} (AccessDenied): its trust policy must allow your identity, and your identity needs sts:AssumeRole on it`;
    const args = ['scan', 'examples/orders-service', '--aws', '--region', 'eu-west-1', '--role-arn', DENIED];
    const r = await cli([...args, '-f', 'json'], f);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.out) as ScanResult;
    expect(result.summary.metricsSource).toBe('none');
    expect(result.functions.every((x) => x.metrics === null)).toBe(true);
    expect(result.warnings).toContain(`AWS metrics not read: ${why}. This is a static-only report.`);
    // Not mistaken for a denied lambda:ListFunctions or logs:StartQuery, which the role's policy would be blamed for
    expect(JSON.stringify(result)).not.toMatch(/ListFunctions|StartQuery|access_denied/);
    expect(r.err).toBe(`note: AWS metrics not read: ${why}; static-only report\n`);
    expect(f.requests.map((x) => `${x.service}:${x.action}`)).toEqual(['sts:AssumeRole']);

    const strict = await cli([...args, '--require-aws'], f);
    expect([strict.code, strict.out, strict.err]).toEqual([
      2,
      '',
      `lambda-migrate: AWS cannot be used: ${why}\nhint: drop --require-aws for a static-only report\n`,
    ]);
    const snapshot = await cli(['metrics', '--aws', '--region', 'eu-west-1', '--role-arn', DENIED], f);
    expect([snapshot.code, snapshot.out]).toEqual([2, '']);
    expect(snapshot.err).toContain(`lambda-migrate: nothing measured: AWS metrics not read: ${why}.`);
    expect(f.requests.every((x) => x.service === 'sts')).toBe(true);
  });

  it('base credentials STS rejects: the same message as for expired credentials, naming sts:AssumeRole, one request', async () => {
    const f = await fakeWithSts({ expiredToken: true });
    const got = await collectFromAws(opts(f, { roleArn: ROLE }));
    expect(got).toEqual({
      set: null,
      problem: {
        kind: 'auth',
        message:
          'AWS rejected the credentials on sts:AssumeRole (ExpiredToken): they are expired or invalid. Refresh them (e.g. aws sso login) and run again',
      },
      stats: { regions: 0, functions: 0, queries: 0, stopped: 0 },
    });
    expect(f.requests.map((x) => `${x.service}:${x.action}`)).toEqual(['sts:AssumeRole']);
  });

  it('the assumed secret key and session token appear in no output: any format, the snapshot, stderr, warnings', async () => {
    const f = await fakeWithSts({ deniedGroups: ['/aws/lambda/orders-dev-health'] });
    const outputs: string[] = [];
    for (const format of ['text', 'json', 'markdown', 'html', 'sarif', 'csv', 'pr-comment']) {
      const r = await cli(['scan', 'examples/orders-service', '--aws', '--region', 'eu-west-1', '--role-arn', ROLE, '-f', format], f);
      expect(r.code, format).toBe(0);
      outputs.push(r.out, r.err);
    }
    const snap = path.join(tmp, 'role-leak-snap.json');
    const m = await cli(['metrics', '--aws', '--region', 'eu-west-1', '--role-arn', ROLE, '-o', snap], f);
    outputs.push(m.out, m.err, readFileSync(snap, 'utf8'));
    outputs.push(JSON.stringify(await collectFromAws(opts(f, { roleArn: ROLE }))));
    const json = JSON.parse(outputs[2] ?? '') as ScanResult;
    // the run did measure as the role: otherwise the outputs would have had nothing to leak
    expect(json.summary.metricsSource).toBe('aws');
    expect(json.functions.find((x) => x.name === 'createOrder')?.metrics?.invocations).toBe(100);
    expect(json.functions.find((x) => x.name === 'health')?.metrics?.status).toBe('access_denied');
    expect(f.requests.some((x) => x.securityToken === ASSUMED.sessionToken)).toBe(true);
    for (const o of outputs) {
      expect(o).not.toContain(ASSUMED.secretAccessKey);
      expect(o).not.toContain(ASSUMED.sessionToken);
      expect(o).not.toContain('fake-secret');
    }
  });

  it('a malformed --role-arn, or one without --aws, is an input error (exit 2) before any call', async () => {
    const f = await fakeWithSts();
    const bad = await cli(['scan', 'examples/orders-service', '--aws', '--role-arn', 'lambda-migrate-read'], f);
    expect([bad.code, bad.out, bad.err]).toEqual([
      2,
      '',
      "lambda-migrate: bad --role-arn 'lambda-migrate-read'\nhint: expected an IAM role ARN, e.g. arn:aws:iam::123456789012:role/lambda-migrate-read\n",
    ]);
    const alone = await cli(['scan', 'examples/orders-service', '--role-arn', ROLE], f);
    expect([alone.code, alone.err]).toEqual([2, 'lambda-migrate: --role-arn needs --aws\nhint: the role is assumed for the AWS calls only\n']);
    expect(f.requests).toEqual([]);
  });
});
