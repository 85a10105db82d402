// Services for bench/accuracy.mjs, assembled from patterns seen in public Lambda repositories: each is a handler
// that imports what such handlers import and builds its clients at module scope, with a serverless.yml so that
// discovery finds it. Dependency ranges match the examples' where both use a package, so one install serves all.

const yml = (service, fns) =>
  `service: ${service}\nprovider:\n  name: aws\n  runtime: nodejs20.x\nfunctions:\n${Object.entries(fns)
    .map(([name, handler]) => `  ${name}:\n    handler: ${handler}\n`)
    .join('')}`;

export const SERVICES = {
  'powertools-api': {
    'serverless.yml': yml('powertools-api', { getItem: 'handler.handler' }),
    'handler.js': `const { Logger } = require('@aws-lambda-powertools/logger');
const { Tracer } = require('@aws-lambda-powertools/tracer');
const { Metrics, MetricUnit } = require('@aws-lambda-powertools/metrics');
const { DynamoDBClient } = require('@aws-sdk/client-dynamodb');
const { DynamoDBDocumentClient, GetCommand } = require('@aws-sdk/lib-dynamodb');
const { z } = require('zod');

const logger = new Logger({ serviceName: 'catalog' });
const tracer = new Tracer({ serviceName: 'catalog' });
const metrics = new Metrics({ namespace: 'catalog', serviceName: 'catalog' });
const doc = DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({})));
const Params = z.object({ id: z.string().uuid() });

exports.handler = async (event) => {
  const { id } = Params.parse(event.pathParameters ?? {});
  const res = await doc.send(new GetCommand({ TableName: process.env.TABLE_NAME, Key: { id } }));
  metrics.addMetric('ItemRead', MetricUnit.Count, 1);
  logger.info('read', { id });
  return { statusCode: res.Item ? 200 : 404, body: JSON.stringify(res.Item ?? {}) };
};
`,
  },
  'stripe-webhook': {
    'serverless.yml': yml('stripe-webhook', { webhook: 'handler.handler' }),
    'handler.mjs': `import middy from '@middy/core';
import httpErrorHandler from '@middy/http-error-handler';
import Stripe from 'stripe';
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';

const stripe = new Stripe(process.env.STRIPE_KEY ?? 'sk_test_x');
const sqs = new SQSClient({});

const webhook = async (event) => {
  const evt = stripe.webhooks.constructEvent(event.body, event.headers['stripe-signature'], process.env.WEBHOOK_SECRET);
  await sqs.send(new SendMessageCommand({ QueueUrl: process.env.QUEUE_URL, MessageBody: JSON.stringify(evt) }));
  return { statusCode: 200, body: '' };
};

export const handler = middy(webhook).use(httpErrorHandler());
`,
  },
  'search-indexer': {
    'serverless.yml': yml('search-indexer', { index: 'handler.handler' }),
    'handler.js': `const { algoliasearch } = require('algoliasearch');
const { unmarshall } = require('@aws-sdk/util-dynamodb');

const client = algoliasearch(process.env.ALGOLIA_APP_ID ?? 'app', process.env.ALGOLIA_KEY ?? 'key');

exports.handler = async (event) => {
  const objects = event.Records.filter((r) => r.eventName !== 'REMOVE').map((r) => unmarshall(r.dynamodb.NewImage));
  await client.saveObjects({ indexName: 'products', objects });
};
`,
  },
  'express-api': {
    'serverless.yml': yml('express-api', { api: 'handler.handler' }),
    'handler.js': `const express = require('express');
const serverless = require('serverless-http');
const cors = require('cors');
const helmet = require('helmet');
const jwt = require('jsonwebtoken');

const app = express();
app.use(cors());
app.use(helmet());
app.use(express.json());
app.get('/me', (req, res) => res.json(jwt.decode(String(req.headers.authorization ?? '').slice(7))));

exports.handler = serverless(app);
`,
  },
  'legacy-v2': {
    'serverless.yml': yml('legacy-v2', { thumbnails: 'handler.handler' }),
    'handler.js': `const S3 = require('aws-sdk/clients/s3');
const DynamoDB = require('aws-sdk/clients/dynamodb');
const moment = require('moment');
const _ = require('lodash');

const s3 = new S3();
const doc = new DynamoDB.DocumentClient();

exports.handler = async (event) => {
  const keys = _.uniq(event.Records.map((r) => r.s3.object.key));
  for (const Key of keys) {
    await doc.put({ TableName: process.env.TABLE, Item: { Key, at: moment().toISOString() } }).promise();
    await s3.headObject({ Bucket: process.env.BUCKET, Key }).promise();
  }
};
`,
  },
  'pdf-report': {
    'serverless.yml': yml('pdf-report', { render: 'handler.handler' }),
    'handler.js': `const PDFDocument = require('pdfkit');
const { S3Client, PutObjectCommand, GetObjectCommand } = require('@aws-sdk/client-s3');
const { getSignedUrl } = require('@aws-sdk/s3-request-presigner');
const dayjs = require('dayjs');

const s3 = new S3Client({});

exports.handler = async (event) => {
  const doc = new PDFDocument();
  doc.text(\`Report \${dayjs().format('YYYY-MM-DD')}\`);
  doc.end();
  const Key = \`reports/\${event.id}.pdf\`;
  await s3.send(new PutObjectCommand({ Bucket: process.env.BUCKET, Key, Body: doc }));
  return getSignedUrl(s3, new GetObjectCommand({ Bucket: process.env.BUCKET, Key }), { expiresIn: 3600 });
};
`,
  },
  'graphql-resolver': {
    'serverless.yml': yml('graphql-resolver', { resolve: 'handler.handler' }),
    'handler.js': `const { graphql, buildSchema } = require('graphql');
const gql = require('graphql-tag');
const axios = require('axios');

const schema = buildSchema('type Query { product(id: ID!): String }');
const QUERY = gql\`query P($id: ID!) { product(id: $id) }\`;
const http = axios.create({ baseURL: process.env.CATALOG_URL, timeout: 2000 });

exports.handler = async (event) => {
  const root = { product: async ({ id }) => (await http.get(\`/products/\${id}\`)).data.name };
  return graphql({ schema, source: QUERY.loc.source.body, rootValue: root, variableValues: event.arguments });
};
`,
  },
  'mongo-users': {
    'serverless.yml': yml('mongo-users', { create: 'handler.handler' }),
    'handler.js': `const mongoose = require('mongoose');
const Joi = require('joi');

const User = mongoose.model('User', new mongoose.Schema({ email: String, name: String }));
const schema = Joi.object({ email: Joi.string().email().required(), name: Joi.string().max(80) });

exports.handler = async (event) => {
  const input = await schema.validateAsync(JSON.parse(event.body));
  await mongoose.connect(process.env.MONGO_URL);
  return { statusCode: 201, body: JSON.stringify(await User.create(input)) };
};
`,
  },
  'ai-summarizer': {
    'serverless.yml': yml('ai-summarizer', { summarize: 'handler.handler' }),
    'handler.mjs': `import OpenAI from 'openai';
import { SecretsManagerClient, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';

const secrets = new SecretsManagerClient({});
let client;

export const handler = async (event) => {
  client ??= new OpenAI({ apiKey: (await secrets.send(new GetSecretValueCommand({ SecretId: process.env.KEY_ARN }))).SecretString });
  const out = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: event.text }] });
  return out.choices[0].message.content;
};
`,
  },
  'fixtures-seeder': {
    'serverless.yml': yml('fixtures-seeder', { seed: 'handler.handler' }),
    'handler.js': `const Chance = require('chance');
const { v4: uuid } = require('uuid');
const { addDays, formatISO } = require('date-fns');
const Ajv = require('ajv');

const chance = new Chance();
const validate = new Ajv().compile({ type: 'object', required: ['id', 'email'] });

exports.handler = async ({ count = 10 }) =>
  Array.from({ length: count }, (_, i) => ({ id: uuid(), email: chance.email(), at: formatISO(addDays(new Date(), i)) })).filter(validate);
`,
  },
  'qldb-ledger': {
    'serverless.yml': yml('qldb-ledger', { record: 'handler.handler' }),
    'handler.js': `const { QldbDriver } = require('amazon-qldb-driver-nodejs');
const { Logger } = require('@aws-lambda-powertools/logger');

const driver = new QldbDriver(process.env.LEDGER ?? 'ledger');
const logger = new Logger();

exports.handler = async (event) => {
  logger.info('record', { id: event.id });
  return driver.executeLambda((txn) => txn.execute('INSERT INTO Events ?', event));
};
`,
  },
};

