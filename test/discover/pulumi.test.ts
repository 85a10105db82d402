import { describe, expect, it } from 'vitest';
import { discoverFixture } from './helpers.js';

describe('discover: Pulumi', async () => {
  const result = await discoverFixture('discover-pulumi');
  const byId = (id: string) => result.functions.find((f) => f.id === id);

  it('reads aws.lambda.Function with archive folders relative to Pulumi.yaml', () => {
    expect(result.iacFiles).toEqual(['deploy/index.ts']);
    expect(byId('deploy/index.ts#orders')).toEqual({
      id: 'deploy/index.ts#orders',
      name: 'orders',
      provider: 'pulumi',
      deployedNames: ['orders'],
      runtime: 'nodejs20.x',
      architecture: 'arm64',
      memoryMB: 512,
      timeoutS: 3,
      defaulted: ['timeoutS'],
      packaging: {
        form: 'unbundled',
        tool: null,
        basis: 'Pulumi archives the code folder as files',
        declaredIn: { file: 'deploy/index.ts', line: 7 },
      },
      declaredIn: { file: 'deploy/index.ts', line: 7 },
      handler: { file: 'deploy/app/create.js', export: 'handler', declared: 'create.handler', mapping: 'exact' },
    });
    expect(byId('deploy/index.ts#report')?.handler).toEqual({
      file: 'deploy/app/report.js',
      export: 'run',
      declared: 'report.run',
      mapping: 'exact',
    });
    expect(byId('deploy/index.ts#report')?.deployedNames).toEqual(['orders-report']);
  });

  it('maps a CallbackFunction whose callback is imported to that module, and counts an inline closure as not analysable', () => {
    expect(byId('deploy/index.ts#uploads')?.handler).toEqual({
      file: 'deploy/handlers/upload.ts',
      export: 'onUpload',
      declared: './handlers/upload#onUpload',
      mapping: 'exact',
    });
    expect(result.functions.map((f) => f.id)).toEqual(['deploy/index.ts#orders', 'deploy/index.ts#report', 'deploy/index.ts#uploads']);
    expect(result.notAnalysed).toEqual([
      {
        id: 'deploy/index.ts#inline',
        name: 'inline',
        declaredIn: { file: 'deploy/index.ts', line: 24 },
        reason: 'inline_code',
        detail: 'CallbackFunction closure',
      },
    ]);
    expect(result.unreferenced).toEqual([]);
  });
});
