import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClassIndex } from '../../src/graph/classes.js';
import { resolveCrossFileIo } from '../../src/graph/cross-io.js';
import { extractFacts, type FileFacts } from '../../src/graph/facts.js';
import { ioFunctions, reachableFunctions } from '../../src/graph/reachability.js';
import { ModuleResolver } from '../../src/graph/resolve.js';

const FIXTURE = path.join(import.meta.dirname, '..', 'fixtures', 'graph-classes');

/** The fact pass over a fixture tree, the way scan() runs it (parse, cross-file I/O, I/O index). */
function load(root: string): { facts: Map<string, FileFacts>; resolver: ModuleResolver; classes: ClassIndex } {
  const files = readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.relative(root, path.join(d.parentPath, d.name)).split(path.sep).join('/'))
    .sort();
  const read = (rel: string): string => readFileSync(path.join(root, rel), 'utf8');
  const facts = new Map<string, FileFacts>();
  for (const f of files) {
    if (!/\.(ts|js)$/.test(f)) continue;
    const out = extractFacts(f, read(f));
    if (!out.ok) throw new Error(`${f}: ${out.error.message}`);
    facts.set(f, out.facts);
  }
  const resolver = new ModuleResolver(files, read);
  resolveCrossFileIo(facts.keys(), facts, resolver);
  return { facts, resolver, classes: new ClassIndex(facts, resolver) };
}

const { facts, resolver, classes } = load(FIXTURE);
const { functions: ioFns, callsIo } = ioFunctions(facts, resolver, classes);

/** `file:line name` of every function a handler reaches per request, sorted. */
function reached(file: string, exportName = 'handler'): string[] {
  return [...reachableFunctions(file, exportName, facts, resolver, classes)]
    .map((key) => {
      const [f = '', id = ''] = key.split('#');
      const fn = facts.get(f)?.functions[Number(id)];
      return `${f}:${fn?.line ?? 0} ${fn?.name ?? '(anonymous)'}`;
    })
    .sort();
}

/** `file:line:column callee kind` of the I/O calls inside what a handler reaches. */
function ioCalls(file: string): string[] {
  const keys = reachableFunctions(file, 'handler', facts, resolver, classes);
  const out: string[] = [];
  for (const [f, ff] of facts) {
    for (const c of ff.calls)
      if (c.io !== null && c.fn !== null && keys.has(`${f}#${c.fn}`)) out.push(`${f}:${c.line}:${c.column} ${c.callee} ${c.io}`);
  }
  return out.sort();
}

describe('per-request reachability through classes', () => {
  it('methods of imported classes: new ImageRequest().setup(), new ImageHandler().process() and what they call on this', () => {
    expect(reached('source/image-handler/index.ts')).toEqual([
      'source/image-handler/image-handler.ts:11 process',
      'source/image-handler/image-handler.ts:16 applyEdits',
      'source/image-handler/image-handler.ts:21 getOverlayImage',
      'source/image-handler/image-handler.ts:7 constructor',
      'source/image-handler/image-request.ts:10 constructor',
      'source/image-handler/image-request.ts:12 setup',
      'source/image-handler/image-request.ts:18 parsePath',
      'source/image-handler/image-request.ts:22 getOriginalImage',
      'source/image-handler/index.ts:7 handler',
    ]);
    // thumbnail() and decodeRequest() are never called: not per request.
    expect(ioCalls('source/image-handler/index.ts')).toEqual([
      'source/image-handler/image-handler.ts:22:23 this.s3Client.send aws-sdk-v3',
      'source/image-handler/image-request.ts:24:23 this.s3Client.send aws-sdk-v3',
    ]);
  });

  it('an exported instance (module.exports = { ordersRepo: new OrdersRepo() }): only the method the handler calls', () => {
    expect(reached('src/handlers/get-order.js')).toEqual([
      'src/handlers/get-order.js:3 handler',
      'src/repositories/orders-repo.js:10 find',
      'src/repositories/orders-repo.js:5 constructor',
    ]);
    // `this.docClient` is bound to @aws-sdk/lib-dynamodb by the constructor: send(params) is I/O without a `new ...Command` argument.
    expect(ioCalls('src/handlers/get-order.js')).toEqual(['src/repositories/orders-repo.js:12:28 this.docClient.send aws-sdk-v3']);
  });

  it('a default-exported instance of a subclass: the base class method it calls through this, with the field typed by a constructor parameter', () => {
    expect(reached('src/handlers/get-customer.ts')).toEqual([
      'src/handlers/get-customer.ts:3 handler',
      'src/repositories/base-repo.ts:4 constructor',
      'src/repositories/base-repo.ts:6 getItem',
      'src/repositories/customers-repo.ts:10 byId',
    ]);
    expect(ioCalls('src/handlers/get-customer.ts')).toEqual(['src/repositories/base-repo.ts:7:23 this.ddb.send aws-sdk-v3']);
  });

  it('the I/O index sees that the methods do I/O, through this and through the instance', () => {
    expect(callsIo('src/handlers/get-order.js', 'ordersRepo', 'find')).toBe(true);
    expect(callsIo('src/handlers/get-customer.ts', 'customers', 'byId')).toBe(true);
    expect(callsIo('source/image-handler/index.ts', 'ImageHandler', 'thumbnail')).toBe(false);
    const handlerKey = [...reachableFunctions('src/handlers/get-customer.ts', 'handler', facts, resolver, classes)].find((k) =>
      k.startsWith('src/handlers/'),
    );
    expect(handlerKey !== undefined && ioFns.has(handlerKey)).toBe(true);
  });

  it('a service instance whose field holds a repository: this.repo.record() reaches the repository method, this.stripe is Stripe', () => {
    expect(reached('src/handlers/pay.ts')).toEqual([
      'src/handlers/pay.ts:5 handler',
      'src/repositories/payments-repo.ts:7 record',
      'src/services/payments.ts:7 constructor',
      'src/services/payments.ts:9 charge',
    ]);
    expect(ioCalls('src/handlers/pay.ts')).toEqual([
      'src/repositories/payments-repo.ts:8:11 this.ddb.send aws-sdk-v3',
      'src/services/payments.ts:10:26 this.stripe.paymentIntents.create sdk',
    ]);
  });

  it('a dependency injected at init (new CheckoutAudit(new PaymentsRepo())): the repository method the use case calls through its field', () => {
    expect(reached('src/handlers/audit.ts')).toEqual([
      'src/application/checkout-audit.ts:4 constructor',
      'src/application/checkout-audit.ts:6 log',
      'src/handlers/audit.ts:6 handler',
      'src/repositories/payments-repo.ts:7 record',
    ]);
    expect(ioCalls('src/handlers/audit.ts')).toEqual(['src/repositories/payments-repo.ts:8:11 this.ddb.send aws-sdk-v3']);
  });

  it('callback parameters of an SDK: driver.executeLambda(async (txn) => txn.execute(...))', () => {
    expect(ioCalls('src/qldb/register-vehicle.js')).toEqual([
      'src/qldb/register-vehicle.js:10:12 txn.execute database',
      'src/qldb/register-vehicle.js:7:24 driver.executeLambda database',
      'src/qldb/register-vehicle.js:8:28 txn.execute database',
    ]);
  });
});

