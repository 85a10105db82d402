import { ruleTester } from '../helpers/rule-tester.js';

ruleTester('await-in-loop', {
  valid: [
    {
      name: 'concurrent writes with Promise.all',
      files: {
        'handler.ts': `import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
const ddb = new DynamoDBClient({});
export const handler = async (items: string[]) => {
  await Promise.all(items.map((id) => ddb.send(new PutItemCommand({ TableName: 't', Item: { id: { S: id } } }))));
};
`,
      },
    },
    {
      name: 'awaiting pure work in a loop is not I/O',
      files: {
        'handler.ts': `const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const handler = async (n: number) => {
  for (let i = 0; i < n; i++) await sleep(1);
};
`,
      },
    },
  ],
  invalid: [
    {
      name: 'a client imported from the service own module, behind middy and Promise.allSettled(map)',
      files: {
        'handler.ts': `import middy from '@middy/core';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { ddb } from './lib/ddb';

async function reserve(record: { lines: string[] }) {
  for (const sku of record.lines) {
    await ddb.send(new PutCommand({ TableName: 't', Item: { sku } }));
  }
}

const base = async (event: { Records: { lines: string[] }[] }) => Promise.allSettled(event.Records.map(reserve));
export const handler = middy(base);
`,
        'lib/ddb.ts': `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
export const ddb = DynamoDBDocumentClient.from(new DynamoDBClient({}));
`,
      },
      errors: [{ file: 'handler.ts', line: 7, column: 11, message: ['await ddb.send(new PutCommand(...)) inside a loop'] }],
    },
    {
      name: 'sequential batches get batch-aware advice',
      files: {
        'handler.ts': `import { DynamoDBDocumentClient, BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
export async function handler(batches: object[][]) {
  for (const batch of batches) await doc.send(new BatchWriteCommand({ RequestItems: { t: batch } }));
}
`,
      },
      errors: [{ file: 'handler.ts', line: 5, column: 38, message: ['The calls are batched already'] }],
    },
    {
      name: 'send in for-of, v2 promise in while, and an I/O helper from another module',
      files: {
        'handler.ts': `import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { audit } from './audit';
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export async function handler(event: { items: { id: string }[] }) {
  for (const item of event.items) {
    await doc.send(new PutCommand({ TableName: 't', Item: item }));
    await audit(item.id);
  }
}
`,
        'audit.js': `const AWS = require('aws-sdk');
const sqs = new AWS.SQS();
exports.audit = async (id) => {
  let token;
  do {
    const page = await sqs.listQueues({ NextToken: token }).promise();
    token = page.NextToken;
  } while (token);
  return id;
};
`,
      },
      errors: [
        { file: 'audit.js', line: 6, column: 24, message: ['await sqs.listQueues().promise(...) inside a loop'] },
        { file: 'handler.ts', line: 8, column: 11, message: ['await doc.send(new PutCommand(...)) inside a loop', 'Batch'] },
        { file: 'handler.ts', line: 9, column: 11, message: ['await audit(...) inside a loop'] },
      ],
    },
  ],
});
