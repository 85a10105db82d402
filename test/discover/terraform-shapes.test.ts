import { describe, expect, it } from 'vitest';
import { discoverFixture } from './helpers.js';

/**
 * Shapes real Terraform repositories use, in one tree: two environment roots calling one service module
 * with an object-typed variable, a for_each module, for expressions, a parenthesised multi-line
 * conditional, legacy `.0` indexing, `[module.x[0].arn]`, numeric object keys, heredocs, tfvars, aliased
 * providers, terraform-aws-modules/lambda with build commands, and zips written by npm scripts.
 */
describe('discover: Terraform shapes from real repositories', async () => {
  const result = await discoverFixture('discover-terraform-shapes');
  const byId = (id: string) => result.functions.find((f) => f.id === id);

  it('reads every .tf file (none skipped) and lists one function per instance, the shared module once', () => {
    expect(result.skipped).toEqual([]);
    expect(result.notAnalysed).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.functions.map((f) => [f.id, f.handler.file, f.handler.export, f.declaredIn.line])).toEqual([
      ['infra/modules/jobs/main.tf#module.jobs["hourly"].aws_lambda_function.job', 'services/jobs/src/hourly/index.ts', 'run', 11],
      ['infra/modules/jobs/main.tf#module.jobs["nightly"].aws_lambda_function.job', 'services/jobs/src/nightly/index.ts', 'run', 11],
      ['infra/modules/service/main.tf#module.orders.aws_lambda_function.this', 'services/orders/src/lambda.ts', 'handler', 9],
      ['infra/shared/main.tf#aws_lambda_function.billing["invoice"]', 'services/billing/src/invoice.ts', 'handler', 23],
      ['infra/shared/main.tf#aws_lambda_function.legacy[0]', 'services/legacy/handler.js', 'handler', 46],
      ['infra/shared/main.tf#module.report', 'services/reports/src/report.ts', 'main', 56],
    ]);
    expect(result.iacFiles).toEqual([
      'infra/envs/dev/main.tf',
      'infra/envs/prod/main.tf',
      'infra/modules/jobs/main.tf',
      'infra/modules/service/main.tf',
      'infra/modules/service/variables.tf',
      'infra/shared/main.tf',
      'infra/shared/providers.tf',
    ]);
  });

  it('a module reached from two roots is one function with both deployed names; var.lambda.* comes from the object input', () => {
    const fn = byId('infra/modules/service/main.tf#module.orders.aws_lambda_function.this');
    expect(fn).toMatchObject({
      name: 'orders',
      deployedNames: ['orders-dev', 'orders-prod'],
      memoryMB: 512,
      runtime: 'nodejs20.x',
      region: 'eu-west-1',
    });
  });

  it('the parenthesised conditional on a null default picks local.zip, written by `cd dist && zip` after ncc', () => {
    expect(byId('infra/modules/service/main.tf#module.orders.aws_lambda_function.this')?.handler).toEqual({
      file: 'services/orders/src/lambda.ts',
      export: 'handler',
      declared: 'index.handler',
      mapping: 'mapped',
      mappingNote: 'index.handler is build output of services/orders/src/lambda.ts (services/orders/package.json script "build")',
    });
    expect(byId('infra/modules/service/main.tf#module.orders.aws_lambda_function.this')?.packaging).toEqual({
      form: 'bundled',
      tool: 'ncc',
      basis:
        'services/orders/package.json script "package" zip step packs ncc output of services/orders/src/lambda.ts (services/orders/package.json script "build")',
    });
  });

  it('layers: a local aws_lambda_layer_version with its folder and an ARN, each at its line; NODE_OPTIONS as flag names only', () => {
    expect(byId('infra/modules/service/main.tf#module.orders.aws_lambda_function.this')?.runtimeSettings).toEqual({
      layers: [
        { ref: 'aws_lambda_layer_version.deps.arn', line: 22, localDir: 'layers/deps' },
        { ref: 'arn:aws:lambda:eu-west-1:464622532012:layer:Datadog-Extension:65', line: 23 },
      ],
      nodeOptions: { flags: ['--enable-source-maps', '--max-old-space-size'], line: 29 },
    });
    // Other environment values (and NODE_OPTIONS' own values) never reach the result.
    const text = JSON.stringify(result);
    expect(text).not.toContain('sk_live_do_not_print');
    expect(text).not.toContain('1024');
    expect(text).not.toContain('LOG_LEVEL');
  });

  it('module for_each: one instance per key, each.key into the archive path', () => {
    expect(byId('infra/modules/jobs/main.tf#module.jobs["nightly"].aws_lambda_function.job')).toMatchObject({
      name: 'jobs["nightly"].job',
      deployedNames: ['job-nightly'],
      architecture: 'arm64',
      runtime: 'nodejs22.x',
      handler: { file: 'services/jobs/src/nightly/index.ts', export: 'run', declared: 'index.run', mapping: 'exact' },
      packaging: {
        form: 'unbundled',
        tool: null,
        basis: 'archive_file job packs services/jobs/src/nightly as is',
        declaredIn: { file: 'infra/modules/jobs/main.tf', line: 5 },
      },
    });
  });

  it('resource for_each over a filtered `for` expression; the aliased provider region; exec wrapper through merge()', () => {
    const fn = byId('infra/shared/main.tf#aws_lambda_function.billing["invoice"]');
    expect(result.functions.some((f) => f.id.includes('refund'))).toBe(false);
    expect(fn).toMatchObject({ name: 'billing["invoice"]', deployedNames: ['billing-invoice'], memoryMB: 256, region: 'us-east-1' });
    expect(fn?.runtimeSettings).toEqual({ layers: [], execWrapper: { value: '/opt/otel-handler', line: 34 } });
    expect(fn?.handler.mappingNote).toBe(
      'invoice.handler is build output of services/billing/src/invoice.ts (services/billing/package.json script "bundle")',
    );
    expect(fn?.packaging).toMatchObject({ form: 'bundled', tool: 'esbuild' });
  });

  it('count with an unknown test and `var.x == null ? data.archive_file.legacy.0.output_path : null`: every static branch', () => {
    expect(byId('infra/shared/main.tf#aws_lambda_function.legacy[0]')).toMatchObject({
      deployedNames: ['legacy'],
      runtime: 'nodejs18.x',
      region: 'eu-central-1',
      handler: { file: 'services/legacy/handler.js', export: 'handler', mapping: 'exact' },
      packaging: {
        form: 'unbundled',
        basis: 'archive_file legacy packs services/legacy/handler.js as is',
        declaredIn: { file: 'infra/shared/main.tf', line: 39 },
      },
    });
  });

  it('terraform-aws-modules/lambda: source_path object with commands (`cd dist`, `:zip`), a layer module by [module.x[0].arn]', () => {
    const fn = byId('infra/shared/main.tf#module.report');
    expect(fn?.handler).toEqual({
      file: 'services/reports/src/report.ts',
      export: 'main',
      declared: 'report.main',
      mapping: 'mapped',
      mappingNote: 'report.main is build output of services/reports/src/report.ts (services/reports/package.json script "build")',
    });
    expect(fn?.runtimeSettings).toEqual({
      layers: [{ ref: 'module.deps_layer[0].lambda_layer_arn', line: 68, localDir: 'layers/deps' }],
      nodeOptions: { flags: ['--require'], line: 70 },
    });
    expect(fn?.packaging).toEqual({
      form: 'bundled',
      tool: 'esbuild',
      basis:
        'terraform-aws-modules/lambda report source_path packs esbuild output of services/reports/src/report.ts (services/reports/package.json script "build")',
      declaredIn: { file: 'infra/shared/main.tf', line: 56 },
    });
    // The layer-only module (create_function = false) is not a function.
    expect(result.functions.some((f) => f.id.includes('deps_layer'))).toBe(false);
  });
});
