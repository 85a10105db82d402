import { describe, expect, it } from 'vitest';
import { scan } from '../../src/index.js';
import { ruleTester } from '../helpers/rule-tester.js';

const APP = `const express = require('express');
const serverless = require('serverless-http');
const app = express();
app.get('/a', async (req, res) => res.json({}));
app.post('/b', async (req, res) => res.json({}));
`;

ruleTester('serverless-http-monolith', {
  valid: [
    {
      name: 'one route behind the adapter',
      files: {
        'handler.js': `const express = require('express');
const serverless = require('serverless-http');
const app = express();
app.get('/health', (req, res) => res.json({ ok: true }));
module.exports.handler = serverless(app);
`,
      },
    },
    {
      name: 'an app that is not the Lambda handler',
      files: { 'handler.js': `${APP}module.exports.app = app;\nexports.handler = async () => 1;\n` },
    },
    { name: 'raised minRoutes', files: { 'handler.js': `${APP}module.exports.handler = serverless(app);\n` }, options: { minRoutes: 3 } },
  ],
  invalid: [
    {
      name: 'CommonJS export of serverless(app)',
      files: { 'handler.js': `${APP}module.exports.handler = serverless(app);\n` },
      errors: [{ file: 'handler.js', line: 6, column: 1, message: ['2 routes (GET /a, POST /b) behind serverless-http', 'express'] }],
    },
    {
      name: 'ESM, routes on a router in another file, adapter called inside the handler',
      files: {
        'handler.ts': `import serverless from '@codegenie/serverless-express';
import express from 'express';
import { router } from './routes';
const app = express();
app.use('/v1', router);
const proxy = serverless({ app });
export const handler = async (event: unknown, context: unknown) => proxy(event, context);
`,
        'routes.ts': `import { Router } from 'express';
export const router = Router();
router.get('/orders', async (_req, res) => { res.json([]); });
router.delete('/orders/:id', async (_req, res) => { res.status(204).end(); });
router.patch('/orders/:id', async (_req, res) => { res.status(204).end(); });
`,
      },
      errors: [
        {
          file: 'handler.ts',
          line: 7,
          column: 14,
          message: ['3 routes (DELETE /orders/:id, GET /orders, PATCH /orders/:id) behind @codegenie/serverless-express'],
        },
      ],
    },
  ],
});

describe('serverless-http-monolith on the example', () => {
  it('flags ordersApi at the export, with its three routes', async () => {
    const r = await scan({ root: 'examples/orders-service', config: false });
    const found = r.functions.flatMap((f) =>
      f.findings.filter((x) => x.ruleId === 'serverless-http-monolith').map((x) => [f.name, x.file, x.line, x.column]),
    );
    expect(found).toEqual([['ordersApi', 'src/handlers/orders-api.js', 86, 1]]);
  });
});
