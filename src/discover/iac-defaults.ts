import type { Architecture, DefaultedSetting, FunctionSpec } from '../model/result.js';

/**
 * What each IaC tool deploys when a function does not say: the values are facts of the tools, each with where it
 * is documented and when that was checked. Lambda's own API default (128 MB, 3 s, x86_64) applies to SAM,
 * CloudFormation, CDK and Pulumi, which pass an absent value through; Serverless, SST and Architect fill their own.
 */
export interface IacDefaults {
  runtime: string | null;
  architecture: Architecture | null;
  memoryMB: number | null;
  timeoutS: number | null;
  source: string;
  date: string;
}

const LAMBDA_API =
  'AWS Lambda CreateFunction API: MemorySize default 128 MB, Timeout default 3 s, Architectures default x86_64 (https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html)';

export const IAC_DEFAULTS = {
  // serverless/lib/utils/functionInfoUtils.js: `memorySize || provider.memorySize || 1024`, `timeout || ... || 6`;
  // the serverless.yml reference says "default is 1024" / "default is 6"; architecture x86_64 (provider.architecture default).
  serverless: {
    runtime: null,
    architecture: 'x86_64',
    memoryMB: 1024,
    timeoutS: 6,
    source:
      'https://www.serverless.com/framework/docs/providers/aws/guide/functions (memorySize default 1024, timeout default 6, architecture default x86_64); serverless lib/utils/functionInfoUtils.js',
    date: '2026-12-02',
  },
  sam: {
    runtime: null,
    architecture: 'x86_64',
    memoryMB: 128,
    timeoutS: 3,
    source: `https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-function.html (MemorySize, Timeout passed to AWS::Lambda::Function); ${LAMBDA_API}`,
    date: '2026-12-02',
  },
  cloudformation: {
    runtime: null,
    architecture: 'x86_64',
    memoryMB: 128,
    timeoutS: 3,
    source: `https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-lambda-function.html (MemorySize default 128, Timeout default 3); ${LAMBDA_API}`,
    date: '2026-12-02',
  },
  cdk: {
    runtime: null,
    architecture: 'x86_64',
    memoryMB: 128,
    timeoutS: 3,
    source:
      'https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.aws_lambda.FunctionProps.html (memorySize default 128, timeout default Duration.seconds(3), architecture default X86_64)',
    date: '2026-12-02',
  },
  pulumi: {
    runtime: null,
    architecture: 'x86_64',
    memoryMB: 128,
    timeoutS: 3,
    source: 'https://www.pulumi.com/registry/packages/aws/api-docs/lambda/function/ (memorySize defaults to 128, timeout defaults to 3)',
    date: '2026-12-02',
  },
  // SST v3 `sst.aws.Function`: runtime nodejs24.x in the current docs (nodejs20.x in earlier v3 releases), 1024 MB, 20 s, x86_64.
  sstV3: {
    runtime: 'nodejs24.x',
    architecture: 'x86_64',
    memoryMB: 1024,
    timeoutS: 20,
    source:
      'https://sst.dev/docs/component/aws/function (runtime default "nodejs24.x", memory default "1024 MB", timeout default "20 seconds", architecture default "x86_64")',
    date: '2026-12-02',
  },
  // SST v2 `Function` (sst/constructs): nodejs18.x from v2.35.0, nodejs22.x from v2.47.0; memory 1024 MB, timeout 10 s.
  sstV2: {
    runtime: 'nodejs22.x',
    architecture: 'x86_64',
    memoryMB: 1024,
    timeoutS: 10,
    source:
      'https://v2.sst.dev/constructs/Function (memorySize default 1024 MB, timeout default 10 seconds); https://github.com/sst/v2/releases/tag/v2.47.0 (default runtime nodejs22.x)',
    date: '2026-12-02',
  },
  // @architect/inventory defaults: runtime nodejs20.x (Architect 11), 1152 MB, 6 s, x86_64.
  architect: {
    runtime: null,
    architecture: 'x86_64',
    memoryMB: 1152,
    timeoutS: 6,
    source: 'https://arc.codes/docs/en/reference/configuration/function-config (memory default 1152 MB, timeout default 6 s, architecture x86_64)',
    date: '2026-12-02',
  },
} as const satisfies Record<string, IacDefaults>;

/** Fills every null setting of `spec` the tool has a default for, and records which ones in `spec.defaulted`. */
export function applyDefaults(spec: FunctionSpec, defaults: IacDefaults): void {
  const filled: DefaultedSetting[] = [];
  if (spec.runtime === null && defaults.runtime !== null) {
    spec.runtime = defaults.runtime;
    filled.push('runtime');
  }
  if (spec.architecture === null && defaults.architecture !== null) {
    spec.architecture = defaults.architecture;
    filled.push('architecture');
  }
  if (spec.memoryMB === null && defaults.memoryMB !== null) {
    spec.memoryMB = defaults.memoryMB;
    filled.push('memoryMB');
  }
  if (spec.timeoutS === null && defaults.timeoutS !== null) {
    spec.timeoutS = defaults.timeoutS;
    filled.push('timeoutS');
  }
  if (filled.length > 0) spec.defaulted = [...(spec.defaulted ?? []), ...filled];
}