describe('scan(): the I/O each handler sees through classes and SDK callbacks', () => {
  it('lists the method calls that do I/O and the calls inside them, with their lines', async () => {
    const { scan } = await import('../../src/index.js');
    const r = await scan({ root: FIXTURE, config: false });
    const evidence = Object.fromEntries(
      r.functions.map((f) => [f.name, (f.ioTangle?.evidence ?? []).map((e) => `${e.file}:${e.line}:${e.column} ${e.what}`)]),
    );
    expect(evidence).toEqual({
      audit: ['src/repositories/payments-repo.ts:8:11 I/O: this.ddb.send(new PutCommand(...))'],
      getCustomer: [
        'src/handlers/get-customer.ts:4:26 I/O: customers.byId(...), which does I/O',
        'src/repositories/base-repo.ts:7:23 I/O: this.ddb.send(new GetCommand(...))',
        'src/repositories/customers-repo.ts:11:12 I/O: this.getItem(...), which does I/O',
      ],
      getOrder: [
        'src/handlers/get-order.js:4:23 I/O: ordersRepo.find(...), which does I/O',
        'src/repositories/orders-repo.js:12:28 I/O: this.docClient.send(...)',
      ],
      image: [
        'source/image-handler/image-handler.ts:12:26 I/O: this.applyEdits(...), which does I/O',
        'source/image-handler/image-handler.ts:17:27 I/O: this.getOverlayImage(...), which does I/O',
        'source/image-handler/image-handler.ts:22:23 I/O: this.s3Client.send(new GetObjectCommand(...))',
        'source/image-handler/image-handler.ts:23:29 streamed I/O: .transformToByteArray(...)',
        'source/image-handler/image-request.ts:14:28 I/O: this.getOriginalImage(...), which does I/O',
        'source/image-handler/image-request.ts:24:23 I/O: this.s3Client.send(...)',
        'source/image-handler/image-request.ts:25:29 streamed I/O: .transformToByteArray(...)',
        'source/image-handler/index.ts:9:29 I/O: imageRequest.setup(...), which does I/O',
        'source/image-handler/index.ts:11:22 I/O: imageHandler.process(...), which does I/O',
      ],
      // `this.repo.record()` reaches the repository (its send is listed) but is not itself a step: calls on a
      // field holding a service class are not kept by the fact pass.
      pay: [
        'src/handlers/pay.ts:6:26 I/O: payments.charge(...), which does I/O',
        'src/repositories/payments-repo.ts:8:11 I/O: this.ddb.send(new PutCommand(...))',
        'src/services/payments.ts:10:26 I/O: this.stripe.paymentIntents.create(...)',
      ],
      registerVehicle: [
        'src/qldb/register-vehicle.js:7:24 I/O: driver.executeLambda(...)',
        'src/qldb/register-vehicle.js:7:45 I/O: callback of executeLambda(...) does I/O',
        'src/qldb/register-vehicle.js:8:28 I/O: txn.execute(...)',
        'src/qldb/register-vehicle.js:9:5 branch between I/O calls',
        'src/qldb/register-vehicle.js:10:12 I/O: txn.execute(...)',
      ],
    });
  });
});
