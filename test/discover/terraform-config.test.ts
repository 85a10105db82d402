import { describe, expect, it } from 'vitest';
import { discoverFixture } from './helpers.js';

/**
 * Functions kept in a YAML file (`yamldecode(file(...))`, read as data), deployed through a vendored copy of
 * terraform-aws-modules/lambda, an empty for_each, a zip an npm script writes with `zip -r api.zip dist`, one a local-exec provisioner writes, and a terragrunt.hcl deploying the registry module.
 */
describe('discover: Terraform driven by a config file and a vendored lambda module', async () => {
  const result = await discoverFixture('discover-terraform-config');

  it('one function per YAML entry through the vendored module; none for an empty for_each', () => {
    expect(result.skipped).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.functions.map((f) => [f.id, f.deployedNames, f.memoryMB, f.handler.file, f.handler.mapping])).toEqual([
      ['infra/main.tf#aws_lambda_function.api', ['api'], 128, 'api/src/api.ts', 'mapped'],
      ['infra/main.tf#aws_lambda_function.worker', ['worker'], 128, 'worker/src/worker.ts', 'mapped'],
      ['infra/main.tf#module.fn["create-user"]', ['users-create-user'], 256, 'src/users/create.ts', 'exact'],
      ['infra/main.tf#module.fn["list-users"]', ['users-list-users'], 128, 'src/users/list.ts', 'exact'],
      ['live/notify/terragrunt.hcl#module.notify', ['notify-prod'], 512, 'services/notify/src/index.ts', 'exact'],
    ]);
    expect(result.iacFiles).toEqual([
      'infra/main.tf',
      'live/notify/terragrunt.hcl',
      'vendor/terraform-aws-lambda/main.tf',
      'vendor/terraform-aws-lambda/variables.tf',
    ]);
    expect(result.functions[2]?.packaging).toEqual({
      form: 'unbundled',
      tool: null,
      basis: 'terraform-aws-modules/lambda fn source_path packs . as is',
      declaredIn: { file: 'infra/main.tf', line: 6 },
    });
  });

  it('`zip -r api.zip dist` keeps dist/ in the archive: the handler dist/api maps through the esbuild step', () => {
    const fn = result.functions.find((f) => f.id === 'infra/main.tf#aws_lambda_function.api');
    expect(fn?.handler.mappingNote).toBe('dist/api.handler is build output of api/src/api.ts (api/package.json script "package")');
    expect(fn?.packaging).toEqual({
      form: 'bundled',
      tool: 'esbuild',
      basis: 'api/package.json script "package" zip step packs esbuild output of api/src/api.ts (api/package.json script "package")',
    });
  });

  it('a local-exec heredoc (esbuild with a `\\` continuation, then `cd out && zip`) builds the zip `filename` names', () => {
    const fn = result.functions.find((f) => f.id === 'infra/main.tf#aws_lambda_function.worker');
    expect(fn?.handler).toEqual({
      file: 'worker/src/worker.ts',
      export: 'handler',
      declared: 'worker.handler',
      mapping: 'mapped',
      mappingNote: 'worker.handler is build output of worker/src/worker.ts (infra/main.tf local-exec of null_resource.worker_build)',
    });
    expect(fn?.packaging).toMatchObject({ form: 'bundled', tool: 'esbuild' });
  });

  it('terragrunt: a tfr:// lambda module source with inputs (locals, get_terragrunt_dir()) is a function at the inputs line', () => {
    expect(result.functions.find((f) => f.id === 'live/notify/terragrunt.hcl#module.notify')).toMatchObject({
      name: 'notify',
      runtime: 'nodejs20.x',
      declaredIn: { file: 'live/notify/terragrunt.hcl', line: 13 },
      handler: { file: 'services/notify/src/index.ts', export: 'handler', declared: 'index.handler', mapping: 'exact' },
    });
  });
});
