#!/usr/bin/env node
// Deterministic tree shaped like a large public patterns repository (aws-samples/serverless-patterns) for
// `npm run bench`: hundreds of small self-contained services side by side, each with its own IaC and a
// README, example-pattern.json, an image and a .gitignore. The kinds, in the proportions a count of such a
// repository gives roughly:
//   - SAM templates (Node, Python, Java, and no-Lambda direct integrations), with CloudFormation tags,
//     Globals, esbuild Metadata for TypeScript, events/*.json and samconfig.toml;
//   - CDK TypeScript apps (NodejsFunction or lambda.Function + Code.fromAsset, some with Python functions),
//     with bin/, lib/, test/, jest.config.js, cdk.json and the CDK .gitignore (`*.js`);
//   - CDK Python apps; Terraform roots (archive_file + aws_lambda_function, terraform-aws-modules/lambda,
//     local modules under modules/), some with no function at all; Serverless Framework services;
//     Pulumi TypeScript programs; and a few patterns with a frontend (React sources no IaC names).
// No node_modules. Same params + same PATTERNS_VERSION => byte-identical tree (seeded PRNG, no clock).
//
//   node bench/generate-patterns.mjs <dir> [--services 900] [--seed 7]
//
// The manifest (counts, the file the cached re-scan bench edits and its original text) is written beside
// the tree as <dir>.json, not into it, so it is not part of what a scan walks.

import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { makeRng } from './generate-service.mjs';

/** Bump when the generated output changes, so a tree generated earlier is regenerated. */
export const PATTERNS_VERSION = 1;

// ---------------------------------------------------------------- vocabulary

const SOURCES = [
  'apigw',
  'apigw-http',
  'alb',
  'sqs',
  'sns',
  's3',
  'eventbridge',
  'dynamodb-streams',
  'kinesis',
  'cognito',
  'appsync',
  'iot',
  'msk',
  'schedule',
  'cloudfront',
  'stepfunctions',
];
const SOURCE_TITLES = {
  apigw: 'Amazon API Gateway REST API',
  'apigw-http': 'Amazon API Gateway HTTP API',
  alb: 'Application Load Balancer',
  sqs: 'Amazon SQS',
  sns: 'Amazon SNS',
  s3: 'Amazon S3',
  eventbridge: 'Amazon EventBridge',
  'dynamodb-streams': 'Amazon DynamoDB Streams',
  kinesis: 'Amazon Kinesis Data Streams',
  cognito: 'Amazon Cognito',
  appsync: 'AWS AppSync',
  iot: 'AWS IoT Core',
  msk: 'Amazon MSK',
  schedule: 'Amazon EventBridge Scheduler',
  cloudfront: 'Amazon CloudFront',
  stepfunctions: 'AWS Step Functions',
};

/** What a handler calls: the v3 client, its command and a line that builds the command input. */
const TARGETS = {
  dynamodb: {
    pkg: '@aws-sdk/client-dynamodb',
    client: 'DynamoDBClient',
    doc: true,
    cmd: 'PutCommand',
    input: "{ TableName: process.env.TABLE_NAME, Item: { pk: record.id, sk: 'ITEM', payload: record } }",
    env: 'TABLE_NAME',
    resource: 'AWS::DynamoDB::Table',
  },
  s3: {
    pkg: '@aws-sdk/client-s3',
    client: 'S3Client',
    cmd: 'PutObjectCommand',
    input: "{ Bucket: process.env.BUCKET_NAME, Key: `${record.id}.json`, Body: JSON.stringify(record), ContentType: 'application/json' }",
    env: 'BUCKET_NAME',
    resource: 'AWS::S3::Bucket',
  },
  sqs: {
    pkg: '@aws-sdk/client-sqs',
    client: 'SQSClient',
    cmd: 'SendMessageCommand',
    input: '{ QueueUrl: process.env.QUEUE_URL, MessageBody: JSON.stringify(record) }',
    env: 'QUEUE_URL',
    resource: 'AWS::SQS::Queue',
  },
  sns: {
    pkg: '@aws-sdk/client-sns',
    client: 'SNSClient',
    cmd: 'PublishCommand',
    input: "{ TopicArn: process.env.TOPIC_ARN, Message: JSON.stringify(record), Subject: 'update' }",
    env: 'TOPIC_ARN',
    resource: 'AWS::SNS::Topic',
  },
  eventbridge: {
    pkg: '@aws-sdk/client-eventbridge',
    client: 'EventBridgeClient',
    cmd: 'PutEventsCommand',
    input: "{ Entries: [{ EventBusName: process.env.BUS_NAME, Source: 'patterns.app', DetailType: 'ItemUpdated', Detail: JSON.stringify(record) }] }",
    env: 'BUS_NAME',
    resource: 'AWS::Events::EventBus',
  },
  stepfunctions: {
    pkg: '@aws-sdk/client-sfn',
    client: 'SFNClient',
    cmd: 'StartExecutionCommand',
    input: '{ stateMachineArn: process.env.STATE_MACHINE_ARN, input: JSON.stringify(record) }',
    env: 'STATE_MACHINE_ARN',
    resource: 'AWS::StepFunctions::StateMachine',
  },
  secretsmanager: {
    pkg: '@aws-sdk/client-secrets-manager',
    client: 'SecretsManagerClient',
    cmd: 'GetSecretValueCommand',
    input: '{ SecretId: process.env.SECRET_ARN }',
    env: 'SECRET_ARN',
    resource: 'AWS::SecretsManager::Secret',
  },
  ssm: {
    pkg: '@aws-sdk/client-ssm',
    client: 'SSMClient',
    cmd: 'GetParameterCommand',
    input: '{ Name: process.env.PARAMETER_NAME, WithDecryption: true }',
    env: 'PARAMETER_NAME',
    resource: 'AWS::SSM::Parameter',
  },
  kinesis: {
    pkg: '@aws-sdk/client-kinesis',
    client: 'KinesisClient',
    cmd: 'PutRecordCommand',
    input: '{ StreamName: process.env.STREAM_NAME, PartitionKey: String(record.id), Data: Buffer.from(JSON.stringify(record)) }',
    env: 'STREAM_NAME',
    resource: 'AWS::Kinesis::Stream',
  },
  bedrock: {
    pkg: '@aws-sdk/client-bedrock-runtime',
    client: 'BedrockRuntimeClient',
    cmd: 'InvokeModelCommand',
    input: "{ modelId: process.env.MODEL_ID, contentType: 'application/json', body: JSON.stringify({ prompt: record.text, max_tokens: 256 }) }",
    env: 'MODEL_ID',
    resource: null,
  },
  ses: {
    pkg: '@aws-sdk/client-sesv2',
    client: 'SESv2Client',
    cmd: 'SendEmailCommand',
    input:
      "{ FromEmailAddress: process.env.SENDER, Destination: { ToAddresses: [record.email] }, Content: { Simple: { Subject: { Data: 'Hello' }, Body: { Text: { Data: record.text } } } } }",
    env: 'SENDER',
    resource: null,
  },
  translate: {
    pkg: '@aws-sdk/client-translate',
    client: 'TranslateClient',
    cmd: 'TranslateTextCommand',
    input: "{ Text: record.text, SourceLanguageCode: 'auto', TargetLanguageCode: process.env.TARGET_LANGUAGE }",
    env: 'TARGET_LANGUAGE',
    resource: null,
  },
  comprehend: {
    pkg: '@aws-sdk/client-comprehend',
    client: 'ComprehendClient',
    cmd: 'DetectSentimentCommand',
    input: "{ Text: record.text, LanguageCode: 'en' }",
    env: 'LANGUAGE',
    resource: null,
  },
};
const TARGET_NAMES = Object.keys(TARGETS);
const NODE_RUNTIMES = ['nodejs18.x', 'nodejs20.x', 'nodejs20.x', 'nodejs22.x', 'nodejs16.x'];
const CDK_RUNTIMES = { 'nodejs16.x': 'NODEJS_16_X', 'nodejs18.x': 'NODEJS_18_X', 'nodejs20.x': 'NODEJS_20_X', 'nodejs22.x': 'NODEJS_22_X' };
const PULUMI_RUNTIMES = { 'nodejs16.x': 'NodeJS16dX', 'nodejs18.x': 'NodeJS18dX', 'nodejs20.x': 'NodeJS20dX', 'nodejs22.x': 'NodeJS22dX' };
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2'];
const WORDS = [
  'lorem',
  'ipsum',
  'dolor',
  'sit',
  'amet',
  'consectetur',
  'adipiscing',
  'elit',
  'sed',
  'do',
  'eiusmod',
  'tempor',
  'incididunt',
  'ut',
  'labore',
  'et',
  'dolore',
  'magna',
  'aliqua',
  'enim',
  'minim',
  'veniam',
  'quis',
  'nostrud',
];

