import { ruleTester } from '../helpers/rule-tester.js';

ruleTester('aws-sdk-v2-whole', {
  valid: [
    {
      name: 'modular v3 clients',
      files: {
        'handler.ts': `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
export const handler = async () => doc.send(new GetCommand({ TableName: 't', Key: { id: '1' } }));
`,
      },
    },
    {
      name: 'a v2 service client imported on its own is not the whole SDK',
      files: {
        'handler.js': `const S3 = require('aws-sdk/clients/s3');
const s3 = new S3();
exports.handler = async () => s3.listBuckets().promise();
`,
      },
    },
  ],
  invalid: [
    {
      name: 'import at init names the services used',
      files: {
        'handler.ts': `import AWS from 'aws-sdk';

const s3 = new AWS.S3();
const doc = new AWS.DynamoDB.DocumentClient();
export const handler = async () => Promise.all([s3.listBuckets().promise(), doc.scan({ TableName: 't' }).promise()]);
`,
      },
      errors: [
        {
          file: 'handler.ts',
          line: 1,
          column: 1,
          estInitMs: 71,
          message: ['at init (used here: DynamoDB.DocumentClient, S3)', '~71 ms', '@aws-sdk/client-dynamodb'],
        },
      ],
    },
    {
      name: 'a lazy require still ships the whole SDK but costs no init',
      files: {
        'handler.js': `exports.handler = async () => {
  const AWS = require('aws-sdk');
  return new AWS.SQS().listQueues().promise();
};
`,
      },
      errors: [{ file: 'handler.js', line: 2, column: 15, estInitMs: null, message: ['The whole AWS SDK v2 is loaded (used here: SQS)'] }],
    },
  ],
});
