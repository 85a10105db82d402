import { describe, expect, it } from 'vitest';
import { RULES } from '../../rules/index.js';
import { loadRules } from '../../src/engine/registry.js';
import { runRules } from '../../src/engine/run-rules.js';
import type { HandlerGraph } from '../../src/graph/closure.js';
import type { FunctionSpec, RuntimeSettings } from '../../src/model/result.js';
import { loadRuntimeCatalog, parseLayerArn, parseRuntimeCatalog, priceRuntimeAdditions } from '../../src/runtime/additions.js';

/**
 * Discovery fills `runtimeSettings` from each IaC kind; these tests give the rule and the pricing the settings a
 * serverless.yml like the one below declares, with its exact lines, and check what comes out.
 *
 *  9      layers:
 * 10        - arn:aws:lambda:us-east-1:464622532012:layer:Datadog-Extension-ARM:65
 * 11        - arn:aws:lambda:${aws:region}:464622532012:layer:Datadog-Node20-x:112
 * 12        - arn:aws:lambda:us-east-1:123456789012:layer:company-utils:3
 * 13        - { Ref: CommonLambdaLayer }
 * 15      environment:
 * 16        NODE_OPTIONS: --enable-source-maps --max-old-space-size=900
 * 17        AWS_LAMBDA_EXEC_WRAPPER: /opt/datadog_wrapper
 */
const SETTINGS: RuntimeSettings = {
  layers: [
    { ref: 'arn:aws:lambda:us-east-1:464622532012:layer:Datadog-Extension-ARM:65', line: 10 },
    { ref: 'arn:aws:lambda:${aws:region}:464622532012:layer:Datadog-Node20-x:112', line: 11 },
    { ref: 'arn:aws:lambda:us-east-1:123456789012:layer:company-utils:3', line: 12 },
    { ref: 'CommonLambdaLayer', localDir: 'layers/common', line: 13 },
  ],
  nodeOptions: { flags: ['--enable-source-maps', '--max-old-space-size'], line: 16 },
  execWrapper: { value: '/opt/datadog_wrapper', line: 17 },
};

function spec(settings: RuntimeSettings): FunctionSpec {
  return {
    id: 'serverless.yml#api',
    name: 'api',
    provider: 'serverless',
    deployedNames: [],
    runtime: 'nodejs20.x',
    architecture: 'arm64',
    memoryMB: 512,
    timeoutS: 6,
    runtimeSettings: settings,
    declaredIn: { file: 'serverless.yml', line: 7 },
    handler: { file: 'src/h.js', export: 'handler', declared: 'src/h.handler', mapping: 'exact' },
  };
}

function graphWith(settings: RuntimeSettings): HandlerGraph {
  const runtimeAdditions = priceRuntimeAdditions(settings, 'serverless.yml', loadRuntimeCatalog());
  return {
    closure: { estInitMs: 0, modules: 1, lines: 3, files: ['src/h.js'], packages: [], lazy: [], unresolved: [], topLevelAwait: [], runtimeAdditions },
    chainOf: (f) => (f === 'src/h.js' ? ['src/h.js'] : undefined),
    packageSites: [],
    packageCopies: [],
    priceCopy: () => null,
  };
}

