import { ruleTester } from '../helpers/rule-tester.js';

ruleTester('heavy-init-import', {
  valid: [
    {
      name: 'a heavy package loaded lazily inside the handler is not init',
      files: {
        'handler.ts': `export async function handler() {
  const { default: _ } = await import('lodash');
  return _.chunk([1, 2, 3], 2);
}
`,
      },
    },
    {
      name: 'a deep import below the threshold',
      files: {
        'handler.js': `const get = require('lodash/get');
exports.handler = async (event) => get(event, 'a.b');
`,
      },
    },
    {
      name: 'type-only imports are erased and load nothing',
      files: {
        'handler.ts': `import type { S3Client } from '@aws-sdk/client-s3';
import { type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Pool } from 'pg';
export async function handler(c: S3Client, d: DynamoDBClient, p: Pool) { return [c, d, p]; }
`,
      },
    },
    {
      name: 'a package under the configured threshold',
      options: { thresholdMs: 50 },
      files: {
        'handler.js': `const { S3Client } = require('@aws-sdk/client-s3');
const s3 = new S3Client({});
exports.handler = async () => s3;
`,
      },
    },
  ],
  invalid: [
    {
      name: 'a heavy package imported by a shared lib module, with its chain',
      files: {
        'handler.ts': `import { put } from './lib/db';
export const handler = async (e: unknown) => put(e);
`,
        'lib/db.ts': `// shared data access
import AWS from 'aws-sdk';
const doc = new AWS.DynamoDB.DocumentClient();
export const put = (item: unknown) => doc.put({ TableName: 't', Item: item as object }).promise();
`,
      },
      errors: [
        { file: 'lib/db.ts', line: 2, column: 1, estInitMs: 71, message: ["'aws-sdk' is loaded at init via handler.ts > lib/db.ts", '~71 ms', 'modular v3 clients'] },
      ],
    },
    {
      name: 'ESM import of a CommonJS package costs the import figure',
      files: {
        'handler.mjs': `import _ from 'lodash';
export const handler = async (e) => _.pick(e, ['id']);
`,
      },
      errors: [{ file: 'handler.mjs', line: 1, column: 1, estInitMs: 35, message: ['~35 ms'] }],
    },
    {
      name: 'require at top level, and a re-export, are init edges; unknown clients use the family figure',
      files: {
        'handler.js': `'use strict';
const express = require('express');
const { clients } = require('./clients');
exports.handler = async () => [express, clients];
`,
        'clients.ts': `export { SQSClient } from '@aws-sdk/client-sqs';
export const clients = 1;
`,
      },
      errors: [
        { file: 'clients.ts', line: 1, column: 1, estInitMs: 45, message: ["'@aws-sdk/client-sqs' is loaded at init via handler.js > clients.ts"] },
        { file: 'handler.js', line: 2, column: 17, estInitMs: 46 },
      ],
    },
  ],
});
