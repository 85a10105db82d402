import { describe, expect, it } from 'vitest';
import { discoverFixture } from './helpers.js';

describe('discover: SAM layers, environment, esbuild packaging, samconfig region and lenient YAML', async () => {
  const result = await discoverFixture('discover-sam-runtime');
  const byId = (id: string) => result.functions.find((f) => f.id === id);

  it('reads a template strict YAML 1.2 rejects, as CloudFormation does, and says so', () => {
    expect(result.skipped).toEqual([]);
    expect(result.functions.map((f) => f.id)).toEqual(['template.yaml#LegacyFunction', 'template.yaml#MapsFunction', 'template.yaml#OrdersFunction']);
    expect(result.warnings).toEqual([
      "template.yaml: read leniently, as CloudFormation reads it (strict YAML 1.2 rejects it): line 3: a multi-line quoted scalar continues at or left of its key's indent; line 28: a multi-line flow collection continues at or left of its key's indent",
    ]);
  });

  it('appends the function Layers to Globals (a local LayerVersion maps to its ContentUri) and merges the environment', () => {
    expect(byId('template.yaml#OrdersFunction')?.runtimeSettings).toEqual({
      layers: [
        { ref: 'arn:aws:lambda:${AWS::Region}:901920570463:layer:aws-otel-nodejs-amd64-ver-1-18-1:4', line: 9 },
        { ref: 'SharedLayer', localDir: 'layers/shared', line: 28 },
      ],
      nodeOptions: { flags: ['--enable-source-maps'], line: 33 },
      execWrapper: { value: '/opt/otel-handler', line: 13 },
    });
    expect(JSON.stringify(result)).not.toContain('sk_live');
    // AWS::Lambda::Function does not take Globals.
    expect(byId('template.yaml#LegacyFunction')?.runtimeSettings).toBeUndefined();
  });

  it('BuildMethod esbuild is bundled, with its BuildProperties and External; a raw CloudFormation function says it cannot tell', () => {
    expect(byId('template.yaml#OrdersFunction')?.packaging).toEqual({
      form: 'bundled',
      tool: 'esbuild',
      basis: 'Metadata BuildMethod: esbuild (BuildProperties Minify true, Target "es2022", Sourcemap true)',
      declaredIn: { file: 'template.yaml', line: 35 },
      // BuildProperties.External, as written.
      externals: ['@aws-sdk/*', 'sharp'],
    });
    expect(byId('template.yaml#LegacyFunction')?.packaging?.form).toBe('unknown');
  });

  it('BuildProperties Sourcemap: true puts --enable-source-maps into NODE_OPTIONS, as sam build does', () => {
    expect(byId('template.yaml#MapsFunction')?.runtimeSettings?.nodeOptions).toEqual({ flags: ['--enable-source-maps'], line: 59 });
  });

  it('takes the region from samconfig.toml and fills the 128 MB / 3 s / x86_64 defaults, marked', () => {
    expect(byId('template.yaml#OrdersFunction')).toMatchObject({
      region: 'eu-central-1',
      memoryMB: 128,
      timeoutS: 3,
      architecture: 'x86_64',
      defaulted: ['architecture', 'memoryMB', 'timeoutS'],
      runtime: 'nodejs18.x',
      runtimeDeclaredIn: { file: 'template.yaml', line: 8 },
    });
    expect(byId('template.yaml#LegacyFunction')?.runtimeDeclaredIn).toEqual({ file: 'template.yaml', line: 46 });
  });
});

describe('lenient YAML: only what CloudFormation accepts', () => {
  it('reads a single-quoted scalar continued at its key indent, keeping line numbers', async () => {
    const { parseYamlWithIntrinsics } = await import('../../src/discover/cfn-yaml.js');
    const parsed = parseYamlWithIntrinsics("Resources:\n  Fn:\n    Properties:\n      Description: 'it''s\n      long'\n      Handler: a.handler\n");
    expect(parsed.data).toEqual({ Resources: { Fn: { Properties: { Description: "it's long", Handler: 'a.handler' } } } });
    expect(parsed.lineOf(['Resources', 'Fn', 'Properties', 'Handler'])).toBe(6);
    expect(parsed.lenient).toEqual(["line 4: a multi-line quoted scalar continues at or left of its key's indent"]);
  });

  it('still rejects YAML that is broken for CloudFormation too, with the strict error', async () => {
    const { parseYamlWithIntrinsics } = await import('../../src/discover/cfn-yaml.js');
    expect(() => parseYamlWithIntrinsics('Resources:\n  Fn: [a, b\n  Other: 1\n')).toThrow(/^line 3, column 3: Flow sequence/);
    expect(parseYamlWithIntrinsics('A: 1\n').lenient).toBeUndefined();
  });
});
