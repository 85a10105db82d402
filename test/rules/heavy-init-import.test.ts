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
      name: 'aws-sdk is left to aws-sdk-v2-whole by default',
      files: {
        'handler.js': `const AWS = require('aws-sdk');
exports.handler = async () => new AWS.S3().listBuckets().promise();
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
        'handler.ts': `import { query } from './lib/db';
export const handler = async (e: string) => query(e);
`,
        'lib/db.ts': `// shared data access
import { Pool } from 'pg';
const pool = new Pool();
export const query = (id: string) => pool.query('select * from t where id = $1', [id]);
`,
      },
      errors: [
        {
          file: 'lib/db.ts',
          line: 2,
          column: 1,
          estInitMs: 28,
          message: [
            "'pg' is loaded at init via handler.ts > lib/db.ts",
            '~28 ms of billed INIT',
            '(catalog pg@8.13.0 require (2026-11-27))',
            "await import('pg')",
          ],
        },
      ],
    },
    {
      name: 'aws-sdk is reported here when ignorePackages no longer leaves it to aws-sdk-v2-whole',
      options: { ignorePackages: '' },
      files: {
        'handler.js': `const AWS = require('aws-sdk');
exports.handler = async () => new AWS.S3().listBuckets().promise();
`,
      },
      errors: [{ file: 'handler.js', line: 1, column: 13, estInitMs: 71, message: ['modular v3 clients'] }],
    },
    {
      name: 'the modular v3 SDK is reported as information, without advice to lazy-load it',
      files: {
        'handler.ts': `import { S3Client, ListBucketsCommand } from '@aws-sdk/client-s3';
const s3 = new S3Client({});
export const handler = async () => s3.send(new ListBucketsCommand({}));
`,
      },
      errors: [
        {
          file: 'handler.ts',
          line: 1,
          column: 1,
          estInitMs: 48,
          severity: 'info',
          message: ['It is the modular v3 SDK already', 'keep the client at module scope'],
        },
      ],
    },
    {
      name: 'ESM import of a CommonJS package costs the import figure',
      files: {
        'handler.mjs': `import _ from 'lodash';
export const handler = async (e) => _.pick(e, ['id']);
`,
      },
      errors: [{ file: 'handler.mjs', line: 1, column: 1, estInitMs: 35, severity: 'warn', message: ['~35 ms'] }],
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
