import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { functionEvents } from '../../src/discover/events.js';
import { awsLambdaEventTypes, awsSdkV2Services, extractRoutes, type RouteSource } from '../../src/graph/routes.js';
import { REPO } from './helpers.js';

/** An in-memory service: file texts, and relative resolution with the extensions esbuild tries. */
function memory(files: Record<string, string>): RouteSource {
  return {
    read: (rel) => files[rel],
    resolve: (from, specifier) => {
      if (!specifier.startsWith('.')) return null;
      const base = path.posix.join(path.posix.dirname(from), specifier);
      for (const candidate of [base, `${base}.ts`, `${base}.js`, `${base}/index.ts`, `${base}/index.js`])
        if (files[candidate] !== undefined) return candidate;
      return null;
    },
  };
}

const row = (r: { method: string; path: string; file: string; line: number; handler: { name: string | null; line: number | null } }): string =>
  `${r.method} ${r.path} @${r.file}:${r.line} -> ${r.handler.name ?? 'inline'}${r.handler.line !== null ? `:${r.handler.line}` : ''}`;

describe('extractRoutes', () => {
  it('express: verbs, route() chains, all(), named handlers, middleware, routers mounted from other files', () => {
    const table = extractRoutes(
      'src/app.ts',
      memory({
        'src/app.ts': [
          "import express from 'express';", // 1
          "import serverless from 'serverless-http';", // 2
          "import users from './routes/users';", // 3
          'const app = express();', // 4
          'function health(req, res) {', // 5
          '  res.json({ ok: true });', // 6
          '}', // 7
          "app.get('/health', health);", // 8
          "app.route('/items/:itemId').get(auth, (req, res) => res.json({})).delete((req, res) => res.end());", // 9
          "app.use('/api', users);", // 10
          "app.all('*', (req, res) => res.status(404).end());", // 11
          'export const handler = serverless(app);', // 12
        ].join('\n'),
        'src/routes/users.ts': [
          "import { Router } from 'express';", // 1
          'const router = Router();', // 2
          "router.get('/users/:id', async (req, res) => {", // 3
          '  res.json({});', // 4
          '});', // 5
          "router.post('/users', validate(schema), createUser);", // 6
          'export default router;', // 7
        ].join('\n'),
      }),
    );
    expect(table.framework).toBe('express');
    expect(table.routes.map(row)).toEqual([
      'GET /health @src/app.ts:8 -> health:5',
      'GET /items/:itemId @src/app.ts:9 -> inline:9',
      'DELETE /items/:itemId @src/app.ts:9 -> inline:9',
      'GET /api/users/:id @src/routes/users.ts:3 -> inline:3',
      'POST /api/users @src/routes/users.ts:6 -> createUser',
      'ANY /* @src/app.ts:11 -> inline:11',
    ]);
    expect(table.routes[1]?.middleware).toEqual(['auth']);
    expect(table.routes[4]?.middleware).toEqual(['validate(schema)']);
    expect(table.routes[3]?.mountedAt).toEqual(['/api']);
    expect(table.routes[3]?.handler.endLine).toBe(5);
    expect(table.files).toEqual(['src/app.ts', 'src/routes/users.ts']);
  });

  it('koa-router with a prefix, and fastify route objects', () => {
    const koa = extractRoutes(
      'k.js',
      memory({
        'k.js': [
          "const Koa = require('koa');",
          "const Router = require('@koa/router');",
          'const app = new Koa();',
          "const router = new Router({ prefix: '/v2' });",
          "router.get('/things', list);",
          'app.use(router.routes());',
        ].join('\n'),
      }),
    );
    expect(koa.framework).toBe('koa');
    expect(koa.routes.map(row)).toEqual(['GET /v2/things @k.js:5 -> list']);

    const fastify = extractRoutes(
      'f.ts',
      memory({
        'f.ts': [
          "import Fastify from 'fastify';",
          'const app = Fastify();',
          "app.route({ method: ['GET', 'HEAD'], url: '/ping', handler: async () => 'pong' });",
          "app.post('/echo', { schema: {} }, async (req) => req.body);",
        ].join('\n'),
      }),
    );
    expect(fastify.framework).toBe('fastify');
    expect(fastify.routes.map(row)).toEqual(['GET /ping @f.ts:3 -> inline:3', 'HEAD /ping @f.ts:3 -> inline:3', 'POST /echo @f.ts:4 -> inline:4']);
  });

  it('lists what it does not follow instead of guessing', () => {
    const table = extractRoutes(
      'a.js',
      memory({
        'a.js':
          "const express = require('express');\nconst app = express();\nconst p = '/x';\napp.get(p, (req, res) => res.end());\napp.use('/m', require('./missing'));\napp.use('/n', other);\nconst other = require('./other');",
      }),
    );
    expect(table.routes).toEqual([]);
    expect(table.notes).toEqual([
      'a.js:4: app.get() with a path that is not a string literal: not listed',
      "a.js:6: mounted router from './other' not found",
    ]);
  });

  it('client calls are not routes: no framework loaded, or a non-function last argument', () => {
    const noFramework = extractRoutes('c.js', memory({ 'c.js': "const cache = makeCache();\ncache.get('/k', (v) => v);" }));
    expect(noFramework.routes).toEqual([]);
    const client = extractRoutes(
      'd.js',
      memory({ 'd.js': "const express = require('express');\nconst axios = require('axios');\naxios.get('/x', { params: {} });" }),
    );
    expect(client.routes).toEqual([]);
  });
});

