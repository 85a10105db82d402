import { describe, expect, it } from 'vitest';
import { discoverFixture } from './helpers.js';

describe('discover: SAM / CloudFormation', async () => {
  const result = await discoverFixture('discover-sam');
  const byId = (id: string) => result.functions.find((f) => f.id === id);

  it('finds templates by name and by content, and lists only Node functions with code', () => {
    expect(result.iacFiles).toEqual(['infra/api.json', 'template.yaml']);
    expect(result.functions.map((f) => f.id)).toEqual([
      'infra/api.json#PingFunction',
      'template.yaml#CreateFunction',
      'template.yaml#ExportFunction',
      'template.yaml#RawFunction',
      'template.yaml#ReportFunction',
      'template.yaml#SubHandlerFunction',
      'template.yaml#WarmFunction',
      'template.yaml#WarmRawFunction',
    ]);
    expect(result.warnings).toEqual([
      'template.yaml#ImageFunction: PackageType Image is a container image; not analysed',
      'template.yaml#InlineFunction: inline code (Code.ZipFile) cannot be analysed; not listed',
      'template.yaml#PythonFunction: runtime python3.12 is not Node.js; not analysed',
    ]);
    expect(result.skipped).toEqual([]);
  });

  it('applies Globals.Function and resolves the handler under CodeUri', () => {
    expect(byId('template.yaml#CreateFunction')).toEqual({
      id: 'template.yaml#CreateFunction',
      name: 'CreateFunction',
      provider: 'sam',
      deployedNames: ['orders-create'],
      runtime: 'nodejs20.x',
      architecture: 'arm64',
      memoryMB: 256,
      timeoutS: 10,
      runtimeDeclaredIn: { file: 'template.yaml', line: 11 },
      packaging: { form: 'unbundled', tool: null, basis: 'no Metadata BuildMethod: sam build copies CodeUri and installs its node_modules as files' },
      declaredIn: { file: 'template.yaml', line: 19 },
      handler: { file: 'src/handlers/create.ts', export: 'handler', declared: 'handlers/create.handler', mapping: 'exact' },
    });
  });

  it('maps an esbuild handler through Metadata.BuildProperties.EntryPoints', () => {
    const fn = byId('template.yaml#ExportFunction');
    expect(fn?.handler).toEqual({
      file: 'functions/handlers/export.ts',
      export: 'handler',
      declared: 'export.handler',
      mapping: 'mapped',
      mappingNote: 'export.handler is the esbuild bundle of functions/handlers/export.ts (Metadata.BuildProperties.EntryPoints)',
    });
    expect(fn?.memoryMB).toBe(1024);
    expect(fn?.architecture).toBe('x86_64');
    // No FunctionName: the logical id is the only stable part of the deployed name.
    expect(fn?.deployedNames).toEqual(['ExportFunction']);
  });

  it('maps a CodeUri that is build output back to src/ as a guess', () => {
    const fn = byId('template.yaml#ReportFunction');
    expect(fn?.handler).toEqual({
      file: 'src/handlers/report.ts',
      export: 'handler',
      declared: 'handlers/report.handler',
      mapping: 'guessed',
      mappingNote: 'IaC points at build output dist/handlers/report; mapped to src/handlers/report.ts by name',
    });
    expect(fn?.timeoutS).toBe(30);
  });

  it('leaves an intrinsic Handler unresolved but keeps the export it names', () => {
    expect(byId('template.yaml#SubHandlerFunction')?.handler).toEqual({
      file: null,
      export: 'handler',
      declared: '{"Fn::Sub":"${Prefix}.handler"}',
      mapping: 'unresolved',
      mappingNote: 'Handler is an intrinsic ({"Fn::Sub":"${Prefix}.handler"}); not resolved statically',
      reason: 'not_static',
    });
  });

  it('reads AWS::Lambda::Function without Globals; S3 code is a guess relative to the template', () => {
    expect(byId('template.yaml#RawFunction')).toEqual({
      id: 'template.yaml#RawFunction',
      name: 'RawFunction',
      provider: 'cloudformation',
      deployedNames: ['RawFunction'],
      runtime: 'nodejs18.x',
      // Lambda's API defaults, which CloudFormation passes through, marked as defaults.
      architecture: 'x86_64',
      memoryMB: 128,
      timeoutS: 3,
      defaulted: ['architecture', 'timeoutS'],
      runtimeDeclaredIn: { file: 'template.yaml', line: 71 },
      packaging: {
        form: 'unknown',
        tool: null,
        basis: 'AWS::Lambda::Function deploys a prebuilt package; the template does not say how it was built',
      },
      declaredIn: { file: 'template.yaml', line: 67 },
      handler: {
        file: 'lambda/raw.ts',
        export: 'handler',
        declared: 'lambda/raw.handler',
        mapping: 'guessed',
        mappingNote: 'code is the S3 object builds/raw.zip; handler looked up relative to the template',
      },
    });
  });

  it('reads EphemeralStorage.Size and provisioned concurrency (SAM ProvisionedConcurrencyConfig, or an AWS::Lambda::Alias that !Refs the function)', () => {
    expect(byId('template.yaml#WarmFunction')).toMatchObject({ ephemeralStorageMB: 4096, provisionedConcurrency: 5 });
    expect(byId('template.yaml#WarmRawFunction')).toMatchObject({ ephemeralStorageMB: 1024, provisionedConcurrency: 2 });
    // Not declared: absent, so the default 512 MB and no provisioned concurrency.
    expect(byId('template.yaml#CreateFunction')?.ephemeralStorageMB).toBeUndefined();
    expect(byId('template.yaml#CreateFunction')?.provisionedConcurrency).toBeUndefined();
  });

  it('reads a JSON template found by its AWSTemplateFormatVersion, with lines', () => {
    expect(byId('infra/api.json#PingFunction')).toEqual({
      id: 'infra/api.json#PingFunction',
      name: 'PingFunction',
      provider: 'cloudformation',
      deployedNames: ['PingFunction'],
      runtime: 'nodejs20.x',
      architecture: 'x86_64',
      memoryMB: 128,
      timeoutS: 5,
      defaulted: ['architecture', 'memoryMB'],
      runtimeDeclaredIn: { file: 'infra/api.json', line: 9 },
      packaging: {
        form: 'unknown',
        tool: null,
        basis: 'AWS::Lambda::Function deploys a prebuilt package; the template does not say how it was built',
      },
      declaredIn: { file: 'infra/api.json', line: 4 },
      handler: { file: 'infra/ping.js', export: 'handler', declared: 'ping.handler', mapping: 'exact' },
    });
  });
});

describe('discover: a broken config loses nothing else', async () => {
  const result = await discoverFixture('discover-broken');

  it('lists the broken template and serverless.yml as parse errors and still reads the valid template', () => {
    expect(result.skipped).toEqual([
      { file: 'services/a/template.yaml', reason: 'parse_error', detail: 'line 6, column 1: All mapping items must start at the same column' },
      {
        file: 'services/c/serverless.yml',
        reason: 'parse_error',
        detail: 'line 5, column 1: Flow sequence in block collection must be sufficiently indented and end with a ]',
      },
    ]);
    expect(result.iacFiles).toEqual(['services/b/template.yaml']);
    expect(result.functions.map((f) => [f.id, f.handler.file, f.declaredIn.line])).toEqual([
      ['services/b/template.yaml#GoodFunction', 'services/b/src/app.ts', 3],
    ]);
    expect(result.warnings).toEqual([]);
  });
});