/** Pattern kinds and their weights. */
const KINDS = [
  ['sam-node', 26],
  ['sam-python', 15],
  ['sam-java', 4],
  ['sam-direct', 6],
  ['cdk-ts', 13],
  ['cdk-ts-python', 4],
  ['cdk-python', 5],
  ['terraform-node', 11],
  ['terraform-python', 4],
  ['terraform-direct', 3],
  ['serverless', 5],
  ['pulumi', 3],
];

const pascal = (s) =>
  s
    .split(/[^a-zA-Z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
const camel = (s) => {
  const p = pascal(s);
  return p[0].toLowerCase() + p.slice(1);
};
const snake = (s) => s.replace(/[^a-zA-Z0-9]+/g, '_').toLowerCase();

function sentence(rng, n) {
  const words = Array.from({ length: n }, () => rng.pick(WORDS));
  return words[0][0].toUpperCase() + words.join(' ').slice(1) + '.';
}

// ---------------------------------------------------------------- handler code

/**
 * A small Lambda handler in one of the forms such repositories hold: ESM `.mjs`, TypeScript, CommonJS `.js`
 * with the v3 SDK, or CommonJS with the v2 `aws-sdk`. Optionally imports a local helper module.
 */
function nodeHandler(rng, { target, style, helper, exportName = 'handler', source }) {
  const t = TARGETS[target];
  const ts = style === 'ts';
  const cjs = style === 'cjs' || style === 'v2';
  const lines = [];
  const powertools = !cjs && rng.chance(0.25);
  if (style === 'v2') {
    lines.push("const AWS = require('aws-sdk');", '');
  } else if (cjs) {
    lines.push(`const { ${t.client}${t.doc ? '' : `, ${t.cmd}`} } = require('${t.pkg}');`);
    if (t.doc) lines.push(`const { DynamoDBDocumentClient, ${t.cmd} } = require('@aws-sdk/lib-dynamodb');`);
  } else {
    lines.push(`import { ${t.client}${t.doc ? '' : `, ${t.cmd}`} } from '${t.pkg}';`);
    if (t.doc) lines.push(`import { DynamoDBDocumentClient, ${t.cmd} } from '@aws-sdk/lib-dynamodb';`);
    if (powertools) lines.push("import { Logger } from '@aws-lambda-powertools/logger';");
    if (ts) lines.push("import type { Context } from 'aws-lambda';");
  }
  if (helper)
    lines.push(
      cjs ? "const { parseRecords, respond } = require('./lib/utils');" : `import { parseRecords, respond } from './lib/utils${ts ? '' : '.mjs'}';`,
    );
  lines.push('');
  if (style === 'v2') {
    lines.push(
      `const client = new AWS.${target === 'dynamodb' ? 'DynamoDB.DocumentClient' : pascal(target === 'stepfunctions' ? 'step-functions' : target)}();`,
    );
  } else if (t.doc) {
    lines.push(`const client = DynamoDBDocumentClient.from(new ${t.client}({}));`);
  } else {
    lines.push(`const client = new ${t.client}({ region: process.env.AWS_REGION });`);
  }
  if (powertools) lines.push(`const logger = new Logger({ serviceName: '${source}-${target}' });`);
  lines.push('');
  if (!helper) {
    const any = ts ? ': any' : '';
    lines.push(`const parseRecords = (event${any})${ts ? ': any[]' : ''} => {`);
    lines.push('  if (Array.isArray(event?.Records)) {');
    lines.push('    return event.Records.map((r' + any + ') => (r.body ? JSON.parse(r.body) : r.dynamodb?.NewImage ?? r.s3?.object ?? r));');
    lines.push('  }');
    lines.push("  if (typeof event?.body === 'string') return [JSON.parse(event.body)];");
    lines.push('  return [event?.detail ?? event];');
    lines.push('};', '');
    lines.push(`const respond = (statusCode${ts ? ': number' : ''}, body${any}) => ({`);
    lines.push('  statusCode,', "  headers: { 'Content-Type': 'application/json' },", '  body: JSON.stringify(body),', '});', '');
  }
  const sig = ts ? `(event: any, context: Context)` : '(event, context)';
  const call =
    style === 'v2' ? `await client.${target === 'dynamodb' ? 'put' : 'send'}(${t.input}).promise()` : `await client.send(new ${t.cmd}(${t.input}))`;
  const body = [
    powertools ? "  logger.info('event', { event });" : '  console.log(JSON.stringify(event, null, 2));',
    '  const records = parseRecords(event);',
    '  const results = [];',
    '  for (const record of records) {',
    '    try {',
    `      const out = ${call};`,
    '      results.push({ id: record.id, ok: true, requestId: out?.$metadata?.requestId ?? context.awsRequestId });',
    '    } catch (err) {',
    `      ${powertools ? "logger.error('failed', err" + (ts ? ' as Error' : '') + ')' : "console.error('failed', err)"};`,
    '      results.push({ id: record.id, ok: false });',
    '    }',
    '  }',
    '  return respond(results.every((r) => r.ok) ? 200 : 207, { results });',
  ];
  if (cjs) lines.push(`exports.${exportName} = async ${sig} => {`, ...body, '};');
  else if (rng.chance(0.3)) lines.push(`export async function ${exportName}${sig} {`, ...body, '}');
  else lines.push(`export const ${exportName} = async ${sig} => {`, ...body, '};');
  return lines.join('\n') + '\n';
}

function helperModule(style) {
  const ts = style === 'ts';
  const cjs = style === 'cjs' || style === 'v2';
  const any = ts ? ': any' : '';
  const lines = [
    `${cjs ? '' : 'export '}function parseRecords(event${any})${ts ? ': any[]' : ''} {`,
    '  if (Array.isArray(event?.Records)) return event.Records.map((r' + any + ') => (r.body ? JSON.parse(r.body) : r));',
    "  if (typeof event?.body === 'string') return [JSON.parse(event.body)];",
    '  return [event?.detail ?? event];',
    '}',
    '',
    `${cjs ? '' : 'export '}function respond(statusCode${ts ? ': number' : ''}, body${any}) {`,
    "  return { statusCode, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };",
    '}',
  ];
  if (cjs) lines.push('', 'module.exports = { parseRecords, respond };');
  return lines.join('\n') + '\n';
}

function pythonHandler(rng, target) {
  return [
    'import json',
    'import os',
    'import boto3',
    '',
    `client = boto3.client("${target === 'stepfunctions' ? 'stepfunctions' : target}")`,
    '',
    '',
    'def lambda_handler(event, context):',
    '    print(json.dumps(event))',
    '    records = event.get("Records", [event])',
    '    for record in records:',
    `        # ${sentence(rng, 8)}`,
    '        body = json.loads(record.get("body", "{}"))',
    '        print(body)',
    '    return {"statusCode": 200, "body": json.dumps({"processed": len(records)})}',
    '',
  ].join('\n');
}

// ---------------------------------------------------------------- noise

function readme(rng, title, framework, deploy) {
  const para = () => Array.from({ length: rng.int(2, 5) }, () => sentence(rng, rng.int(8, 18))).join(' ');
  return [
    `# ${title}`,
    '',
    para(),
    '',
    'Learn more about this pattern at Serverless Land Patterns: https://serverlessland.com/patterns/',
    '',
    'Important: this application uses various AWS services and there are costs associated with these services after the Free Tier usage.',
    '',
    '## Requirements',
    '',
    '* [Create an AWS account](https://portal.aws.amazon.com/gp/aws/developer/registration/index.html)',
    '* [AWS CLI](https://docs.aws.amazon.com/cli/latest/userguide/install-cliv2.html) installed and configured',
    `* ${framework} installed`,
    '',
    '## Deployment Instructions',
    '',
    '```',
    ...deploy,
    '```',
    '',
    '## How it works',
    '',
    para(),
    '',
    '![Architecture](images/architecture.png)',
    '',
    '## Testing',
    '',
    para(),
    '',
    '## Cleanup',
    '',
    para(),
    '',
    '----',
    'Copyright 2024 Amazon.com, Inc. or its affiliates. All Rights Reserved.',
    '',
    'SPDX-License-Identifier: MIT-0',
    '',
  ].join('\n');
}

function examplePattern(rng, title, language, framework, templateFile) {
  return (
    JSON.stringify(
      {
        title,
        description: sentence(rng, rng.int(10, 20)),
        language,
        level: rng.pick(['100', '200', '300']),
        framework,
        introBox: { headline: 'How it works', text: [sentence(rng, 20), sentence(rng, 15)] },
        gitHub: {
          template: {
            repoURL: 'https://github.com/aws-samples/serverless-patterns/',
            templateURL: 'serverless-patterns/',
            projectFolder: '',
            templateFile,
          },
        },
        resources: { bullets: [{ text: sentence(rng, 6), link: 'https://docs.aws.amazon.com/lambda/latest/dg/welcome.html' }] },
        deploy: { text: [framework === 'AWS SAM' ? 'sam deploy --guided' : framework === 'Terraform' ? 'terraform apply' : 'cdk deploy'] },
        testing: { text: ['See the GitHub repo for detailed testing instructions.'] },
        cleanup: { text: ['Delete the stack.'] },
        authors: [{ name: `${pascal(rng.pick(WORDS))} ${pascal(rng.pick(WORDS))}`, bio: sentence(rng, 12) }],
      },
      null,
      2,
    ) + '\n'
  );
}

/** A small PNG-like binary: the walk lists it, nothing reads it. */
function image(rng) {
  const bytes = Buffer.alloc(rng.int(2000, 12000));
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(rng.next() * 256);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(bytes);
  return bytes;
}

function eventJson(rng, source) {
  const base =
    source === 'sqs'
      ? { Records: [{ messageId: 'id-1', body: JSON.stringify({ id: rng.int(1, 1000), text: sentence(rng, 6) }), eventSource: 'aws:sqs' }] }
      : source === 's3'
        ? { Records: [{ eventSource: 'aws:s3', s3: { bucket: { name: 'example-bucket' }, object: { key: 'test/key', size: 1024 } } }] }
        : source === 'eventbridge'
          ? { version: '0', 'detail-type': 'ItemUpdated', source: 'patterns.app', detail: { id: rng.int(1, 1000) } }
          : {
              body: JSON.stringify({ id: rng.int(1, 1000), text: sentence(rng, 6) }),
              httpMethod: 'POST',
              path: '/items',
              headers: { 'Content-Type': 'application/json' },
            };
  return JSON.stringify(base, null, 2) + '\n';
}

// ---------------------------------------------------------------- IaC

function samFunctionBlock(fn, { ts }) {
  const t = TARGETS[fn.target];
  const out = [
    `  ${fn.logical}:`,
    '    Type: AWS::Serverless::Function',
    '    Properties:',
    `      CodeUri: ${fn.codeUri}`,
    `      Handler: ${fn.handler}`,
  ];
  if (fn.runtime) out.push(`      Runtime: ${fn.runtime}`);
  if (fn.memory) out.push(`      MemorySize: ${fn.memory}`);
  out.push(
    '      Environment:',
    '        Variables:',
    t.resource ? `          ${t.env}: !Ref ${pascal(fn.target)}Resource` : `          ${t.env}: '${fn.target}-value'`,
  );
  out.push(
    '      Policies:',
    t.resource
      ? `        - Statement:\n            - Effect: Allow\n              Action: '*'\n              Resource: !GetAtt ${pascal(fn.target)}Resource.Arn`
      : `        - Statement:\n            - Effect: Allow\n              Action: '${fn.target}:*'\n              Resource: '*'`,
  );
  out.push('      Events:');
  if (fn.source === 'sqs')
    out.push(
      '        SqsEvent:',
      '          Type: SQS',
      '          Properties:',
      '            Queue: !GetAtt SourceQueue.Arn',
      '            BatchSize: 10',
    );
  else if (fn.source === 's3')
    out.push(
      '        S3Event:',
      '          Type: S3',
      '          Properties:',
      '            Bucket: !Ref SourceBucket',
      '            Events: s3:ObjectCreated:*',
    );
  else if (fn.source === 'eventbridge' || fn.source === 'schedule')
    out.push('        Rule:', '          Type: Schedule', '          Properties:', "            Schedule: 'rate(5 minutes)'");
  else
    out.push(
      '        Api:',
      `          Type: ${fn.source === 'apigw-http' ? 'HttpApi' : 'Api'}`,
      '          Properties:',
      `            Path: /${fn.name}`,
      '            Method: post',
    );
  if (ts) {
    out.push(
      '    Metadata:',
      '      BuildMethod: esbuild',
      '      BuildProperties:',
      '        Minify: true',
      '        Target: es2020',
      '        Sourcemap: true',
      '        EntryPoints:',
      `          - ${fn.entry}`,
    );
  }
  return out;
}

function samTemplate(rng, p, fns, { runtime, ts = false, direct = false }) {
  const out = [
    "AWSTemplateFormatVersion: '2010-09-09'",
    'Transform: AWS::Serverless-2016-10-31',
    'Description: >',
    `  ${p.title} (uksb-1tthgi812) (tag:${p.name})`,
    '',
  ];
  if (rng.chance(0.4)) out.push('Parameters:', '  Stage:', '    Type: String', '    Default: dev', '    AllowedValues: [dev, prod]', '');
  if (!direct) {
    out.push(
      'Globals:',
      '  Function:',
      `    Runtime: ${runtime}`,
      `    Timeout: ${rng.pick([3, 10, 15, 30])}`,
      `    MemorySize: ${rng.pick([128, 256, 512, 1024])}`,
    );
    if (rng.chance(0.5)) out.push('    Architectures:', `      - ${rng.pick(['arm64', 'x86_64'])}`);
    if (rng.chance(0.3)) out.push('    Tracing: Active');
    out.push('');
  }
  out.push('Resources:');
  if (p.source === 'sqs')
    out.push(
      '  SourceQueue:',
      '    Type: AWS::SQS::Queue',
      '    Properties:',
      '      VisibilityTimeout: 60',
      '      RedrivePolicy:',
      '        deadLetterTargetArn: !GetAtt DeadLetterQueue.Arn',
      '        maxReceiveCount: 3',
      '  DeadLetterQueue:',
      '    Type: AWS::SQS::Queue',
    );
  if (p.source === 's3')
    out.push(
      '  SourceBucket:',
      '    Type: AWS::S3::Bucket',
      '    Properties:',
      "      BucketName: !Sub '${AWS::StackName}-${AWS::AccountId}-source'",
    );
  const targets = [...new Set(fns.map((f) => f.target).concat(direct ? [p.target] : []))];
  for (const target of targets) {
    const t = TARGETS[target];
    if (!t.resource) continue;
    out.push(`  ${pascal(target)}Resource:`, `    Type: ${t.resource}`);
    if (target === 'dynamodb')
      out.push(
        '    Properties:',
        '      BillingMode: PAY_PER_REQUEST',
        '      AttributeDefinitions:',
        '        - AttributeName: pk',
        '          AttributeType: S',
        '      KeySchema:',
        '        - AttributeName: pk',
        '          KeyType: HASH',
      );
    if (target === 'stepfunctions')
      out.push(
        '    Properties:',
        '      DefinitionString: !Sub |',
        '        { "StartAt": "Pass", "States": { "Pass": { "Type": "Pass", "End": true } } }',
        '      RoleArn: !GetAtt StatesRole.Arn',
      );
  }
  if (direct) {
    out.push(
      '  StatesRole:',
      '    Type: AWS::IAM::Role',
      '    Properties:',
      '      AssumeRolePolicyDocument:',
      '        Version: 2012-10-17',
      '        Statement:',
      '          - Effect: Allow',
      '            Principal:',
      '              Service: !Sub states.${AWS::Region}.amazonaws.com',
      '            Action: sts:AssumeRole',
    );
    out.push(
      '  DirectApi:',
      '    Type: AWS::Serverless::Api',
      '    Properties:',
      '      StageName: !Ref AWS::NoValue',
      '      DefinitionBody:',
      "        'Fn::Transform':",
      '          Name: AWS::Include',
      '          Parameters:',
      '            Location: api.yaml',
    );
  }
  for (const fn of fns) out.push(...samFunctionBlock(fn, { ts }));
  out.push('', 'Outputs:');
  if (fns.length > 0) {
    for (const fn of fns) out.push(`  ${fn.logical}Arn:`, `    Description: ${fn.logical} ARN`, `    Value: !GetAtt ${fn.logical}.Arn`);
  }
  out.push('  Endpoint:', "    Value: !Sub 'https://${ServerlessRestApi}.execute-api.${AWS::Region}.amazonaws.com/Prod/'");
  return out.join('\n') + '\n';
}

function samConfig(p, region) {
  return `version = 0.1\n[default.deploy.parameters]\nstack_name = "${p.name}"\nresolve_s3 = true\ns3_prefix = "${p.name}"\nregion = "${region}"\ncapabilities = "CAPABILITY_IAM"\nimage_repositories = []\n`;
}

function cdkStack(rng, p, fns, { python = false }) {
  const cls = `${pascal(p.name)}Stack`;
  const lines = [
    "import * as cdk from 'aws-cdk-lib';",
    "import { Construct } from 'constructs';",
    "import * as lambda from 'aws-cdk-lib/aws-lambda';",
  ];
  const nodejs = !python && fns.some((f) => f.construct === 'nodejs');
  if (nodejs) lines.push("import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';");
  lines.push("import * as path from 'path';");
  if (p.source === 'sqs')
    lines.push("import * as sqs from 'aws-cdk-lib/aws-sqs';", "import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';");
  if (p.source.startsWith('apigw')) lines.push("import * as apigw from 'aws-cdk-lib/aws-apigateway';");
  if (fns.some((f) => f.target === 'dynamodb')) lines.push("import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';");
  lines.push(
    '',
    `export class ${cls} extends cdk.Stack {`,
    '  constructor(scope: Construct, id: string, props?: cdk.StackProps) {',
    '    super(scope, id, props);',
    '',
  );
  if (fns.some((f) => f.target === 'dynamodb')) {
    lines.push(
      "    const table = new dynamodb.Table(this, 'Table', {",
      "      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },",
      '      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,',
      '      removalPolicy: cdk.RemovalPolicy.DESTROY,',
      '    });',
      '',
    );
  }
  if (p.source === 'sqs') lines.push("    const queue = new sqs.Queue(this, 'Queue', { visibilityTimeout: cdk.Duration.seconds(60) });", '');
  for (const fn of fns) {
    const v = camel(fn.name) + 'Fn';
    const env = `      environment: {\n        ${TARGETS[fn.target].env}: ${fn.target === 'dynamodb' ? 'table.tableName' : `'${fn.target}-value'`},\n      },`;
    if (python) {
      lines.push(
        `    const ${v} = new lambda.Function(this, '${pascal(fn.name)}Function', {`,
        '      runtime: lambda.Runtime.PYTHON_3_12,',
        `      code: lambda.Code.fromAsset(path.join(__dirname, '../${fn.dir}')),`,
        "      handler: 'index.lambda_handler',",
        `      timeout: cdk.Duration.seconds(${rng.pick([10, 30])}),`,
        env,
        '    });',
      );
    } else if (fn.construct === 'nodejs') {
      lines.push(
        `    const ${v} = new NodejsFunction(this, '${pascal(fn.name)}Function', {`,
        `      entry: path.join(__dirname, '../${fn.file}'),`,
        `      runtime: lambda.Runtime.${CDK_RUNTIMES[fn.runtime]},`,
      );
      if (fn.exportName !== 'handler') lines.push(`      handler: '${fn.exportName}',`);
      lines.push(`      memorySize: ${fn.memory ?? 128},`, `      timeout: cdk.Duration.seconds(${rng.pick([10, 30])}),`, env);
      if (rng.chance(0.4))
        lines.push('      bundling: {', '        minify: true,', '        sourceMap: true,', "        externalModules: ['@aws-sdk/*'],", '      },');
      lines.push('    });');
    } else {
      lines.push(
        `    const ${v} = new lambda.Function(this, '${pascal(fn.name)}Function', {`,
        `      runtime: lambda.Runtime.${CDK_RUNTIMES[fn.runtime]},`,
        `      code: lambda.Code.fromAsset('${fn.dir}'),`,
        `      handler: '${fn.handlerDeclared}',`,
        `      memorySize: ${fn.memory ?? 128},`,
        env,
        '    });',
      );
    }
    if (fn.target === 'dynamodb') lines.push(`    table.grantReadWriteData(${v});`);
    if (p.source === 'sqs') lines.push(`    ${v}.addEventSource(new SqsEventSource(queue, { batchSize: 10 }));`);
    if (p.source.startsWith('apigw')) lines.push(`    new apigw.LambdaRestApi(this, '${pascal(fn.name)}Api', { handler: ${v}, proxy: true });`);
    lines.push(`    new cdk.CfnOutput(this, '${pascal(fn.name)}Name', { value: ${v}.functionName });`, '');
  }
  lines.push('  }', '}', '');
  return lines.join('\n');
}

function cdkApp(p, region) {
  const cls = `${pascal(p.name)}Stack`;
  return [
    '#!/usr/bin/env node',
    "import 'source-map-support/register';",
    "import * as cdk from 'aws-cdk-lib';",
    `import { ${cls} } from '../lib/${p.name}-stack';`,
    '',
    'const app = new cdk.App();',
    `new ${cls}(app, '${cls}', {`,
    region ? `  env: { region: '${region}' },` : '  /* env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION } */',
    '});',
    '',
  ].join('\n');
}

function cdkTest(p) {
  const cls = `${pascal(p.name)}Stack`;
  return [
    "import * as cdk from 'aws-cdk-lib';",
    "import { Template } from 'aws-cdk-lib/assertions';",
    `import { ${cls} } from '../lib/${p.name}-stack';`,
    '',
    `test('${p.name} creates its function', () => {`,
    '  const app = new cdk.App();',
    `  const stack = new ${cls}(app, 'TestStack');`,
    '  const template = Template.fromStack(stack);',
    "  template.resourceCountIs('AWS::Lambda::Function', 1);",
    '});',
    '',
  ].join('\n');
}

function cdkPythonStack(rng, p, fns) {
  const cls = `${pascal(p.name)}Stack`;
  const lines = [
    'from aws_cdk import (',
    '    Duration,',
    '    Stack,',
    '    aws_lambda as _lambda,',
    ')',
    'from constructs import Construct',
    '',
    '',
    `class ${cls}(Stack):`,
    '',
    '    def __init__(self, scope: Construct, construct_id: str, **kwargs) -> None:',
    '        super().__init__(scope, construct_id, **kwargs)',
    '',
  ];
  for (const fn of fns) {
    lines.push(
      `        ${snake(fn.name)}_fn = _lambda.Function(`,
      '            self,',
      `            "${pascal(fn.name)}Function",`,
      '            runtime=_lambda.Runtime.PYTHON_3_12,',
      `            code=_lambda.Code.from_asset("${fn.dir}"),`,
      '            handler="index.lambda_handler",',
      `            timeout=Duration.seconds(${rng.pick([10, 30])}),`,
      '        )',
      '',
    );
  }
  return lines.join('\n');
}

function terraformMain(rng, p, fns, { module: viaModule, registry, region }) {
  const lines = [
    'terraform {',
    '  required_providers {',
    '    aws = {',
    '      source  = "hashicorp/aws"',
    '      version = "~> 5.0"',
    '    }',
    '  }',
    '  required_version = ">= 1.2.0"',
    '}',
    '',
    'provider "aws" {',
    '  region = var.aws_region',
    '}',
    '',
    'data "aws_caller_identity" "current" {}',
    '',
  ];
  if (p.source === 'sqs')
    lines.push(
      'resource "aws_sqs_queue" "source" {',
      `  name                       = "${p.name}-queue"`,
      '  visibility_timeout_seconds = 60',
      '}',
      '',
    );
  if (fns.some((f) => f.target === 'dynamodb') || p.target === 'dynamodb')
    lines.push(
      'resource "aws_dynamodb_table" "table" {',
      `  name         = "${p.name}-table"`,
      '  billing_mode = "PAY_PER_REQUEST"',
      '  hash_key     = "pk"',
      '',
      '  attribute {',
      '    name = "pk"',
      '    type = "S"',
      '  }',
      '}',
      '',
    );
  if (fns.length === 0) {
    lines.push(
      'resource "aws_cloudwatch_event_rule" "rule" {',
      `  name          = "${p.name}-rule"`,
      '  event_pattern = jsonencode({ source = ["patterns.app"] })',
      '}',
      '',
      'resource "aws_cloudwatch_event_target" "target" {',
      '  rule = aws_cloudwatch_event_rule.rule.name',
      '  arn  = aws_sqs_queue.target.arn',
      '}',
      '',
      'resource "aws_sqs_queue" "target" {',
      `  name = "${p.name}-target"`,
      '}',
      '',
    );
  }
  for (const fn of fns) {
    const name = snake(fn.name);
    if (registry) {
      lines.push(
        `module "${name}" {`,
        '  source  = "terraform-aws-modules/lambda/aws"',
        '  version = "~> 7.0"',
        '',
        `  function_name = "${p.name}-${fn.name}"`,
        `  handler       = "${fn.handlerDeclared}"`,
        `  runtime       = "${fn.runtime}"`,
        `  source_path   = "\${path.module}/${fn.dir}"`,
        `  memory_size   = ${fn.memory ?? 128}`,
        '',
        '  environment_variables = {',
        `    ${TARGETS[fn.target].env} = "${fn.target}-value"`,
        '  }',
        '}',
        '',
      );
    } else if (viaModule) {
      lines.push(
        `module "${name}" {`,
        '  source = "./modules/lambda"',
        '',
        `  function_name = "${p.name}-${fn.name}"`,
        `  handler       = "${fn.handlerDeclared}"`,
        `  runtime       = var.lambda_runtime`,
        `  source_dir    = "\${path.module}/${fn.dir}"`,
        `  memory_size   = ${fn.memory ?? 128}`,
        '}',
        '',
      );
    } else {
      lines.push(
        `data "archive_file" "${name}_zip" {`,
        '  type        = "zip"',
        `  source_dir  = "\${path.module}/${fn.dir}"`,
        `  output_path = "\${path.module}/${name}.zip"`,
        '}',
        '',
      );
      lines.push(
        `resource "aws_lambda_function" "${name}" {`,
        `  function_name    = "${p.name}-${fn.name}"`,
        `  filename         = data.archive_file.${name}_zip.output_path`,
        `  source_code_hash = data.archive_file.${name}_zip.output_base64sha256`,
        `  handler          = "${fn.handlerDeclared}"`,
        '  runtime          = var.lambda_runtime',
        `  memory_size      = ${fn.memory ?? 128}`,
        `  timeout          = ${rng.pick([3, 10, 30])}`,
        '  role             = aws_iam_role.lambda_exec.arn',
        '',
        '  environment {',
        '    variables = {',
        `      ${TARGETS[fn.target].env} = "${fn.target}-value"`,
        '    }',
        '  }',
        '}',
        '',
      );
      lines.push(
        `resource "aws_cloudwatch_log_group" "${name}" {`,
        `  name              = "/aws/lambda/\${aws_lambda_function.${name}.function_name}"`,
        '  retention_in_days = 7',
        '}',
        '',
      );
      if (p.source === 'sqs')
        lines.push(
          `resource "aws_lambda_event_source_mapping" "${name}" {`,
          '  event_source_arn = aws_sqs_queue.source.arn',
          `  function_name    = aws_lambda_function.${name}.arn`,
          '  batch_size       = 10',
          '}',
          '',
        );
    }
  }
  if (fns.length > 0 && !registry && !viaModule) {
    lines.push(
      'resource "aws_iam_role" "lambda_exec" {',
      `  name = "${p.name}-exec"`,
      '',
      '  assume_role_policy = jsonencode({',
      '    Version = "2012-10-17"',
      '    Statement = [{',
      '      Action    = "sts:AssumeRole"',
      '      Effect    = "Allow"',
      '      Principal = { Service = "lambda.amazonaws.com" }',
      '    }]',
      '  })',
      '}',
      '',
    );
    lines.push(
      'resource "aws_iam_role_policy_attachment" "lambda_policy" {',
      '  role       = aws_iam_role.lambda_exec.name',
      '  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"',
      '}',
      '',
    );
  }
  void region;
  return lines.join('\n');
}

function terraformVariables(region, runtime) {
  return `variable "aws_region" {\n  description = "AWS region to deploy to"\n  type        = string\n  default     = "${region}"\n}\n\nvariable "lambda_runtime" {\n  description = "Lambda runtime"\n  type        = string\n  default     = "${runtime}"\n}\n\nvariable "prefix" {\n  type    = string\n  default = "patterns"\n}\n`;
}

function terraformOutputs(p, fns, { module: viaModule, registry }) {
  const out = [];
  for (const fn of fns) {
    const name = snake(fn.name);
    const ref = registry
      ? `module.${name}.lambda_function_name`
      : viaModule
        ? `module.${name}.function_name`
        : `aws_lambda_function.${name}.function_name`;
    out.push(`output "${name}_name" {`, `  value = ${ref}`, '}', '');
  }
  out.push('output "account_id" {', '  value = data.aws_caller_identity.current.account_id', '}', '');
  void p;
  return out.join('\n');
}

const TF_MODULE_MAIN = `data "archive_file" "zip" {
  type        = "zip"
  source_dir  = var.source_dir
  output_path = "\${path.module}/\${var.function_name}.zip"
}

resource "aws_iam_role" "exec" {
  name = "\${var.function_name}-exec"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Action = "sts:AssumeRole", Effect = "Allow", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}

resource "aws_lambda_function" "this" {
  function_name    = var.function_name
  filename         = data.archive_file.zip.output_path
  source_code_hash = data.archive_file.zip.output_base64sha256
  handler          = var.handler
  runtime          = var.runtime
  memory_size      = var.memory_size
  role             = aws_iam_role.exec.arn
}
`;
const TF_MODULE_VARIABLES = `variable "function_name" {
  type = string
}

variable "handler" {
  type = string
}

variable "runtime" {
  type    = string
  default = "nodejs20.x"
}

variable "source_dir" {
  type = string
}

variable "memory_size" {
  type    = number
  default = 128
}
`;
const TF_MODULE_OUTPUTS =
  'output "function_name" {\n  value = aws_lambda_function.this.function_name\n}\n\noutput "arn" {\n  value = aws_lambda_function.this.arn\n}\n';

function serverlessYml(rng, p, fns, runtime, region) {
  const lines = [
    `service: ${p.name}`,
    "frameworkVersion: '3'",
    '',
    'provider:',
    '  name: aws',
    `  runtime: ${runtime}`,
    `  region: \${opt:region, '${region}'}`,
    "  stage: ${opt:stage, 'dev'}",
    `  memorySize: ${rng.pick([128, 256, 512])}`,
    '  environment:',
    '    STAGE: ${self:provider.stage}',
  ];
  lines.push(
    '  iam:',
    '    role:',
    '      statements:',
    '        - Effect: Allow',
    "          Action: '*'",
    "          Resource: '*'",
    '',
    'custom:',
    `  tableName: ${p.name}-\${sls:stage}`,
    '',
  );
  if (rng.chance(0.4)) lines.push('plugins:', '  - serverless-esbuild', '');
  lines.push('functions:');
  for (const fn of fns) {
    lines.push(`  ${camel(fn.name)}:`, `    handler: ${fn.handlerDeclared}`);
    if (fn.memory) lines.push(`    memorySize: ${fn.memory}`);
    lines.push('    environment:', `      ${TARGETS[fn.target].env}: \${self:custom.tableName}`, '    events:');
    if (p.source === 'sqs') lines.push('      - sqs:', '          arn:', '            Fn::GetAtt: [SourceQueue, Arn]');
    else if (p.source === 'schedule') lines.push('      - schedule: rate(10 minutes)');
    else lines.push('      - httpApi:', `          path: /${fn.name}`, '          method: post');
  }
  lines.push(
    '',
    'resources:',
    '  Resources:',
    '    SourceQueue:',
    '      Type: AWS::SQS::Queue',
    '      Properties:',
    `        QueueName: ${p.name}-\${sls:stage}`,
    '',
  );
  return lines.join('\n');
}

function pulumiProgram(rng, p, fns) {
  const lines = [
    'import * as pulumi from "@pulumi/pulumi";',
    'import * as aws from "@pulumi/aws";',
    '',
    'const config = new pulumi.Config();',
    `const prefix = config.get("prefix") ?? "${p.name}";`,
    '',
    'const role = new aws.iam.Role("lambdaRole", {',
    '    assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: "lambda.amazonaws.com" }),',
    '});',
    '',
    'new aws.iam.RolePolicyAttachment("lambdaBasic", {',
    '    role: role.name,',
    '    policyArn: aws.iam.ManagedPolicy.AWSLambdaBasicExecutionRole,',
    '});',
    '',
  ];
  for (const fn of fns) {
    lines.push(
      `export const ${camel(fn.name)}Fn = new aws.lambda.Function("${fn.name}", {`,
      `    runtime: aws.lambda.Runtime.${PULUMI_RUNTIMES[fn.runtime]},`,
      `    handler: "${fn.handlerDeclared}",`,
      '    role: role.arn,',
      `    memorySize: ${fn.memory ?? 128},`,
      '    code: new pulumi.asset.AssetArchive({',
      `        ".": new pulumi.asset.FileArchive("./${fn.dir}"),`,
      '    }),',
      `    environment: { variables: { ${TARGETS[fn.target].env}: "${fn.target}-value" } },`,
      '});',
      '',
    );
  }
  lines.push(`export const name = prefix + "-${rng.int(1, 99)}";`, '');
  return lines.join('\n');
}

const frontendFile = (rng, name) =>
  [
    "import React, { useEffect, useState } from 'react';",
    '',
    `export default function ${pascal(name)}() {`,
    '  const [items, setItems] = useState([]);',
    '  useEffect(() => {',
    "    fetch(process.env.REACT_APP_API_URL + '/items').then((r) => r.json()).then(setItems);",
    '  }, []);',
    `  return <ul className="${name}">{items.map((i) => <li key={i.id}>{i.text}</li>)}</ul>;`,
    '}',
    `// ${sentence(rng, 8)}`,
    '',
  ].join('\n');

// ---------------------------------------------------------------- planning

const STYLES = [
  ['mjs', 4],
  ['ts', 2],
  ['cjs', 3],
  ['v2', 1],
];
const extFor = (style) => (style === 'mjs' ? '.mjs' : style === 'ts' ? '.ts' : '.js');

function planFunctions(rng, p, { language = 'node', fixedStyle } = {}) {
  const n = rng.weighted([
    [1, 70],
    [2, 20],
    [3, 10],
  ]);
  const style = fixedStyle ?? rng.weighted(STYLES);
  const fns = [];
  for (let i = 0; i < n; i++) {
    const name =
      n === 1
        ? rng.pick(['processor', 'handler', 'function', 'consumer', 'producer', 'api'])
        : `${rng.pick(['create', 'read', 'update', 'delete', 'list', 'publish', 'consume', 'notify'])}-${i + 1}`;
    fns.push({
      name,
      logical: `${pascal(name)}Function`,
      target: i === 0 ? p.target : rng.pick(TARGET_NAMES),
      source: p.source,
      style,
      language,
      exportName: 'handler',
      memory: rng.chance(0.3) ? rng.pick([256, 512, 1024]) : null,
    });
  }
  return fns;
}

/** Writes one pattern's files into `files` (rel -> text or Buffer); returns what it declared. */
function writePattern(rng, p, files, stats) {
  const put = (rel, text) => files.set(`${p.name}/${rel}`, text);
  const iac = (rel, text) => {
    put(rel, text);
    stats.iacFiles.push(`${p.name}/${rel}`);
  };
  const region = rng.pick(REGIONS);
  const runtime = rng.pick(NODE_RUNTIMES);
  const common = (framework, language, templateFile, deploy) => {
    put('README.md', readme(rng, p.title, framework, deploy));
    put('example-pattern.json', examplePattern(rng, p.title, language, framework, templateFile));
    put('images/architecture.png', image(rng));
    if (rng.chance(0.3)) put(`images/${p.name}-flow.png`, image(rng));
    if (rng.chance(0.3)) {
      for (let i = 1, n = rng.int(1, 3); i <= n; i++) put(`docs/step-${i}.md`, `# Step ${i}\n\n${sentence(rng, 30)}\n\n![step](step-${i}.png)\n`);
      put('docs/step-1.png', image(rng));
    }
  };
  const nodeSources = (fns, baseDir, { helperChance = 0.25 } = {}) => {
    const helper = rng.chance(helperChance);
    for (const fn of fns) {
      const stem = fns.length === 1 ? rng.pick(['app', 'index', 'handler']) : fn.name.replace(/-\d+$/, '');
      fn.dir = fns.length === 1 ? baseDir : `${baseDir}/${fn.name}`;
      fn.file = `${fn.dir}/${stem}${extFor(fn.style)}`;
      fn.handlerDeclared = `${stem}.${fn.exportName}`;
      put(fn.file, nodeHandler(rng, { target: fn.target, style: fn.style, helper, exportName: fn.exportName, source: p.source }));
      if (helper) put(`${fn.dir}/lib/utils${extFor(fn.style)}`, helperModule(fn.style));
      stats.nodeFunctions++;
      stats.handlerFiles.push(`${p.name}/${fn.file}`);
    }
    if (fns[0].style !== 'ts' && rng.chance(0.4))
      put(
        `${baseDir}/package.json`,
        JSON.stringify(
          {
            name: p.name,
            version: '1.0.0',
            type: fns[0].style === 'mjs' ? 'module' : 'commonjs',
            dependencies: { [TARGETS[fns[0].target].pkg]: '^3.500.0' },
          },
          null,
          2,
        ) + '\n',
      );
  };
  const pythonSources = (fns, baseDir) => {
    for (const fn of fns) {
      fn.dir = fns.length === 1 ? baseDir : `${baseDir}/${fn.name}`;
      fn.handlerDeclared = 'app.lambda_handler';
      put(`${fn.dir}/app.py`, pythonHandler(rng, fn.target));
      put(`${fn.dir}/requirements.txt`, 'boto3>=1.34\n');
    }
  };

  switch (p.kind) {
    case 'sam-node': {
      const fns = planFunctions(rng, p);
      const ts = fns[0].style === 'ts';
      nodeSources(fns, 'src');
      for (const fn of fns) {
        fn.codeUri = `${fn.dir}/`;
        fn.handler = fn.handlerDeclared;
        fn.entry = fn.file.slice(fn.dir.length + 1);
      }
      iac('template.yaml', samTemplate(rng, p, fns, { runtime, ts }));
      if (rng.chance(0.6)) iac('samconfig.toml', samConfig(p, region));
      put('events/event.json', eventJson(rng, p.source));
      if (rng.chance(0.3)) put('events/event-2.json', eventJson(rng, p.source));
      if (rng.chance(0.25))
        put(
          `src/tests/unit/test-handler${extFor(fns[0].style)}`,
          `// ${sentence(rng, 6)}\nimport { handler } from '../../${fns[0].file.slice(4).replace(/\.ts$/, '')}';\n\ntest('handler', async () => {\n  expect(await handler({}, {})).toBeDefined();\n});\n`,
        );
      if (ts)
        put(
          'src/tsconfig.json',
          JSON.stringify(
            { compilerOptions: { target: 'es2020', module: 'commonjs', strict: true, esModuleInterop: true, skipLibCheck: true } },
            null,
            2,
          ) + '\n',
        );
      put('.gitignore', '.aws-sam\nsamconfig.toml.bak\nnode_modules\n');
      common('AWS SAM', ts ? 'TypeScript' : 'Node.js', 'template.yaml', ['sam build', 'sam deploy --guided']);
      stats.iac.sam++;
      break;
    }
    case 'sam-python':
    case 'sam-java': {
      const java = p.kind === 'sam-java';
      const fns = planFunctions(rng, p, { language: java ? 'java' : 'python' });
      if (java) {
        for (const fn of fns) {
          fn.dir = fns.length === 1 ? 'LambdaFunction' : `${pascal(fn.name)}Function`;
          fn.handlerDeclared = `com.example.${pascal(fn.name)}Handler::handleRequest`;
          put(
            `${fn.dir}/pom.xml`,
            `<project>\n  <modelVersion>4.0.0</modelVersion>\n  <groupId>com.example</groupId>\n  <artifactId>${fn.name}</artifactId>\n  <version>1.0</version>\n</project>\n`,
          );
          put(
            `${fn.dir}/src/main/java/com/example/${pascal(fn.name)}Handler.java`,
            `package com.example;\n\npublic class ${pascal(fn.name)}Handler {\n  public String handleRequest(Object event) {\n    return "ok";\n  }\n}\n`,
          );
          put(
            `${fn.dir}/src/test/java/com/example/${pascal(fn.name)}HandlerTest.java`,
            `package com.example;\n\nclass ${pascal(fn.name)}HandlerTest {}\n`,
          );
        }
      } else {
        pythonSources(fns, 'src');
      }
      for (const fn of fns) {
        fn.codeUri = `${fn.dir}/`;
        fn.handler = fn.handlerDeclared;
        fn.runtime = null;
      }
      iac('template.yaml', samTemplate(rng, p, fns, { runtime: java ? 'java21' : rng.pick(['python3.11', 'python3.12', 'python3.9']) }));
      put('events/event.json', eventJson(rng, p.source));
      put('.gitignore', java ? 'target/\n.aws-sam\n' : '__pycache__/\n.aws-sam\n*.pyc\n');
      common('AWS SAM', java ? 'Java' : 'Python', 'template.yaml', ['sam build', 'sam deploy --guided']);
      stats.iac.sam++;
      break;
    }
    case 'sam-direct': {
      iac('template.yaml', samTemplate(rng, p, [], { runtime, direct: true }));
      iac(
        'api.yaml',
        `openapi: 3.0.1\ninfo:\n  title: ${p.name}\n  version: '1.0'\npaths:\n  /items:\n    post:\n      x-amazon-apigateway-integration:\n        type: aws\n        httpMethod: POST\n        uri:\n          Fn::Sub: arn:aws:apigateway:\${AWS::Region}:states:action/StartExecution\n`,
      );
      if (rng.chance(0.5))
        put(
          'statemachine/definition.asl.json',
          JSON.stringify({ Comment: p.title, StartAt: 'Pass', States: { Pass: { Type: 'Pass', End: true } } }, null, 2) + '\n',
        );
      common('AWS SAM', 'YAML', 'template.yaml', ['sam deploy --guided']);
      stats.iac.sam++;
      break;
    }
    case 'cdk-ts':
    case 'cdk-ts-python': {
      const python = p.kind === 'cdk-ts-python';
      const fns = planFunctions(rng, p, { language: python ? 'python' : 'node', fixedStyle: python ? undefined : rng.chance(0.75) ? 'ts' : 'mjs' });
      if (python) {
        for (const fn of fns) {
          fn.dir = fns.length === 1 ? 'lambda' : `lambda/${fn.name}`;
          put(`${fn.dir}/index.py`, pythonHandler(rng, fn.target));
        }
      } else {
        for (const fn of fns) {
          fn.runtime = rng.pick(NODE_RUNTIMES);
          fn.construct = fn.style === 'ts' ? 'nodejs' : 'function';
          // The CDK .gitignore ignores *.js: JavaScript handlers are .mjs.
          fn.dir = fns.length === 1 ? 'lambda' : `lambda/${fn.name}`;
          fn.file = `${fn.dir}/index${extFor(fn.style)}`;
          fn.handlerDeclared = 'index.handler';
          put(fn.file, nodeHandler(rng, { target: fn.target, style: fn.style, helper: false, source: p.source }));
          stats.nodeFunctions++;
          stats.handlerFiles.push(`${p.name}/${fn.file}`);
        }
      }
      iac('bin/app.ts', cdkApp(p, rng.chance(0.3) ? region : null));
      iac(`lib/${p.name}-stack.ts`, cdkStack(rng, p, fns, { python }));
      const jest = rng.chance(0.5);
      if (jest) put(`test/${p.name}.test.ts`, cdkTest(p));
      if (jest)
        put(
          'jest.config.js',
          "module.exports = {\n  testEnvironment: 'node',\n  roots: ['<rootDir>/test'],\n  testMatch: ['**/*.test.ts'],\n  transform: { '^.+\\\\.tsx?$': 'ts-jest' },\n};\n",
        );
      iac(
        'cdk.json',
        JSON.stringify(
          {
            app: 'npx ts-node --prefer-ts-exts bin/app.ts',
            watch: {
              include: ['**'],
              exclude: ['README.md', 'cdk*.json', '**/*.d.ts', '**/*.js', 'tsconfig.json', 'package*.json', 'node_modules', 'test'],
            },
            context: {
              '@aws-cdk/aws-lambda:recognizeLayerVersion': true,
              '@aws-cdk/core:checkSecretUsage': true,
              '@aws-cdk/core:target-partitions': ['aws', 'aws-cn'],
            },
          },
          null,
          2,
        ) + '\n',
      );
      put(
        'package.json',
        JSON.stringify(
          {
            name: p.name,
            version: '0.1.0',
            bin: { app: 'bin/app.js' },
            scripts: { build: 'tsc', watch: 'tsc -w', test: 'jest', cdk: 'cdk' },
            devDependencies: {
              '@types/jest': '^29.5.12',
              '@types/node': '20.11.19',
              jest: '^29.7.0',
              'ts-jest': '^29.1.2',
              'aws-cdk': '2.130.0',
              'ts-node': '^10.9.2',
              typescript: '~5.3.3',
            },
            dependencies: { 'aws-cdk-lib': '2.130.0', constructs: '^10.0.0', 'source-map-support': '^0.5.21' },
          },
          null,
          2,
        ) + '\n',
      );
      put(
        'tsconfig.json',
        JSON.stringify(
          {
            compilerOptions: {
              target: 'ES2020',
              module: 'commonjs',
              lib: ['es2020', 'dom'],
              declaration: true,
              strict: true,
              noImplicitAny: true,
              strictNullChecks: true,
              esModuleInterop: true,
              typeRoots: ['./node_modules/@types'],
            },
            exclude: ['node_modules', 'cdk.out'],
          },
          null,
          2,
        ) + '\n',
      );
      put('.gitignore', '*.js\n!jest.config.js\n*.d.ts\nnode_modules\n\n# CDK asset staging directory\n.cdk.staging\ncdk.out\n');
      put('.npmignore', '*.ts\n!*.d.ts\n\n# CDK asset staging directory\n.cdk.staging\ncdk.out\n');
      common('AWS CDK', python ? 'Python' : 'TypeScript', `lib/${p.name}-stack.ts`, ['npm install', 'cdk deploy']);
      stats.iac.cdk++;
      break;
    }
    case 'cdk-python': {
      const fns = planFunctions(rng, p, { language: 'python' });
      for (const fn of fns) {
        fn.dir = fns.length === 1 ? 'lambda' : `lambda/${fn.name}`;
        put(`${fn.dir}/index.py`, pythonHandler(rng, fn.target));
      }
      iac(
        'app.py',
        `#!/usr/bin/env python3\nimport aws_cdk as cdk\n\nfrom ${snake(p.name)}.${snake(p.name)}_stack import ${pascal(p.name)}Stack\n\napp = cdk.App()\n${pascal(p.name)}Stack(app, "${pascal(p.name)}Stack")\napp.synth()\n`,
      );
      put(`${snake(p.name)}/__init__.py`, '');
      iac(`${snake(p.name)}/${snake(p.name)}_stack.py`, cdkPythonStack(rng, p, fns));
      iac('cdk.json', JSON.stringify({ app: 'python3 app.py', context: { '@aws-cdk/core:checkSecretUsage': true } }, null, 2) + '\n');
      put('requirements.txt', 'aws-cdk-lib==2.130.0\nconstructs>=10.0.0,<11.0.0\n');
      put(`tests/unit/test_${snake(p.name)}_stack.py`, 'import aws_cdk as core\n');
      put(
        '.gitignore',
        '*.swp\npackage-lock.json\n__pycache__\n.pytest_cache\n.venv\n*.egg-info\n\n# CDK asset staging directory\n.cdk.staging\ncdk.out\n',
      );
      common('AWS CDK', 'Python', 'app.py', ['python3 -m venv .venv', 'pip install -r requirements.txt', 'cdk deploy']);
      stats.iac.cdk++;
      break;
    }
    case 'terraform-node':
    case 'terraform-python':
    case 'terraform-direct': {
      const direct = p.kind === 'terraform-direct';
      const python = p.kind === 'terraform-python';
      const fns = direct ? [] : planFunctions(rng, p, { language: python ? 'python' : 'node' });
      const registry = !direct && rng.chance(0.25);
      const viaModule = !direct && !registry && rng.chance(0.3);
      const rt = python ? 'python3.12' : runtime;
      if (python) pythonSources(fns, 'src');
      else if (!direct) nodeSources(fns, 'src');
      for (const fn of fns) fn.runtime = rt;
      iac('main.tf', terraformMain(rng, p, fns, { module: viaModule, registry, region }));
      iac('variables.tf', terraformVariables(region, rt));
      iac('outputs.tf', terraformOutputs(p, fns, { module: viaModule, registry }));
      if (rng.chance(0.5))
        iac('providers.tf', `# ${sentence(rng, 6)}\nlocals {\n  tags = {\n    project = "${p.name}"\n    owner   = "patterns"\n  }\n}\n`);
      if (rng.chance(0.2)) iac('terraform.tfvars', `aws_region = "${region}"\n`);
      if (viaModule) {
        iac('modules/lambda/main.tf', TF_MODULE_MAIN);
        iac('modules/lambda/variables.tf', TF_MODULE_VARIABLES);
        iac('modules/lambda/outputs.tf', TF_MODULE_OUTPUTS);
      }
      put('.gitignore', '.terraform/\n*.tfstate\n*.tfstate.backup\n*.zip\n.terraform.lock.hcl\n');
      common('Terraform', python ? 'Python' : direct ? 'HCL' : 'Node.js', 'main.tf', ['terraform init', 'terraform apply']);
      stats.iac.terraform++;
      break;
    }
    case 'serverless': {
      const fns = planFunctions(rng, p, { fixedStyle: rng.pick(['cjs', 'cjs', 'mjs']) });
      nodeSources(fns, 'src', { helperChance: 0.2 });
      for (const fn of fns) fn.handlerDeclared = `${fn.dir}/${fn.handlerDeclared}`;
      iac('serverless.yml', serverlessYml(rng, p, fns, runtime, region));
      put('package.json', JSON.stringify({ name: p.name, version: '1.0.0', devDependencies: { serverless: '^3.38.0' } }, null, 2) + '\n');
      put('.gitignore', 'node_modules\n.serverless\n');
      common('Serverless Framework', 'Node.js', 'serverless.yml', ['npm install', 'serverless deploy']);
      stats.iac.serverless++;
      break;
    }
    case 'pulumi': {
      const fns = planFunctions(rng, p, { fixedStyle: 'cjs' });
      for (const fn of fns) fn.runtime = rng.pick(NODE_RUNTIMES);
      nodeSources(fns, 'app');
      iac('index.ts', pulumiProgram(rng, p, fns));
      iac('Pulumi.yaml', `name: ${p.name}\nruntime: nodejs\ndescription: ${p.title}\n`);
      iac('Pulumi.dev.yaml', `config:\n  aws:region: ${region}\n`);
      put(
        'package.json',
        JSON.stringify(
          {
            name: p.name,
            main: 'index.ts',
            devDependencies: { '@types/node': '^20' },
            dependencies: { '@pulumi/pulumi': '^3.0.0', '@pulumi/aws': '^6.0.0' },
          },
          null,
          2,
        ) + '\n',
      );
      put(
        'tsconfig.json',
        JSON.stringify({ compilerOptions: { strict: true, outDir: 'bin', target: 'es2020', module: 'commonjs' }, files: ['index.ts'] }, null, 2) +
          '\n',
      );
      put('.gitignore', '/bin/\n/node_modules/\n');
      common('Pulumi', 'TypeScript', 'index.ts', ['npm install', 'pulumi up']);
      stats.iac.pulumi++;
      break;
    }
    default:
      throw new Error(`unknown pattern kind ${p.kind}`);
  }
  if (p.frontend) {
    const names = ['app', 'header', 'footer', 'item-list', 'item-form', 'login', 'settings', 'dashboard'];
    const n = rng.int(4, names.length);
    for (let i = 0; i < n; i++) put(`frontend/src/components/${names[i]}.jsx`, frontendFile(rng, names[i]));
    put(
      'frontend/src/index.js',
      "import React from 'react';\nimport { createRoot } from 'react-dom/client';\nimport App from './components/app';\n\ncreateRoot(document.getElementById('root')).render(<App />);\n",
    );
    put(
      'frontend/package.json',
      JSON.stringify({ name: `${p.name}-frontend`, private: true, dependencies: { react: '^18.2.0', 'react-dom': '^18.2.0' } }, null, 2) + '\n',
    );
    put('frontend/public/index.html', '<!doctype html>\n<html><body><div id="root"></div></body></html>\n');
  }
}

const SUFFIX = {
  'sam-node': 'sam',
  'sam-python': 'sam-python',
  'sam-java': 'sam-java',
  'sam-direct': 'sam',
  'cdk-ts': 'cdk',
  'cdk-ts-python': 'cdk-python',
  'cdk-python': 'cdk-python',
  'terraform-node': 'terraform',
  'terraform-python': 'terraform-python',
  'terraform-direct': 'terraform',
  serverless: 'serverless',
  pulumi: 'pulumi',
};

function topLevel(rng, files) {
  files.set('README.md', `# AWS Serverless Patterns\n\n${Array.from({ length: 30 }, () => sentence(rng, 14)).join('\n\n')}\n`);
  files.set('CONTRIBUTING.md', `# Contributing\n\n${Array.from({ length: 12 }, () => sentence(rng, 14)).join('\n\n')}\n`);
  files.set('LICENSE', 'MIT No Attribution\n\nCopyright Amazon.com, Inc. or its affiliates.\n');
  files.set('.gitignore', '.DS_Store\n*.swp\n.idea/\n.vscode/\nnode_modules/\n');
  files.set('.github/PULL_REQUEST_TEMPLATE.md', '*Issue #, if available:*\n\n*Description of changes:*\n');
  for (const w of ['lint', 'validate-json', 'stale'])
    files.set(
      `.github/workflows/${w}.yml`,
      `name: ${w}\non: [pull_request]\njobs:\n  ${w}:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: echo ${w}\n`,
    );
  files.set(
    '.github/ISSUE_TEMPLATE/new-pattern.yml',
    'name: New pattern\ndescription: Submit a pattern\nbody:\n  - type: input\n    id: title\n    attributes:\n      label: Title\n',
  );
  files.set('_pattern-model/README.md', '# Pattern model\n\nCopy this folder to start a new pattern.\n');
  files.set('_pattern-model/example-pattern.json', JSON.stringify({ title: 'Pattern title', framework: 'AWS SAM' }, null, 2) + '\n');
}

/**
 * Generates the tree into `dir` (emptied first) and writes `<dir>.json`. Returns the manifest.
 * `services` is the number of pattern folders.
 */
export function generatePatterns(dir, { services = 900, seed = 7 } = {}) {
  if (!Number.isInteger(services) || services < 20) throw new Error('services must be an integer >= 20');
  const rng = makeRng(seed);
  const files = new Map();
  const stats = { nodeFunctions: 0, handlerFiles: [], iacFiles: [], kinds: {}, iac: { sam: 0, cdk: 0, terraform: 0, serverless: 0, pulumi: 0 } };
  topLevel(rng, files);
  const used = new Set();
  for (let i = 0; i < services; i++) {
    const kind = rng.weighted(KINDS);
    const source = rng.pick(SOURCES);
    const target = rng.pick(TARGET_NAMES);
    let name = `${source}-lambda-${target}-${SUFFIX[kind]}`;
    for (let k = 2; used.has(name); k++) name = `${source}-lambda-${target}-${SUFFIX[kind]}-${k}`;
    used.add(name);
    const p = { name, kind, source, target, title: `${SOURCE_TITLES[source]} to AWS Lambda to ${pascal(target)}`, frontend: rng.chance(0.03) };
    stats.kinds[kind] = (stats.kinds[kind] ?? 0) + 1;
    writePattern(rng, p, files, stats);
  }
  rmSync(dir, { recursive: true, force: true });
  const rels = [...files.keys()].sort();
  for (const rel of rels) {
    const abs = path.join(dir, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, files.get(rel));
  }
  const isSource = (rel) => /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/.test(rel) && !/\.d\.[cm]?ts$/.test(rel);
  // The cached re-scan bench edits one handler: the first TypeScript one a SAM pattern declares.
  const changeFile = stats.handlerFiles.find((f) => f.endsWith('.ts') && f.includes('-sam/')) ?? stats.handlerFiles[0];
  const manifest = {
    generatorVersion: PATTERNS_VERSION,
    params: { services, seed },
    files: rels.length,
    sourceFiles: rels.filter(isSource).length,
    iacFiles: stats.iacFiles.length,
    bytes: rels.reduce((s, r) => s + Buffer.byteLength(files.get(r)), 0),
    nodeFunctions: stats.nodeFunctions,
    kinds: Object.fromEntries(Object.entries(stats.kinds).sort()),
    iac: stats.iac,
    changeFile,
    changeFileText: files.get(changeFile),
  };
  writeFileSync(`${dir}.json`, JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

/** The manifest of a tree generated earlier with exactly these params (and still there), or null. */
export function readPatternsManifest(dir, params) {
  const file = `${dir}.json`;
  if (!existsSync(file) || !existsSync(dir)) return null;
  try {
    const m = JSON.parse(readFileSync(file, 'utf8'));
    if (m.generatorVersion !== PATTERNS_VERSION) return null;
    for (const k of ['services', 'seed']) if (m.params?.[k] !== params[k]) return null;
    return m;
  } catch {
    return null;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { services: { type: 'string', default: '900' }, seed: { type: 'string', default: '7' } },
  });
  if (positionals.length !== 1) {
    console.error('usage: node bench/generate-patterns.mjs <dir> [--services 900] [--seed 7]');
    process.exit(2);
  }
  const m = generatePatterns(path.resolve(positionals[0]), { services: Number(values.services), seed: Number(values.seed) });
  const { changeFileText, ...shown } = m;
  void changeFileText;
  console.log(JSON.stringify(shown, null, 2));
}
