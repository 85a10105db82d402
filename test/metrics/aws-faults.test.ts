/**
 * AWS as an adversary: endpoints that accept the request and never answer, and answers of the wrong shape, against
 * the real SDK clients over loopback HTTP (test/helpers/fake-aws.ts `answer`). Every timeout here is injected short,
 * so no case waits more than about a second; the assertions on elapsed time are bounds that only a hang would break.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { collectFromAws, pickConfig, readQueryResults, type AwsOptions } from '../../src/metrics/aws.js';
import type { ScanResult } from '../../src/model/result.js';
import { runCli } from '../helpers/cli.js';
import { startFakeAws, type FakeAws, type FakeAwsOptions, type FakeFunction } from '../helpers/fake-aws.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'lm-aws-faults-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
// The deadline counts from the call, SDK loading included: load it once here so a short deadline is spent on the wire.
beforeAll(async () => {
  await Promise.all([import('@aws-sdk/client-lambda'), import('@aws-sdk/client-cloudwatch-logs')]);
});

const fn = (name: string): FakeFunction => ({
  FunctionName: name,
  Runtime: 'nodejs20.x',
  MemorySize: 512,
  Architectures: ['arm64'],
  PackageType: 'Zip',
  CodeSize: 1000,
  LoggingConfig: { LogFormat: 'Text', LogGroup: `/aws/lambda/${name}` },
  Environment: { Variables: { SECRET: 'canary-faults-DO-NOT-LEAK' } },
});
const row = { invocations: '4', coldStarts: '1', initP50: '200', initP90: '210', initP99: '220', initAvg: '205', initMax: '230' };

let fake: FakeAws | null = null;
afterEach(async () => {
  await fake?.close();
  fake = null;
});

async function start(options: Partial<FakeAwsOptions>): Promise<FakeAws> {
  fake = await startFakeAws({
    functions: [fn('orders-a'), fn('orders-b')],
    stats: { '/aws/lambda/orders-a': row, '/aws/lambda/orders-b': row },
    ...options,
  });
  return fake;
}

function opts(f: FakeAws, extra: Partial<AwsOptions> = {}): AwsOptions {
  return {
    regions: ['eu-west-1'],
    since: new Date('2026-11-01T00:00:00Z'),
    until: new Date('2026-11-15T00:00:00Z'),
    env: { AWS_ENDPOINT_URL: f.endpoint },
    credentials: { accessKeyId: 'AKIDFAKE', secretAccessKey: 'fake-secret' },
    pollIntervalMs: 10,
    requestTimeoutMs: 5_000,
    ...extra,
  };
}

async function timed<T>(run: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = Date.now();
  const value = await run();
  return { value, ms: Date.now() - t0 };
}

describe('a deadline is a deadline', () => {
  it('ListFunctions accepts the connection and never answers: the run ends at the deadline, static-only, saying why', async () => {
    const f = await start({ answer: { ListFunctions: 'hang' } });
    const { value: got, ms } = await timed(() => collectFromAws(opts(f, { deadlineMs: 300 })));
    // The request timeout (5 s) is longer than the deadline: only the deadline can have ended it.
    expect(ms).toBeLessThan(2_000);
    expect(got.set).toBeNull();
    expect(got.problem).toEqual({
      kind: 'deadline',
      message: 'the AWS deadline (0.3 s, --aws-deadline) passed before Lambda listed the functions of eu-west-1',
    });
    expect(f.count('ListFunctions')).toBe(1);
  });

  it('a request that never answers times out by itself (the SDK request timeout), well before the deadline', async () => {
    const f = await start({ answer: { ListFunctions: 'hang' } });
    const { value: got, ms } = await timed(() => collectFromAws(opts(f, { requestTimeoutMs: 100, deadlineMs: 60_000 })));
    expect(ms).toBeLessThan(3_000);
    expect(got.problem).toEqual({
      kind: 'unusable',
      message: 'AWS could not be read: lambda:ListFunctions in eu-west-1 did not answer within 0.1 s (TimeoutError)',
    });
    // The SDK retried the timeouts (standard mode, 4 attempts), each bounded.
    expect(f.count('ListFunctions')).toBe(4);
  });

  it('StartQuery never answers: the functions are listed, their figures flagged not started, within the deadline', async () => {
    const f = await start({ answer: { StartQuery: 'hang' } });
    const { value: got, ms } = await timed(() => collectFromAws(opts(f, { deadlineMs: 300 })));
    expect(ms).toBeLessThan(2_000);
    expect(got.problem).toBeNull();
    expect(got.set?.entries.map((e) => [e.key, e.figures.status, e.figures.invocations, e.figures.truncated, e.figures.detail])).toEqual([
      ['orders-a', 'error', null, true, 'query not started: deadline reached'],
      ['orders-b', 'error', null, true, 'query not started: deadline reached'],
    ]);
    // Configuration still came from ListFunctions: a partial report, not an empty one.
    expect(got.set?.entries[0]?.figures.config?.memoryMB).toBe(512);
  });

  it('GetQueryResults and StopQuery never answer: the query is stopped and flagged, the run still ends', async () => {
    const f = await start({ answer: { GetQueryResults: 'hang', StopQuery: 'hang' } });
    const { value: got, ms } = await timed(() => collectFromAws(opts(f, { deadlineMs: 300, requestTimeoutMs: 300 })));
    expect(ms).toBeLessThan(2_500);
    expect(f.count('StopQuery')).toBe(1);
    expect(got.stats.stopped).toBe(1);
    for (const e of got.set?.entries ?? []) expect([e.figures.status, e.figures.detail]).toEqual(['error', 'query stopped: deadline reached']);
  });

  it('one region hung: the region read before it is measured, the hung one named as not measured', async () => {
    const f = await start({ hangRegions: ['us-east-1'] });
    const got = await collectFromAws(opts(f, { regions: ['eu-west-1', 'us-east-1'], deadlineMs: 1500 }));
    expect(got.problem).toBeNull();
    expect(got.set?.entries.map((e) => [e.key, e.figures.status])).toEqual([
      ['eu-west-1:orders-a', 'ok'],
      ['eu-west-1:orders-b', 'ok'],
    ]);
    expect(got.set?.warnings).toEqual(['us-east-1: not measured: the AWS deadline (1.5 s, --aws-deadline) passed before its functions were listed']);
  });

  it('STS AssumeRole never answers: a static-only problem naming the role, at the deadline', async () => {
    const f = await start({ answer: { AssumeRole: 'hang' }, sts: { accessKeyId: 'ASIAROLE', secretAccessKey: 's', sessionToken: 't' } });
    const role = 'arn:aws:iam::123456789012:role/read';
    const { value: got, ms } = await timed(() => collectFromAws(opts(f, { roleArn: role, deadlineMs: 300 })));
    expect(ms).toBeLessThan(2_000);
    expect(got.problem).toEqual({
      kind: 'deadline',
      message: `the AWS deadline (0.3 s, --aws-deadline) passed before STS answered AssumeRole for ${role}`,
    });
    expect(f.count('ListFunctions')).toBe(0);
  });

  it('the CLI with --aws-deadline: a hung AWS gives a static-only report that says what was missing (exit 0)', async () => {
    const f = await start({ answer: { ListFunctions: 'hang' } });
    const out = path.join(tmp, 'hung.json');
    const env = { AWS_ENDPOINT_URL: f.endpoint, AWS_ACCESS_KEY_ID: 'AKIDFAKE', AWS_SECRET_ACCESS_KEY: 'x', AWS_REGION: 'eu-west-1' };
    // A one-function service, so the time is the AWS part's: a hang would hold it for minutes (30 s a request, retried).
    const service = path.join(tmp, 'svc');
    mkdirSync(service, { recursive: true });
    writeFileSync(
      path.join(service, 'serverless.yml'),
      'service: orders\nprovider:\n  name: aws\n  runtime: nodejs20.x\nfunctions:\n  a:\n    handler: h.handler\n',
    );
    writeFileSync(path.join(service, 'h.js'), 'exports.handler = async () => 1;\n');
    const { value: run, ms } = await timed(() => runCli(['scan', service, '--aws', '--aws-deadline', '0.5', '-f', 'json', '-o', out, '-q'], { env }));
    expect(ms).toBeLessThan(10_000);
    expect(run.code).toBe(0);
    const result = JSON.parse((await import('node:fs')).readFileSync(out, 'utf8')) as ScanResult;
    expect(result.summary.metricsSource).toBe('none');
    expect(result.warnings).toContain(
      'AWS metrics not read: the AWS deadline (0.5 s, --aws-deadline) passed before Lambda listed the functions of eu-west-1. This is a static-only report.',
    );
  });
});

describe('--aws-deadline itself', () => {
  it.each(['abc', '0', '-5', '1e9'])('--aws-deadline %s is an input error (exit 2), not a RangeError', async (value) => {
    const run = await runCli(['scan', 'examples/orders-service', '--aws', '--aws-deadline', value, '-q'], { env: { AWS_REGION: 'eu-west-1' } });
    expect(run.code).toBe(2);
    expect(run.err.split('\n')[0]).toMatch(/^lambda-migrate: bad --aws-deadline '/);
  });
});

describe('malformed AWS answers degrade with a note, never a TypeError', () => {
  it('ListFunctions whose Functions is not a list: AWS unusable, one clear line', async () => {
    const f = await start({ answer: { ListFunctions: JSON.stringify({ Functions: { 'orders-a': {} } }) } });
    const got = await collectFromAws(opts(f));
    expect(got.problem).toEqual({
      kind: 'unusable',
      message: 'AWS could not be read: ListFunctions in eu-west-1 answered with a Functions field that is not a list: the answer cannot be read',
    });
  });

  it('ListFunctions that is not JSON: AWS unusable, naming the call', async () => {
    const f = await start({ answer: { ListFunctions: '{"Functions": [' } });
    const got = await collectFromAws(opts(f));
    expect(got.problem?.message).toBe(
      'AWS could not be read: lambda:ListFunctions in eu-west-1 answered with something that is not a readable AWS response (SyntaxError)',
    );
  });

  it('entries of the wrong shape are ignored and counted; fields of the wrong type are null, the good entry is measured', async () => {
    const page = {
      Functions: [
        null,
        5,
        'orders-a',
        { FunctionName: 7 },
        { FunctionName: 'bad name\n# injected' },
        { FunctionName: 'orders-a', MemorySize: 'big', Architectures: 'arm64', CodeSize: -1, Runtime: { x: 1 }, LoggingConfig: 'x' },
      ],
      NextMarker: '',
    };
    const f = await start({ answer: { ListFunctions: JSON.stringify(page) } });
    const got = await collectFromAws(opts(f));
    expect(got.problem).toBeNull();
    expect(got.set?.warnings).toContain('eu-west-1: 5 ListFunctions entries without a valid function name ignored');
    expect(got.set?.entries.map((e) => e.key)).toEqual(['orders-a']);
    // The listed entry's fields were all of the wrong type, and it had no LoggingConfig: GetFunctionConfiguration was
    // asked, and its (good) answer used.
    expect(f.count('GetFunctionConfiguration')).toBe(1);
    expect(got.set?.entries[0]?.figures.config?.memoryMB).toBe(512);
    expect(got.set?.entries[0]?.figures.invocations).toBe(4);
    expect(pickConfig(page.Functions[5])).toEqual({
      name: 'orders-a',
      logGroup: null,
      config: { runtime: null, architecture: null, memoryMB: null, packageType: null, codeSizeBytes: null, logFormat: null },
    });
    expect(pickConfig({ FunctionName: 'x', LoggingConfig: { LogGroup: '/aws/lambda/x\nREPORT' }, EphemeralStorage: { Size: Number.NaN } })).toEqual({
      name: 'x',
      logGroup: null,
      config: { runtime: null, architecture: null, memoryMB: null, packageType: null, codeSizeBytes: null, logFormat: null },
    });
  });

  it('a NextMarker that is not a string stops the listing with a clear line', async () => {
    const f = await start({ answer: { ListFunctions: JSON.stringify({ Functions: [], NextMarker: { next: 1 } }) } });
    const got = await collectFromAws(opts(f));
    expect(got.problem?.message).toBe(
      'AWS could not be read: ListFunctions in eu-west-1 answered with a NextMarker that is not a string: the listing cannot go on',
    );
  });

  it('StartQuery without a string queryId, GetQueryResults with results that are not rows: the functions say so', async () => {
    let f = await start({ answer: { StartQuery: JSON.stringify({ queryId: 5 }) } });
    let got = await collectFromAws(opts(f));
    expect(got.set?.entries.map((e) => e.figures.detail)).toEqual(['StartQuery returned no query id', 'StartQuery returned no query id']);
    await f.close();
    f = await start({ answer: { GetQueryResults: JSON.stringify({ status: 'Complete', results: { x: 1 } }) } });
    got = await collectFromAws(opts(f));
    expect(got.set?.entries.map((e) => [e.figures.status, e.figures.detail])).toEqual([
      ['error', 'logs:GetQueryResults answer not readable (results is not a list)'],
      ['error', 'logs:GetQueryResults answer not readable (results is not a list)'],
    ]);
  });

  it('readQueryResults checks every row and cell, and never sets a prototype from a field name', () => {
    expect(readQueryResults({ status: 7 }).malformed).toBe('status is not a string');
    expect(readQueryResults({ status: 'Complete', results: [5] }).malformed).toBe('a result row is not a list of cells');
    expect(readQueryResults({ status: 'Complete', results: [[{ field: 3, value: 'x' }]] }).malformed).toBe(
      'a result cell is not a { field, value } pair of strings',
    );
    const read = readQueryResults({ status: 'Complete', results: [[{ field: '__proto__', value: 'x' }, { field: 'invocations', value: '3' }, {}]] });
    expect(read.malformed).toBeNull();
    expect(read.rows).toEqual([{ invocations: '3' }]);
    expect(Object.getPrototypeOf(read.rows[0])).toBe(Object.prototype);
    expect(readQueryResults(null)).toEqual({ status: undefined, rows: [], malformed: null });
  });

  it("a GetQueryResults status that is not one of AWS's is named as unknown, not echoed", async () => {
    const f = await start({ answer: { GetQueryResults: JSON.stringify({ status: '<script>alert(1)</script>', results: [] }) } });
    const got = await collectFromAws(opts(f));
    expect(got.set?.entries[0]?.figures.detail).toBe('query in an unknown state');
  });
});