/** Dependencies of the services above (ranges chosen to agree with the examples' package.json files). */
export const SERVICE_DEPENDENCIES = {
  '@aws-lambda-powertools/logger': '^2.0.0',
  '@aws-lambda-powertools/tracer': '^2.0.0',
  '@aws-lambda-powertools/metrics': '^2.0.0',
  '@aws-sdk/client-dynamodb': '^3.699.0',
  '@aws-sdk/lib-dynamodb': '^3.699.0',
  '@aws-sdk/client-sqs': '^3.699.0',
  '@aws-sdk/client-s3': '^3.701.0',
  '@aws-sdk/client-secrets-manager': '^3.699.0',
  '@aws-sdk/s3-request-presigner': '^3.701.0',
  '@aws-sdk/util-dynamodb': '^3.699.0',
  '@middy/core': '^5.5.1',
  '@middy/http-error-handler': '^5.5.1',
  zod: '^3.23.0',
  stripe: '^17.0.0',
  algoliasearch: '^5.0.0',
  express: '^4.21.2',
  'serverless-http': '^3.2.0',
  cors: '^2.8.5',
  helmet: '^8.0.0',
  jsonwebtoken: '^9.0.2',
  'aws-sdk': '^2.1692.0',
  moment: '^2.30.1',
  lodash: '^4.17.21',
  pdfkit: '^0.15.2',
  dayjs: '^1.11.13',
  graphql: '^16.9.0',
  'graphql-tag': '^2.12.6',
  axios: '^1.7.9',
  mongoose: '^8.8.0',
  joi: '^17.13.3',
  openai: '^4.70.0',
  chance: '^1.1.12',
  uuid: '^10.0.0',
  'date-fns': '^3.6.0',
  ajv: '^8.17.1',
  'amazon-qldb-driver-nodejs': '^3.1.0',
  'ion-js': '^5.2.0',
  jsbi: '^4.3.0',
  // amazon-qldb-driver-nodejs's peer dependencies: the install runs with --legacy-peer-deps, which does not add them.
  '@aws-sdk/client-qldb': '^3.699.0',
  '@aws-sdk/client-qldb-session': '^3.699.0',
};
