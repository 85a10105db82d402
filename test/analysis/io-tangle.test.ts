import { describe, expect, it } from 'vitest';
import type { FunctionResult, IoTangle, ScanResult } from '../../src/model/result.js';
import { scan } from '../../src/index.js';
import { scanFiles } from '../helpers/rule-tester.js';

const tangleOf = (result: ScanResult, name: string): IoTangle => {
  const fn: FunctionResult | undefined = result.functions.find((f) => f.name === name);
  if (!fn?.ioTangle) throw new Error(`no tangle for ${name}`);
  return fn.ioTangle;
};
const lines = (t: IoTangle): string[] => (t.evidence ?? []).map((e) => `${e.file}:${e.line}:${e.column} ${e.what}`);

describe('I/O tangle on the example services', () => {
  it('orders-service: verdicts, scores and the evidence lines', async () => {
    const r = await scan({ root: 'examples/orders-service', config: false });
    const verdicts = Object.fromEntries(r.functions.map((f) => [f.name, [f.ioTangle?.verdict, f.ioTangle?.score]]));
    expect(verdicts).toEqual({
      createOrder: ['clean', 0],
      getOrder: ['clean', 0],
      ordersApi: ['clean', 0],
      processOrders: ['mixed', 0.42],
      paymentWebhook: ['clean', 0],
      generateInvoice: ['clean', 0.13],
      health: ['clean', 0],
      adminListOrders: ['clean', 0],
      adminPurgeOrders: ['clean', 0.08],
    });

    // Validate, compute, then write twice in a row: one I/O phase at the end.
    expect(lines(tangleOf(r, 'createOrder'))).toEqual([
      'src/handlers/create-order.ts:63:9 I/O: putOrder(...), which does I/O',
      'src/handlers/create-order.ts:64:9 I/O: sqs.send(new SendMessageCommand(...))',
      'src/lib/db.ts:32:9 I/O: docClient.put().promise(...)',
    ]);
    expect(tangleOf(r, 'createOrder').inputs).toMatchObject({ ioCalls: 2, maxPhases: 1, maxIoDepth: 2, points: 0 });

    // Read, guard on the result (3 branches: 0.75 points), render, write: two phases, still clean.
    const invoice = tangleOf(r, 'generateInvoice');
    expect(lines(invoice)).toEqual([
      'src/handlers/generate-invoice.ts:28:26 I/O: ddb.send(new GetCommand(...))',
      'src/handlers/generate-invoice.ts:30:3 branch between I/O calls',
      'src/handlers/generate-invoice.ts:33:3 branch between I/O calls',
      'src/handlers/generate-invoice.ts:49:3 branch between I/O calls',
      'src/handlers/generate-invoice.ts:55:9 I/O: s3.send(new PutObjectCommand(...))',
    ]);
    expect(invoice.inputs).toMatchObject({ maxPhases: 2, branchesBetweenIo: 3, points: 0.75 });

    // A sequential write per SKU (2 points) inside a per-record fan-out (0.5): 2.5 / 6 = 0.42.
    const process = tangleOf(r, 'processOrders');
    expect(lines(process)).toEqual([
      'src/handlers/process-orders.ts:27:11 I/O inside a loop, one item at a time: ddb.send(new PutCommand(...))',
      'src/handlers/process-orders.ts:36:9 I/O: ddb.send(new UpdateCommand(...))',
      'src/handlers/process-orders.ts:50:44 I/O fanned out per item: .map(reserveStock), reserveStock does I/O',
    ]);
    expect(process.inputs).toMatchObject({ ioInLoops: 1, fanOut: 1, interleavedLoops: 0, points: 2.5 });

    // The express monolith: three routes with I/O behind one handler, one I/O call each. The monolith rule
    // says so (serverless-http-monolith); it is not also counted as tangle: routes still listed, 0 points.
    const api = tangleOf(r, 'ordersApi');
    expect(lines(api).filter((l) => l.includes('route'))).toEqual([
      'src/handlers/orders-api.js:36:27 route GET /orders/:id does I/O',
      'src/handlers/orders-api.js:46:45 route GET /customers/:customerId/orders does I/O',
      'src/handlers/orders-api.js:56:24 route POST /orders does I/O',
    ]);
    expect(api.inputs).toMatchObject({ routesWithIo: 3, maxPhases: 1, points: 0 });

    // Only the db.ts functions the handler calls are followed (not every export of the module).
    expect(lines(tangleOf(r, 'getOrder'))).toEqual([
      'src/handlers/get-order.ts:19:24 I/O: getOrder(...), which does I/O',
      'src/lib/db.ts:42:24 I/O: docClient.get().promise(...)',
    ]);
    expect(tangleOf(r, 'health')).toMatchObject({ score: 0, ioCalls: 0, verdict: 'clean', evidence: [] });
  });

  it('reports-sam: the daily report reads, loops with a branch and a POST per row, then writes: tangled', async () => {
    const r = await scan({ root: 'examples/reports-sam', config: false });
    const daily = tangleOf(r, 'DailyReportFunction');
    expect([daily.verdict, daily.score]).toEqual(['tangled', 0.54]);
    // pool comes from src/lib/pool.js (`new Pool()` there): followed across the module boundary.
    expect(lines(daily)).toEqual([
      'src/daily-report.js:48:5 I/O: pool.query(...)',
      'src/daily-report.js:49:5 I/O: pool.query(...)',
      'src/daily-report.js:52:3 loop mixes I/O with branches',
      'src/daily-report.js:54:5 branch between I/O calls',
      'src/daily-report.js:56:11 I/O inside a loop, one item at a time: http.post(...)',
      'src/daily-report.js:59:9 I/O: pool.query(...)',
    ]);
    // 2 (loop I/O) + 1 (loop with a branch) + 0.25 (branch between I/O) = 3.25 points.
    expect(daily.inputs).toMatchObject({ ioCalls: 4, ioInLoops: 1, interleavedLoops: 1, branchesBetweenIo: 1, points: 3.25 });
    expect([tangleOf(r, 'ExportFunction').verdict, tangleOf(r, 'ExportFunction').score]).toEqual(['clean', 0.04]);
    expect(tangleOf(r, 'ReportScheduleFunction')).toMatchObject({ score: 0, ioCalls: 0, verdict: 'clean' });
  });
});

