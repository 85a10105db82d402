import { describe, expect, it } from 'vitest';
import { discoverFixture } from './helpers.js';

describe('discover: Pulumi shapes from real monorepos', async () => {
  const result = await discoverFixture('discover-pulumi-shapes');
  const byId = (id: string) => result.functions.find((f) => f.id === id);

  it('finds every declaration: a class passed to a helper, one per component instance, and file-by-file archives', () => {
    expect(result.functions.map((f) => [f.id, f.declaredIn.line, f.handler.file, f.handler.export])).toEqual([
      ['infra/index.ts#events', 54, 'packages/events/src/index.ts', 'handler'],
      ['infra/index.ts#mailer', 42, 'packages/mailer/src/send.ts', 'main'],
      ['infra/index.ts#orders', 15, 'packages/orders/src/index.ts', 'handler'],
      ['infra/index.ts#ping', 45, 'packages/orders/src/ping.js', 'handler'],
      // lambdaFactory({ name, fileAssetPath }) destructures its params object in the body
      ['infra/index.ts#reports-nightly', 62, 'packages/reports/src/nightly.js', 'handler'],
      ['infra/index.ts#search', 41, 'packages/search/src/query.ts', 'handler'],
      ['packages/webhooks/src/stripe.ts#handler', 1, 'packages/webhooks/src/stripe.ts', 'handler'],
    ]);
    expect(result.iacFiles).toEqual(['infra/index.ts']);
  });

  it('maps a FileArchive of path.join(__dirname, dist) back to the source its esbuild script built, and says it is bundled', () => {
    expect(byId('infra/index.ts#orders')?.handler).toEqual({
      file: 'packages/orders/src/index.ts',
      export: 'handler',
      declared: 'index.handler',
      mapping: 'mapped',
      mappingNote: 'index.handler is build output of packages/orders/src/index.ts (packages/orders/package.json script "build")',
    });
    expect(byId('infra/index.ts#orders')?.packaging).toMatchObject({
      form: 'bundled',
      tool: 'esbuild',
      declaredIn: { file: 'infra/index.ts', line: 15 },
    });
    expect(byId('infra/index.ts#search')?.packaging).toMatchObject({ form: 'unbundled', tool: null });
  });

  it("reads a component's parameters per instance (memory), the stack's region, layers and the two env keys only", () => {
    expect(byId('infra/index.ts#search')).toMatchObject({
      memoryMB: 1024,
      runtime: 'nodejs20.x',
      region: 'eu-north-1',
      defaulted: ['architecture', 'timeoutS'],
    });
    expect(byId('infra/index.ts#mailer')?.memoryMB).toBe(256);
    expect(byId('infra/index.ts#reports-nightly')?.deployedNames).toEqual(['reports-nightly']);
    expect(byId('infra/index.ts#orders')?.runtimeSettings).toEqual({
      layers: [
        { ref: 'deps', localDir: 'layers/deps', line: 22 },
        { ref: 'arn:aws:lambda:eu-north-1:580247275435:layer:LambdaInsightsExtension:38', line: 22 },
      ],
      nodeOptions: { flags: ['--enable-source-maps'], line: 23 },
    });
    expect(JSON.stringify(result)).not.toContain('tok_never_read');
  });

  it('still runs the fallback for a handler file no Pulumi declaration names, and says so', () => {
    expect(byId('packages/webhooks/src/stripe.ts#handler')?.provider).toBe('fallback');
    expect(result.unreferenced).toEqual([]);
    expect(result.warnings).toEqual([
      'pulumi: 1 file(s) export `handler` but no Pulumi declaration read here names them; analysed as guessed functions (provider fallback)',
    ]);
  });
});
