import { describe, expect, it } from 'vitest';
import type { FunctionEvent } from '../../src/discover/events.js';
import type { DiscoveryProvider } from '../../src/model/result.js';
import { loadCrateVersions } from '../../src/scaffold/crates.js';
import { scaffoldFiles, type ScaffoldInput } from '../../src/scaffold/index.js';
import { fakeFunction, findRustfmt, rustfmtCheck } from './helpers.js';

function input(over: Partial<ScaffoldInput> & { provider?: DiscoveryProvider } = {}): ScaffoldInput {
  const { provider, ...rest } = over;
  return {
    fn: fakeFunction(provider !== undefined ? { provider } : {}),
    events: [],
    routes: null,
    eventTypesInSource: [],
    sdkV2Services: [],
    versions: loadCrateVersions(),
    insightsQuery: 'fields @initDuration',
    ...rest,
  };
}

const event = (kind: FunctionEvent['kind'], extra: Partial<FunctionEvent> = {}): FunctionEvent => ({
  kind,
  declared: kind,
  file: 'serverless.yml',
  line: 7,
  ...extra,
});

const KINDS = [
  ['sqs', 'aws_lambda_events::event::sqs::SqsEvent', 'sqs'],
  ['sns', 'aws_lambda_events::event::sns::SnsEvent', 'sns'],
  ['s3', 'aws_lambda_events::event::s3::S3Event', 's3'],
  ['dynamodb', 'aws_lambda_events::event::dynamodb::Event', 'dynamodb'],
  ['kinesis', 'aws_lambda_events::event::kinesis::KinesisEvent', 'kinesis'],
  ['eventbridge', 'aws_lambda_events::event::eventbridge::EventBridgeEvent', 'eventbridge'],
  ['schedule', 'aws_lambda_events::event::eventbridge::EventBridgeEvent', 'eventbridge'],
] as const;

describe('event handlers: one lambda_runtime shape per trigger kind', () => {
  const rustfmt = findRustfmt();
  for (const [kind, type, feature] of KINDS) {
    it(`${kind}: ${type}, feature ${feature}, a sample event, rustfmt-clean`, () => {
      const files = scaffoldFiles(input({ events: [event(kind)] }));
      const main = files.get('src/main.rs') ?? '';
      expect(main).toContain(`use ${type};`);
      expect(main).toContain(`let handler = lambda_runtime::service_fn(move |event| handle(state, event));`);
      expect(main).toContain(`// (${kind} event at serverless.yml:7)`);
      expect(files.get('Cargo.toml')).toContain(
        `aws_lambda_events = { version = "${loadCrateVersions().get('aws_lambda_events')?.version ?? ''}", default-features = false, features = ["${feature}"] }`,
      );
      expect(() => JSON.parse(files.get(`events/${kind}.json`) ?? '')).not.toThrow();
      expect(main).not.toContain('axum');
      if (rustfmt !== null) expect(rustfmtCheck(rustfmt, files)).toBe('');
    });
  }

  it('sqs without ReportBatchItemFailures fails the whole batch on the first error; with it, reports items', () => {
    expect(scaffoldFiles(input({ events: [event('sqs')] })).get('src/main.rs')).not.toContain('batchItemFailures');
    expect(scaffoldFiles(input({ events: [event('sqs', { batchItemFailures: true })] })).get('src/main.rs')).toContain('"batchItemFailures"');
  });

  it('no IaC event: the aws-lambda type the handler imports decides, and the README says so', () => {
    const files = scaffoldFiles(input({ eventTypesInSource: ['S3Event', 'Context'] }));
    expect(files.get('src/main.rs')).toContain('use aws_lambda_events::event::s3::S3Event;');
    expect(files.get('README.md')).toContain("event type s3 taken from the handler's aws-lambda types");
  });

  it('an HTTP event and an SQS event: the HTTP shape, and a note about the other trigger', () => {
    const files = scaffoldFiles(input({ events: [event('http', { method: 'GET', path: '/items/{id}' }), event('sqs', { line: 9 })] }));
    expect(files.get('src/main.rs')).toContain('.route("/items/{id}", get(get_items_id))');
    expect(files.get('README.md')).toContain('the function also has a sqs event (serverless.yml:9)');
  });
});