const only = async (files: Record<string, string>): Promise<IoTangle> => {
  const r = await scanFiles(files, []);
  expect(r.functions).toHaveLength(1);
  const t = r.functions[0]?.ioTangle;
  if (!t) throw new Error('no tangle');
  return t;
};

const DDB = `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}));
`;

describe('I/O tangle on small fixtures', () => {
  it('read, one pure function, write: clean with two I/O lines of evidence', async () => {
    const t = await only({
      'handler.ts': `${DDB}const price = (n: number) => n * 1.19;
export const handler = async (e: { id: string }) => {
  const { Item } = await ddb.send(new GetCommand({ TableName: 't', Key: { id: e.id } }));
  const total = price(Number(Item?.net ?? 0));
  await ddb.send(new PutCommand({ TableName: 't', Item: { id: e.id, total } }));
  return total;
};
`,
    });
    expect(t.verdict).toBe('clean');
    expect(t.score).toBe(0);
    expect(lines(t)).toEqual(['handler.ts:6:26 I/O: ddb.send(new GetCommand(...))', 'handler.ts:8:9 I/O: ddb.send(new PutCommand(...))']);
  });

  it('read, branch, write, read again in a loop, compute between: tangled', async () => {
    const t = await only({
      'handler.ts': `${DDB}export const handler = async (e: { id: string; ids: string[] }) => {
  const { Item } = await ddb.send(new GetCommand({ TableName: 't', Key: { id: e.id } }));
  if (Item?.locked) {
    await ddb.send(new PutCommand({ TableName: 't', Item: { id: e.id, seen: true } }));
  }
  let sum = 0;
  for (const id of e.ids) {
    const r = await ddb.send(new GetCommand({ TableName: 't', Key: { id } }));
    sum += Math.max(0, Number(r.Item?.n));
  }
  return sum;
};
`,
    });
    // Steps: read, branch, write, loop { read, compute }: the loop header does not split a phase, so two
    // phases. Conditional write 0.5 + loop read 2 + loop with computation 1 + branch between 0.25 = 3.75.
    expect(t.inputs).toMatchObject({ conditionalIo: 1, ioInLoops: 1, interleavedLoops: 1, extraPhases: 0, branchesBetweenIo: 1, points: 3.75 });
    expect([t.verdict, t.score]).toEqual(['tangled', 0.63]);
    expect(lines(t)).toContain('handler.ts:7:11 I/O on one branch only: ddb.send(new PutCommand(...))');
    expect(lines(t)).toContain('handler.ts:10:3 loop mixes I/O with computation');
    expect(lines(t)).toContain('handler.ts:11:21 I/O inside a loop, one item at a time: ddb.send(new GetCommand(...))');
  });

  it('non-await forms: promises pushed in a loop, and map + Promise.all over a callback', async () => {
    const t = await only({
      'handler.ts': `${DDB}export const handler = async (e: { ids: string[] }) => {
  const pending = [];
  for (const id of e.ids) pending.push(ddb.send(new GetCommand({ TableName: 't', Key: { id } })));
  await Promise.all(pending);
  await Promise.all(e.ids.map((id) => ddb.send(new PutCommand({ TableName: 't', Item: { id } }))));
};
`,
    });
    expect(t.inputs).toMatchObject({ fanOut: 2, ioInLoops: 0 });
    expect(lines(t)).toEqual([
      'handler.ts:6:40 I/O started per item in a loop (not awaited): ddb.send(new GetCommand(...))',
      'handler.ts:8:31 I/O fanned out per item: callback of map(...) does I/O',
      'handler.ts:8:39 I/O: ddb.send(new PutCommand(...))',
    ]);
  });

  it('recursion for pagination and a stream', async () => {
    const t = await only({
      'handler.ts': `${DDB}import { createReadStream } from 'node:fs';
async function all(token?: Record<string, unknown>): Promise<unknown[]> {
  const page = await ddb.send(new QueryCommand({ TableName: 't', ExclusiveStartKey: token }));
  if (!page.LastEvaluatedKey) return page.Items ?? [];
  return [...(page.Items ?? []), ...(await all(page.LastEvaluatedKey))];
}
export const handler = async () => {
  const rows = await all();
  const file = createReadStream('/tmp/x');
  return rows.length + (file ? 1 : 0);
};
`,
    });
    expect(t.inputs).toMatchObject({ recursion: 1, streams: 1 });
    expect(lines(t)).toContain('handler.ts:8:44 all calls itself and does I/O (pagination by recursion)');
    expect(lines(t)).toContain('handler.ts:12:16 streamed I/O: createReadStream(...)');
  });

  it('I/O three helpers deep counts against the handler', async () => {
    const t = await only({
      'handler.ts': `import { save } from './service';
export const handler = async (e: { id: string }) => { await save(e.id); };
`,
      'service.ts': `import { write } from './repo';
export async function save(id: string) { await write(id); }
`,
      'repo.ts': `import { put } from './client';
export async function write(id: string) { await put(id); }
`,
      'client.ts': `import axios from 'axios';
export async function put(id: string) { await axios.put('https://x/' + id); }
`,
    });
    expect(t.inputs).toMatchObject({ maxIoDepth: 4, ioCalls: 1, points: 1 });
    expect(lines(t)).toContain('handler.ts:2:61 I/O 4 calls deep: through save(...)');
  });

  it('thresholds come from the config file', async () => {
    const r = await scanFiles(
      {
        '.lambda-migrate.json': JSON.stringify({ ioTangle: { mixedFrom: 0.03, tangledFrom: 0.1 } }),
        'handler.ts': `${DDB}export const handler = async (e: { id: string }) => {
  const { Item } = await ddb.send(new GetCommand({ TableName: 't', Key: { id: e.id } }));
  if (!Item) return null;
  await ddb.send(new PutCommand({ TableName: 't', Item }));
  return Item;
};
`,
      },
      [],
    );
    // 1 branch between I/O = 0.25 points, score 0.04: clean with the default 0.2, mixed from 0.03.
    expect(r.functions[0]?.ioTangle).toMatchObject({ score: 0.04, verdict: 'mixed' });
    expect(r.suppressed?.configFile).toMatch(/\.lambda-migrate\.json$/);
  });
});
