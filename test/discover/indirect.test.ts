import { describe, expect, it } from 'vitest';
import { discoverFixture } from './helpers.js';

describe('discover: indirect values', async () => {
  const result = await discoverFixture('discover-indirect');
  const byId = (id: string) => result.functions.find((f) => f.id === id);

  it('lists exactly these functions: serverless.template.yml and a non-AWS provider add none', () => {
    expect(result.functions.map((f) => f.id)).toEqual([
      'sam/nested/child.yaml#ChildFunction',
      'sam/sam-template.yaml#IfFunction',
      'sam/sam-template.yaml#SubFunction',
      'sam/stacks/more.template.json#MoreFunction',
      'sls/serverless.yml#checkout',
      'sls/serverless.yml#refund',
    ]);
    expect(result.warnings).toContain('azure/serverless.yml: provider azure is not AWS; its functions are not Lambda functions and are not listed');
    expect(result.skipped).toEqual([]);
  });

  it('Serverless: functions from ${file()} lists, custom from a JSON file, memory from a stage file', () => {
    expect(byId('sls/serverless.yml#checkout')).toEqual({
      id: 'sls/serverless.yml#checkout',
      name: 'checkout',
      provider: 'serverless',
      deployedNames: ['shop-dev-checkout'],
      runtime: 'nodejs20.x',
      architecture: 'x86_64',
      memoryMB: 512,
      timeoutS: 28,
      defaulted: ['architecture'],
      runtimeDeclaredIn: { file: 'sls/serverless.yml', line: 4 },
      // custom (from custom.json) has no esbuild block: serverless-esbuild's default exclude, ['aws-sdk'].
      packaging: {
        form: 'bundled',
        tool: 'esbuild',
        basis: 'serverless-esbuild plugin bundles each function with esbuild',
        declaredIn: { file: 'sls/serverless.yml', line: 8 },
        externals: ['aws-sdk'],
      },
      declaredIn: { file: 'sls/fns/orders.yml', line: 1 },
      handler: { file: 'sls/app/handlers/checkout.ts', export: 'handler', declared: 'app/handlers/checkout.handler', mapping: 'exact' },
    });
    expect(byId('sls/serverless.yml#refund')?.deployedNames).toEqual(['shop-dev-refunds']);
    expect(result.notAnalysed).toContainEqual({
      id: 'sls/serverless.yml#report',
      name: 'report',
      declaredIn: { file: 'sls/fns/admin.yml', line: 1 },
      reason: 'runtime',
      detail: 'python3.12',
    });
  });

  it('--stage changes ${opt:stage}, the stage file read and the deployed names', async () => {
    const prod = await discoverFixture('discover-indirect', { options: { stage: 'prod' } });
    const checkout = prod.functions.find((f) => f.id === 'sls/serverless.yml#checkout');
    expect([checkout?.memoryMB, checkout?.deployedNames]).toEqual([2048, ['shop-prod-checkout']]);
  });

  it('SAM: !Sub and !If over parameter defaults and conditions, samconfig stack name', () => {
    expect(byId('sam/sam-template.yaml#SubFunction')).toMatchObject({
      deployedNames: ['shop-api-SubFunction', 'SubFunction'],
      memoryMB: 256,
      handler: { file: 'sam/handlers/sub.ts', declared: 'handlers/sub.handler', mapping: 'exact' },
    });
    expect(byId('sam/sam-template.yaml#IfFunction')?.handler.file).toBe('sam/handlers/dev.ts');
    expect(result.warnings).toContain(
      'sam/sam-template.yaml#IfFunction: Handler {"Fn::If":["IsProd","handlers/prod.handler","handlers/dev.handler"]} resolved to handlers/dev.handler with the parameters\' defaults',
    );
    // The branch not taken with the defaults is still an exported handler: listed as unreferenced.
    expect(result.unreferenced).toEqual([{ file: 'sam/handlers/prod.ts', export: 'handler', line: 1 }]);
  });

  it('SAM: nested stacks with a local template (Application Location, Stack TemplateURL) are read once', () => {
    expect(byId('sam/nested/child.yaml#ChildFunction')?.handler.file).toBe('sam/handlers/child.ts');
    expect(byId('sam/stacks/more.template.json#MoreFunction')?.handler.file).toBe('sam/handlers/more.ts');
    expect(result.iacFiles).toEqual([
      'azure/serverless.yml',
      'sam/nested/child.yaml',
      'sam/sam-template.yaml',
      'sam/stacks/more.template.json',
      'sls/serverless.yml',
    ]);
  });

  it('counts inline code as not analysable', () => {
    expect(result.notAnalysed).toContainEqual({
      id: 'sam/sam-template.yaml#InlineFunction',
      name: 'InlineFunction',
      declaredIn: { file: 'sam/sam-template.yaml', line: 25 },
      reason: 'inline_code',
      detail: 'InlineCode',
    });
  });

  it('--iac restricts the providers that run', async () => {
    const onlySam = await discoverFixture('discover-indirect', { options: { iac: ['sam'] } });
    expect(onlySam.functions.map((f) => f.provider)).toEqual(['sam', 'sam', 'sam', 'cloudformation']);
    const excluded = await discoverFixture('discover-indirect', { exclude: ['sam/**'] });
    expect(excluded.functions.map((f) => f.id)).toEqual(['sls/serverless.yml#checkout', 'sls/serverless.yml#refund']);
  });
});
