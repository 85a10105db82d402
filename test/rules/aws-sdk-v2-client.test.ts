import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RULE_IDS } from '../../rules/index.js';
import type { Finding } from '../../src/model/result.js';
import { scan } from '../../src/index.js';
import { ruleTester, TEST_CATALOG } from '../helpers/rule-tester.js';

ruleTester('aws-sdk-v2-client', {
  valid: [
    {
      name: 'v3 clients',
      files: {
        'handler.ts': `import { S3Client } from '@aws-sdk/client-s3';
const s3 = new S3Client({});
export const handler = async () => s3;
`,
      },
    },
    {
      name: 'the whole aws-sdk is the other rule',
      files: {
        'handler.js': `const AWS = require('aws-sdk');
exports.handler = async () => new AWS.S3().listBuckets().promise();
`,
      },
    },
  ],
  invalid: [
    {
      name: 'a client and global at init, a lazy client inside the handler',
      files: {
        'handler.js': `const AWS = require('aws-sdk/global');
const SQS = require('aws-sdk/clients/sqs');
const sqs = new SQS();

exports.handler = async (event) => {
  const StepFunctions = require('aws-sdk/clients/stepfunctions');
  await new StepFunctions().startExecution({ stateMachineArn: event.arn }).promise();
  return sqs.sendMessage({ QueueUrl: AWS.config.region, MessageBody: 'x' }).promise();
};
`,
      },
      errors: [
        {
          file: 'handler.js',
          line: 1,
          column: 13,
          estInitMs: null,
          message: ["'aws-sdk/global' is loaded at init", "not priced (the catalog has no entry 'aws-sdk/global'", 'credential-providers'],
        },
        {
          file: 'handler.js',
          line: 2,
          column: 13,
          estInitMs: null,
          message: ["'aws-sdk/clients/sqs' is loaded at init", "the catalog has no entry 'aws-sdk/clients/sqs'", '@aws-sdk/client-sqs'],
        },
        { file: 'handler.js', line: 6, column: 25, estInitMs: null, message: ['is imported: loaded lazily', '@aws-sdk/client-sfn'] },
      ],
    },
  ],
});

describe('aws-sdk-v2-client with a catalog that prices the client', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lm-v2client-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('takes the per-client figure from the catalog entry aws-sdk/clients/<svc>, ESM import figure for an ESM import', async () => {
    mkdirSync(path.join(dir, 'src'), { recursive: true });
    writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
    writeFileSync(
      path.join(dir, 'src', 'handler.js'),
      `import DynamoDB from 'aws-sdk/clients/dynamodb';\nimport S3 from 'aws-sdk/clients/s3';\nconst doc = new DynamoDB.DocumentClient();\nexport const handler = async () => [doc, new S3()];\n`,
    );
    const catalog = {
      ...TEST_CATALOG,
      packages: [
        ...TEST_CATALOG.packages,
        {
          name: 'aws-sdk/clients/dynamodb',
          version: '2.1693.0',
          requireMs: 99.3,
          importMs: 111.4,
          sizeBytes: null,
          source: 'test',
          date: '2026-12-01',
        },
      ],
    };
    const result = await scan({ root: dir, catalog, cost: false, rules: { disabled: RULE_IDS.filter((id) => id !== 'aws-sdk-v2-client') } });
    const got: Finding[] = result.functions.flatMap((f) => f.findings);
    expect(got.map((f) => [f.file, f.line, f.column, f.estInitMs])).toEqual([
      ['src/handler.js', 1, 1, 111.4],
      ['src/handler.js', 2, 1, null],
    ]);
    expect(got[0]?.message).toContain('~111 ms of billed INIT per cold start (catalog aws-sdk/clients/dynamodb@2.1693.0 import (2026-12-01))');
    expect(got[0]?.message).toContain('@aws-sdk/client-dynamodb with @aws-sdk/lib-dynamodb');
    expect(got[1]?.message).toContain(
      "not priced (the catalog has no entry 'aws-sdk/clients/s3': subpath aws-sdk/clients/s3 not measured and not installed (whole package: 80 ms))",
    );
  });
});