describe('AWS SDK v2 clients and aws-lambda types', () => {
  it('finds the services a file creates clients for', () => {
    expect(
      awsSdkV2Services(
        'a.ts',
        "import AWS from 'aws-sdk';\nAWS.config.update({});\nconst d = new AWS.DynamoDB.DocumentClient();\nconst s = new AWS.S3();",
      ),
    ).toEqual(['DynamoDB', 'S3']);
    expect(awsSdkV2Services('b.js', "const { SQS } = require('aws-sdk');\nconst SNS = require('aws-sdk/clients/sns');")).toEqual(['SQS', 'sns']);
    expect(awsSdkV2Services('c.ts', "import { S3Client } from '@aws-sdk/client-s3';")).toEqual([]);
  });

  it('reads the example db.ts (aws-sdk v2 DocumentClient)', () => {
    const text = readFileSync(path.join(REPO, 'examples/orders-service/src/lib/db.ts'), 'utf8');
    expect(awsSdkV2Services('src/lib/db.ts', text)).toEqual(['DynamoDB']);
  });

  it('names the aws-lambda event types a handler imports, type-only included', () => {
    expect(
      awsLambdaEventTypes('h.ts', "import type { SQSEvent, SQSRecord } from 'aws-lambda';\nexport const handler = async (e: SQSEvent) => {};"),
    ).toEqual(['SQSEvent', 'SQSRecord']);
  });
});

describe('functionEvents (IaC triggers, read on demand)', () => {
  const reader =
    (root: string) =>
    (rel: string): string | undefined => {
      try {
        return readFileSync(path.join(REPO, root, rel), 'utf8');
      } catch {
        return undefined;
      }
    };

  it('Serverless: each event with its kind and the line of its `- key:` item', () => {
    const read = reader('examples/orders-service');
    const at = (name: string, line: number) => functionEvents({ name, provider: 'serverless', declaredIn: { file: 'serverless.yml', line } }, read);
    expect(at('processOrders', 118)).toEqual([{ kind: 'sqs', declared: 'sqs', batchItemFailures: true, file: 'serverless.yml', line: 124 }]);
    expect(at('getOrder', 99)).toEqual([
      { kind: 'http', declared: 'httpApi', method: 'GET', path: '/v2/orders/{orderId}', file: 'serverless.yml', line: 103 },
    ]);
    expect(at('ordersApi', 108)).toEqual([
      { kind: 'http', declared: 'httpApi', method: 'ANY', path: '/v1/{proxy+}', file: 'serverless.yml', line: 113 },
    ]);
  });

  it('SAM: Events by name, with the line of each event', () => {
    const read = reader('examples/reports-sam');
    const at = (name: string, line: number) => functionEvents({ name, provider: 'sam', declaredIn: { file: 'template.yaml', line } }, read);
    const text = read('template.yaml') ?? '';
    const lineOf = (needle: string): number => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
    expect(at('DailyReportFunction', 52)).toEqual([{ kind: 'schedule', declared: 'Schedule', file: 'template.yaml', line: lineOf('Nightly:') }]);
    expect(at('ExportFunction', 69)).toEqual([
      { kind: 'http', declared: 'Api', method: 'POST', path: '/exports', file: 'template.yaml', line: lineOf('CreateExport:') },
    ]);
  });

  it('other IaC kinds give no events', () => {
    expect(functionEvents({ name: 'x', provider: 'cdk', declaredIn: { file: 'lib/stack.ts', line: 1 } }, () => '')).toEqual([]);
  });
});
