import { ruleTester } from '../helpers/rule-tester.js';

ruleTester('module-scope-io', {
  valid: [
    {
      name: 'clients created at module scope, I/O inside the handler',
      files: {
        'handler.ts': `import { SecretsManagerClient, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { readFile } from 'node:fs/promises';
const sm = new SecretsManagerClient({});
let cached: string | undefined;
export async function handler() {
  cached ??= (await sm.send(new GetSecretValueCommand({ SecretId: 's' }))).SecretString;
  return [cached, await readFile('/tmp/x', 'utf8')];
}
`,
      },
    },
    {
      name: 'SDK v2 configuration and request builders are not I/O',
      files: {
        'handler.js': `const AWS = require('aws-sdk');
AWS.config.update({ region: 'eu-west-1' });
const s3 = new AWS.S3();
const request = s3.getObject({ Bucket: 'b', Key: 'k' });
exports.handler = async () => request.promise();
`,
      },
    },
    {
      name: 'path helpers are not I/O',
      files: {
        'handler.js': `const path = require('path');
const fs = require('fs');
const file = path.join(__dirname, 'a.json');
exports.handler = async () => fs.promises.readFile(file, 'utf8');
`,
      },
    },
  ],
  invalid: [
    {
      name: 'a secret fetched with top-level await, in a module the handler imports',
      files: {
        'handler.mjs': `import { secret } from './config.mjs';
export const handler = async () => secret.length;
`,
        'config.mjs': `import { SecretsManagerClient, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
const sm = new SecretsManagerClient({});
const res = await sm.send(new GetSecretValueCommand({ SecretId: process.env.SECRET_ID }));
export const secret = res.SecretString ?? '';
`,
      },
      errors: [{ file: 'config.mjs', line: 3, column: 19, message: ['sm.send(new GetSecretValueCommand(...)) runs with top-level await', 'INIT'] }],
    },
    {
      name: 'sync disk read, v2 promise, fetch and a local I/O helper at module scope',
      files: {
        'handler.js': `const fs = require('fs');
const AWS = require('aws-sdk');
const ssm = new AWS.SSM();
const rules = JSON.parse(fs.readFileSync(__dirname + '/rules.json', 'utf8'));
const param = ssm.getParameter({ Name: 'p' }).promise();
const remote = fetch('https://example.com/config');
async function warm() { return ssm.getParameter({ Name: 'q' }).promise(); }
warm();
ssm.getParameters({ Names: ['a'] }, (err, data) => data);
(async () => { await fs.promises.readFile('/tmp/a'); })();
exports.handler = async () => [rules, await param, await remote];
`,
      },
      errors: [
        { file: 'handler.js', line: 4, column: 26, message: ['fs.readFileSync(...) runs at module scope'] },
        { file: 'handler.js', line: 5, column: 15, message: ['ssm.getParameter().promise(...)'] },
        { file: 'handler.js', line: 6, column: 16, message: ['fetch(...)'] },
        { file: 'handler.js', line: 8, column: 1, message: ['warm(...) runs at module scope and does I/O'] },
        { file: 'handler.js', line: 9, column: 1, message: ['ssm.getParameters(...)'] },
        { file: 'handler.js', line: 10, column: 22, message: ['fs.promises.readFile(...)'] },
      ],
    },
  ],
});