describe('the shell compiles against the crates it names', () => {
  it('pulls in src/core.rs as the module `logic`: a module named `core` would shadow the core crate in main.rs', () => {
    for (const events of [[], [event('sqs')], [event('eventbridge')]]) {
      const main = scaffoldFiles(input({ events })).get('src/main.rs') ?? '';
      expect(main).toContain('#[path = "core.rs"]\nmod logic;\n');
      expect(main).not.toMatch(/^\s*(pub )?mod core\b/m);
      // No `core::` path in the code that is not `::core::` (it would resolve to a local module first).
      const code = main
        .split('\n')
        .filter((line) => !line.trimStart().startsWith('//'))
        .join('\n');
      expect(code).not.toMatch(/(^|[^:\w])core::/m);
    }
  });

  it("asks for tokio's `net` feature in the HTTP shape (the local server's TcpListener), not in the event shape", () => {
    expect(scaffoldFiles(input()).get('Cargo.toml')).toMatch(
      /^tokio = \{ version = "[\d.]+", features = \["macros", "rt-multi-thread", "net"\] \}$/m,
    );
    expect(scaffoldFiles(input({ events: [event('sqs')] })).get('Cargo.toml')).toMatch(
      /^tokio = \{ version = "[\d.]+", features = \["macros", "rt-multi-thread"\] \}$/m,
    );
  });
});

describe('deployment snippet for the IaC the service uses', () => {
  it('Serverless: provided.al2023, arm64, the cargo-lambda zip as the artifact', () => {
    const d = scaffoldFiles(input({ provider: 'serverless' })).get('deploy/serverless.yml') ?? '';
    expect(d).toMatch(/ {4}handler: bootstrap\n {4}runtime: provided\.al2023\n {4}architecture: arm64\n/);
    expect(d).toContain('artifact: target/lambda/fn/bootstrap.zip');
  });

  it('SAM: BuildMethod rust-cargolambda, Runtime provided.al2023, Handler bootstrap, arm64', () => {
    const d = scaffoldFiles(input({ provider: 'sam' })).get('deploy/template.yaml') ?? '';
    expect(d).toContain('      BuildMethod: rust-cargolambda\n');
    expect(d).toContain('      Handler: bootstrap\n      Runtime: provided.al2023\n      Architectures:\n        - arm64\n');
  });

  it('CDK: RustFunction from cargo-lambda-cdk on ARM_64', () => {
    const d = scaffoldFiles(input({ provider: 'cdk' })).get('deploy/rust-function.ts') ?? '';
    expect(d).toContain("import { RustFunction } from 'cargo-lambda-cdk';");
    expect(d).toContain("new RustFunction(scope, 'fn', {");
    expect(d).toContain('architecture: Architecture.ARM_64,');
  });

  it('Terraform: aws_lambda_function with the zip, provided.al2023 and arm64', () => {
    const d = scaffoldFiles(input({ provider: 'terraform' })).get('deploy/main.tf') ?? '';
    expect(d).toContain('resource "aws_lambda_function" "fn" {');
    expect(d).toContain('function_name    = "svc-dev-fn"');
    expect(d).toContain('architectures    = ["arm64"]');
  });

  it('HTTP shape: every IaC snippet sets AWS_LAMBDA_HTTP_IGNORE_STAGE_IN_PATH (lambda_http puts a REST API stage in front of the path); event shape: none does', () => {
    const snippets = {
      serverless: 'deploy/serverless.yml',
      sam: 'deploy/template.yaml',
      cdk: 'deploy/rust-function.ts',
      terraform: 'deploy/main.tf',
    } as const;
    for (const [provider, file] of Object.entries(snippets)) {
      const p = provider as DiscoveryProvider;
      expect(scaffoldFiles(input({ provider: p })).get(file), provider).toContain('AWS_LAMBDA_HTTP_IGNORE_STAGE_IN_PATH');
      expect(scaffoldFiles(input({ provider: p, events: [event('sqs')] })).get(file), provider).not.toContain('AWS_LAMBDA_HTTP_IGNORE_STAGE_IN_PATH');
    }
    expect(scaffoldFiles(input({ provider: 'terraform' })).get('deploy/main.tf')).toContain(
      '    variables = {\n      AWS_LAMBDA_HTTP_IGNORE_STAGE_IN_PATH = "true"\n    }\n',
    );
  });

  it('is deterministic: the same input gives the same files', () => {
    expect([...scaffoldFiles(input({ events: [event('sqs')] }))]).toEqual([...scaffoldFiles(input({ events: [event('sqs')] }))]);
  });
});
