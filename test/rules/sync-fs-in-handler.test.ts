import { ruleTester } from '../helpers/rule-tester.js';

ruleTester('sync-fs-in-handler', {
  valid: [
    {
      name: 'sync read at module scope (init, once)',
      files: {
        'handler.ts': `import { readFileSync } from 'node:fs';
const template = readFileSync('./t.html', 'utf8');
export const handler = async () => template;
`,
      },
    },
    {
      name: 'async fs in the handler',
      files: {
        'handler.ts': `import { readFile } from 'node:fs/promises';
export const handler = async () => readFile('./t.html', 'utf8');
`,
      },
    },
    {
      name: 'a sync helper nobody calls per request',
      files: {
        'handler.js': `const fs = require('fs');
function unused() { return fs.readFileSync('/x'); }
exports.handler = async () => 1;
`,
      },
    },
  ],
  invalid: [
    {
      name: 'named, namespace and required fs, in the handler and in a helper it calls',
      files: {
        'handler.ts': `import { readFileSync } from 'node:fs';
import * as fs from 'fs';
import { load } from './lib';
export const handler = async (e: { p: string }) => {
  if (fs.existsSync(e.p)) return readFileSync(e.p, 'utf8');
  return load(e.p);
};
`,
        'lib.js': `const fs = require('fs');
exports.load = (p) => {
  for (const f of fs.readdirSync(p)) fs.statSync(f);
  return null;
};
`,
      },
      errors: [
        { file: 'handler.ts', line: 5, column: 7, message: ['fs.existsSync(...) blocks the event loop on every request'] },
        { file: 'handler.ts', line: 5, column: 34, message: ["async readFile from 'node:fs/promises'"] },
        { file: 'lib.js', line: 3, column: 19, message: ['fs.readdirSync(...)'] },
        { file: 'lib.js', line: 3, column: 38, message: ['fs.statSync(...) blocks the event loop inside a loop'] },
      ],
    },
  ],
});
