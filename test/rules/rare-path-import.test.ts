import { ruleTester } from '../helpers/rule-tester.js';

ruleTester('rare-path-import', {
  valid: [
    {
      name: 'used on the main path of the handler',
      files: {
        'handler.js': `const { v4 } = require('uuid');
exports.handler = async (event) => ({ id: v4(), event });
`,
      },
    },
    {
      name: 'used in the catch block and on the main path',
      files: {
        'handler.js': `const moment = require('moment');
exports.handler = async (event) => {
  try {
    return { at: moment().toISOString() };
  } catch (err) {
    return { failedAt: moment().toISOString() };
  }
};
`,
      },
    },
    {
      name: 'a client built at module scope is init work the handler chose',
      files: {
        'handler.js': `const { Client } = require('pg');
const client = new Client();
exports.handler = async () => {
  try { return 1; } catch (err) { await client.query('insert into errors values ($1)', [String(err)]); }
};
`,
      },
    },
    {
      name: 'the only route of the app is not one of many',
      files: {
        'handler.js': `const express = require('express');
const serverless = require('serverless-http');
const moment = require('moment');
const app = express();
app.get('/now', (req, res) => res.json({ now: moment().toISOString() }));
exports.handler = serverless(app);
`,
      },
    },
    {
      name: 'a package used by one ordinary route of several is not assumed rare',
      files: {
        'handler.js': `const express = require('express');
const serverless = require('serverless-http');
const { v4 } = require('uuid');
const app = express();
app.get('/orders/:id', (req, res) => res.json({ id: req.params.id }));
app.post('/orders', (req, res) => res.status(201).json({ id: v4() }));
exports.handler = serverless(app);
`,
      },
    },
  ],
  invalid: [
    {
      name: 'a package used only in a catch block, and one in a helper called only from catch blocks',
      files: {
        'handler.js': `const moment = require('moment');
const { v4 } = require('uuid');

function incident(err) {
  return { id: v4(), message: String(err) };
}

exports.handler = async (event) => {
  try {
    return JSON.parse(event.body);
  } catch (err) {
    console.error(incident(err), moment().toISOString());
    return null;
  }
};
`,
      },
      errors: [
        {
          file: 'handler.js',
          line: 1,
          column: 16,
          estInitMs: 4,
          message: [
            "'moment' is loaded at init but used only on the error path (the catch block at handler.js:11)",
            '~4 ms of billed INIT',
            "await import('moment')",
          ],
        },
        {
          file: 'handler.js',
          line: 2,
          column: 16,
          estInitMs: 14,
          message: ["'uuid' is loaded at init but used only in incident(), which runs only on the error path (the catch block at handler.js:11)"],
        },
      ],
    },
    {
      name: 'a package used by one route of several (an admin report)',
      files: {
        'handler.ts': `import express from 'express';
import serverless from 'serverless-http';
import { Client } from 'pg';
import moment from 'moment';

const app = express();
app.get('/orders/:id', (req, res) => res.json({ id: req.params.id }));
app.post('/orders', (req, res) => res.status(201).json(req.body));
app.get('/admin/report', async (req, res) => {
  const db = new Client();
  await db.connect();
  res.json({ rows: (await db.query('select 1')).rows, at: moment().format() });
});
export const handler = serverless(app);
`,
      },
      errors: [
        {
          file: 'handler.ts',
          line: 3,
          column: 1,
          estInitMs: 28,
          message: ["'pg' is loaded at init but used only for one route (GET /admin/report)"],
        },
        {
          file: 'handler.ts',
          line: 4,
          column: 1,
          estInitMs: 4,
          message: ["'moment' is loaded at init but used only for one route (GET /admin/report)"],
        },
      ],
    },
  ],
});
