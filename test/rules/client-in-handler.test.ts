import { ruleTester } from '../helpers/rule-tester.js';

ruleTester('client-in-handler', {
  valid: [
    {
      name: 'client at module scope',
      files: {
        'handler.ts': `import { S3Client, GetObjectCommand } from '@aws-sdk/client-s3';
const s3 = new S3Client({});
export const handler = async () => s3.send(new GetObjectCommand({ Bucket: 'b', Key: 'k' }));
`,
      },
    },
    {
      name: 'a client built in a function no handler reaches',
      files: {
        'handler.ts': `import { S3Client } from '@aws-sdk/client-s3';
export function makeClientForScripts() { return new S3Client({}); }
export const handler = async () => 'ok';
`,
      },
    },
  ],
  invalid: [
    {
      name: 'v3 client inside the handler and pg pool inside a helper it calls',
      files: {
        'handler.ts': `import { S3Client, PutObjectCommand } from '@aws-sdk/client-s3';
import { save } from './db';

export const handler = async (event: { key: string }) => {
  const s3 = new S3Client({ region: 'eu-west-1' });
  await s3.send(new PutObjectCommand({ Bucket: 'b', Key: event.key }));
  return save(event.key);
};
`,
        'db.ts': `import { Pool } from 'pg';
export async function save(key: string) {
  const pool = new Pool();
  return pool.query('insert into t values ($1)', [key]);
}
`,
      },
      errors: [
        { file: 'db.ts', line: 3, column: 16, message: ['new Pool(...) (pg) is created inside code that runs on every request'] },
        { file: 'handler.ts', line: 5, column: 14, message: ['new S3Client(...) (@aws-sdk/client-s3)'] },
      ],
    },
    {
      name: 'a middy-wrapped base handler and an express route callback',
      files: {
        'handler.js': `const middy = require('@middy/core');
const AWS = require('aws-sdk');
const baseHandler = async (event) => {
  const sqs = new AWS.SQS();
  return sqs.sendMessage({ QueueUrl: 'q', MessageBody: 'x' }).promise();
};
module.exports.handler = middy(baseHandler);
`,
      },
      errors: [{ file: 'handler.js', line: 4, column: 15, message: ['new AWS.SQS(...) (aws-sdk)'] }],
    },
    {
      name: 'express route behind serverless-http',
      files: {
        'app.js': `const express = require('express');
const serverless = require('serverless-http');
const { DynamoDBClient } = require('@aws-sdk/client-dynamodb');
const app = express();
app.get('/orders/:id', async (req, res) => {
  const ddb = new DynamoDBClient({});
  res.json(await ddb.send({}));
});
module.exports.handler = serverless(app);
`,
      },
      errors: [{ file: 'app.js', line: 6, column: 15 }],
    },
  ],
});