describe('runtime additions pricing', () => {
  it('reads the publisher account and layer name from an ARN, whatever the region says', () => {
    expect(parseLayerArn('arn:aws:lambda:${aws:region}:464622532012:layer:Datadog-Node20-x:112')).toEqual({
      account: '464622532012',
      name: 'Datadog-Node20-x',
    });
    expect(parseLayerArn('arn:aws-cn:lambda:cn-north-1:580247275435:layer:LambdaInsightsExtension')).toEqual({
      account: '580247275435',
      name: 'LambdaInsightsExtension',
    });
    expect(parseLayerArn('CommonLambdaLayer')).toBeNull();
  });

  it('prices each layer, the known flag and the wrapper, and counts the wrapper inside the layer it preloads', () => {
    const got = priceRuntimeAdditions(SETTINGS, 'serverless.yml', loadRuntimeCatalog());
    expect(got.items.map((i) => [i.kind, i.line, i.catalogId ?? null, i.estInitMs])).toEqual([
      ['layer', 10, 'datadog-extension', 80],
      ['layer', 11, 'datadog-node-library', 120],
      ['layer', 12, null, null],
      ['layer', 13, null, null],
      ['node-option', 16, null, 15],
      ['exec-wrapper', 17, null, 0],
    ]);
    // 80 + 120 + 15: the unknown layer is not priced, the own layer is priced through its imports, the wrapper is in the library's figure.
    expect(got.estInitMs).toBe(215);
    expect(got.items[2]?.basis).toContain('layer company-utils of account 123456789012 is not in rules/catalog/runtime-additions.json');
    expect(got.items[5]?.basis).toContain('included in Datadog Node.js library layer');
  });

  it('an exec wrapper alone is priced on its own', () => {
    const got = priceRuntimeAdditions({ layers: [], execWrapper: { value: '/opt/otel-handler', line: 4 } }, 't.yaml', loadRuntimeCatalog());
    expect(got.items).toHaveLength(1);
    expect(got.estInitMs).toBe(300);
  });

  it('every catalog entry says how its figure was established, where from and when', () => {
    const cat = loadRuntimeCatalog();
    for (const e of [...cat.layers, ...cat.nodeOptions, ...cat.execWrappers]) {
      expect(e.source.length).toBeGreaterThan(20);
      expect(e.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    expect(() =>
      parseRuntimeCatalog({
        date: 'x',
        layers: [{ id: 'a', label: 'b', accounts: ['1'], namePattern: 'x', kind: 'k', initMs: 1, established: 'measured', source: 's', date: 'd' }],
        nodeOptions: [],
        execWrappers: [],
      }),
    ).toThrow("layers[0]: 'accounts' must list 12-digit AWS accounts");
    expect(() =>
      parseRuntimeCatalog({
        date: 'x',
        layers: [],
        nodeOptions: [{ flag: 'f', label: 'l', initMs: 1, established: 'guess', source: 's', date: 'd' }],
        execWrappers: [],
      }),
    ).toThrow("nodeOptions[0]: 'established' must be one of");
  });
});

describe('runtime-addition rule', () => {
  it('reports each priced or unknown addition at its IaC line, warn from the threshold up', async () => {
    const rules = await loadRules(RULES, ['runtime-addition']);
    const findings = runRules(rules, {
      fn: spec(SETTINGS),
      graph: graphWith(SETTINGS),
      facts: { get: () => undefined },
      reachable: new Set(),
      callsIo: () => false,
    });
    expect(findings.map((f) => [f.file, f.line, f.column, f.severity, f.estInitMs])).toEqual([
      ['serverless.yml', 11, 1, 'warn', 120],
      ['serverless.yml', 10, 1, 'warn', 80],
      ['serverless.yml', 16, 1, 'info', 15],
      ['serverless.yml', 17, 1, 'info', 0],
      ['serverless.yml', 12, 1, 'info', null],
    ]);
    expect(findings[0]?.message).toContain(
      'Runs at init before the handler: Datadog Node.js library layer (datadog-lambda-js + dd-trace) (arn:aws:lambda:${aws:region}:464622532012:layer:Datadog-Node20-x:112): ~120 ms',
    );
    expect(findings[0]?.message).toContain('~120 ms of billed INIT per cold start (runtime-additions datadog-node-library (estimate, 2026-12-02))');
    expect(findings[4]?.message).toContain('not priced');
  });

  it('reports the layers one `layers:` line declares together, priced as their sum', async () => {
    const rules = await loadRules(RULES, ['runtime-addition']);
    const oneLine: RuntimeSettings = { layers: [SETTINGS.layers[0], SETTINGS.layers[1]].flatMap((l) => (l ? [{ ...l, line: 10 }] : [])) };
    const findings = runRules(rules, {
      fn: spec(oneLine),
      graph: graphWith(oneLine),
      facts: { get: () => undefined },
      reachable: new Set(),
      callsIo: () => false,
    });
    expect(findings.map((f) => [f.line, f.column, f.estInitMs, f.severity])).toEqual([[10, 1, 200, 'warn']]);
    expect(findings[0]?.message).toMatch(
      /^2 additions run at init before the handler: Datadog Lambda Extension .*~80 ms.*; Datadog Node\.js library layer .*~120 ms/,
    );
  });

  it('reports nothing for a function whose IaC adds nothing', async () => {
    const rules = await loadRules(RULES, ['runtime-addition']);
    const bare: RuntimeSettings = { layers: [{ ref: 'CommonLambdaLayer', localDir: 'layers/common', line: 13 }] };
    expect(
      runRules(rules, { fn: spec(bare), graph: graphWith(bare), facts: { get: () => undefined }, reachable: new Set(), callsIo: () => false }),
    ).toEqual([]);
  });
});
