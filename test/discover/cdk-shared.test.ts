import { describe, expect, it } from 'vitest';
import { discoverFixture } from './helpers.js';

describe('discover: CDK props spread from a shared object in another file, and the default entry', async () => {
  const result = await discoverFixture('discover-cdk-shared');

  it('applies imported defaults under local overrides', () => {
    expect(result.functions).toEqual([
      {
        id: 'infra/lib/api-stack.ts#Api',
        name: 'Api',
        provider: 'cdk',
        deployedNames: [],
        runtime: 'nodejs22.x',
        architecture: 'arm64',
        memoryMB: 1536,
        timeoutS: 12,
        packaging: {
          form: 'bundled',
          tool: 'esbuild',
          basis: 'CDK NodejsFunction bundles with esbuild by default',
          declaredIn: { file: 'infra/lib/api-stack.ts', line: 10 },
          externals: ['@aws-sdk/*'],
        },
        declaredIn: { file: 'infra/lib/api-stack.ts', line: 10 },
        handler: {
          file: 'services/api/main.ts',
          export: 'handler',
          declared: "path.join(__dirname, '../../services/api/main.ts')",
          mapping: 'exact',
        },
      },
      {
        id: 'infra/lib/api-stack.ts#Worker',
        name: 'Worker',
        provider: 'cdk',
        deployedNames: [],
        runtime: 'nodejs22.x',
        architecture: 'arm64',
        memoryMB: 768,
        timeoutS: 12,
        packaging: {
          form: 'bundled',
          tool: 'esbuild',
          basis: 'CDK NodejsFunction bundles with esbuild by default',
          declaredIn: { file: 'infra/lib/api-stack.ts', line: 15 },
          externals: ['@aws-sdk/*'],
        },
        declaredIn: { file: 'infra/lib/api-stack.ts', line: 15 },
        handler: { file: 'infra/lib/api-stack.Worker.ts', export: 'handler', declared: 'infra/lib/api-stack.Worker.ts', mapping: 'exact' },
      },
    ]);
    expect(result.unreferenced).toEqual([]);
  });
});
