#!/usr/bin/env node
// Deterministic synthetic Lambda service for `npm run bench`.
//
//   node bench/generate-service.mjs <dir> [--modules 2000] [--handlers 200] [--lines 300000] [--seed 1]
//
// Writes serverless.yml, tsconfig.json (with a `@lib/*` paths alias), package.json (no node_modules),
// src/handlers/fnN.{ts,js,mjs} and src/lib/**, src/domain/** modules. Same params + same GENERATOR_VERSION
// => byte-identical output (seeded PRNG; no Math.random, no clock). Node built-ins only.

import { mkdirSync, rmSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/** Bump when the generated output changes, so a cached tree is regenerated. */
export const GENERATOR_VERSION = 9;
export const MANIFEST = '.bench-service.json';
/** Unit i (modules, then barrels, then handlers) has a deliberate syntax error when i % 100 === BROKEN_AT. */
const BROKEN_AT = 57;

// ---------------------------------------------------------------- PRNG (mulberry32)

/** mulberry32: the same seed gives the same tree on every machine. Shared by both bench generators. */
export function makeRng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)); // inclusive
  const pick = (arr) => arr[Math.floor(next() * arr.length)];
  const chance = (p) => next() < p;
  const sample = (arr, n) => {
    const copy = arr.slice();
    const out = [];
    while (out.length < n && copy.length > 0) out.push(copy.splice(Math.floor(next() * copy.length), 1)[0]);
    return out;
  };
  /** One of `[value, weight]` entries, with probability proportional to its weight. */
  const weighted = (entries) => {
    const total = entries.reduce((s, [, w]) => s + w, 0);
    let r = next() * total;
    for (const [v, w] of entries) if ((r -= w) < 0) return v;
    return entries[entries.length - 1][0];
  };
  return { next, int, pick, chance, sample, weighted };
}

// ---------------------------------------------------------------- vocabulary

const CORE_AREAS = ['config', 'validation', 'util', 'log'];
const LIB_AREAS = ['aws', 'db', 'http', 'util', 'log', 'validation', 'cache', 'auth', 'config', 'events', 'queue', 'storage'];
const DOMAIN_AREAS = [
  'orders',
  'customers',
  'payments',
  'inventory',
  'shipping',
  'invoices',
  'catalog',
  'notifications',
  'reports',
  'accounts',
  'pricing',
  'returns',
];
const NOUNS = [
  'order',
  'customer',
  'payment',
  'item',
  'invoice',
  'shipment',
  'product',
  'account',
  'ledger',
  'refund',
  'coupon',
  'cart',
  'address',
  'session',
  'token',
  'report',
  'batch',
  'record',
  'event',
  'message',
  'price',
  'tax',
  'discount',
  'warehouse',
  'carrier',
  'receipt',
  'profile',
  'subscription',
  'plan',
  'quota',
];
const ROLES = [
  'service',
  'repository',
  'mapper',
  'model',
  'policy',
  'client',
  'adapter',
  'helpers',
  'validator',
  'formatter',
  'builder',
  'store',
  'calculator',
  'publisher',
  'handler-utils',
];
const VERBS = [
  'compute',
  'normalize',
  'validate',
  'merge',
  'apply',
  'resolve',
  'build',
  'format',
  'collect',
  'filter',
  'aggregate',
  'reconcile',
  'score',
  'split',
  'enrich',
];
const FIELDS = [
  'id',
  'createdAt',
  'updatedAt',
  'status',
  'amount',
  'currency',
  'quantity',
  'sku',
  'email',
  'name',
  'region',
  'version',
  'tags',
  'total',
  'notes',
  'ownerId',
  'priority',
  'attempts',
  'expiresAt',
  'source',
];
const FIELD_TYPES = ['string', 'number', 'boolean', 'string[]', 'Record<string, string>', 'Date', 'number | null', "'open' | 'closed' | 'pending'"];
const STATUSES = ['PENDING', 'ACTIVE', 'SUSPENDED', 'CLOSED', 'FAILED', 'RETRYING', 'ARCHIVED'];

/**
 * Packages an importer may pull in, with the import forms real code uses. `esm` is the import line(s),
 * `cjs` the require line(s), `use` an expression statement that touches the binding.
 */
const PACKAGES = [
  {
    name: 'aws-sdk',
    w: 6,
    esm: "import AWS from 'aws-sdk';",
    cjs: "const AWS = require('aws-sdk');",
    use: 'new AWS.DynamoDB.DocumentClient({ region: process.env.AWS_REGION })',
    v2: true,
  },
  {
    name: '@aws-sdk/client-dynamodb',
    w: 8,
    esm: "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
    cjs: "const { DynamoDBClient } = require('@aws-sdk/client-dynamodb');",
    use: 'new DynamoDBClient({})',
    client: 'DynamoDBClient',
  },
  {
    name: '@aws-sdk/lib-dynamodb',
    w: 8,
    esm: "import { DynamoDBDocumentClient, PutCommand, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';",
    cjs: "const { DynamoDBDocumentClient, PutCommand, GetCommand, QueryCommand } = require('@aws-sdk/lib-dynamodb');",
    use: 'PutCommand.name',
  },
  {
    name: '@aws-sdk/client-s3',
    w: 6,
    esm: "import { S3Client, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';",
    cjs: "const { S3Client, GetObjectCommand, PutObjectCommand } = require('@aws-sdk/client-s3');",
    use: 'new S3Client({})',
    client: 'S3Client',
  },
  {
    name: '@aws-sdk/client-sqs',
    w: 3,
    esm: "import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';",
    cjs: "const { SQSClient, SendMessageCommand } = require('@aws-sdk/client-sqs');",
    use: 'new SQSClient({})',
    client: 'SQSClient',
  },
  {
    name: '@aws-sdk/client-secrets-manager',
    w: 2,
    esm: "import { SecretsManagerClient, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';",
    cjs: "const { SecretsManagerClient, GetSecretValueCommand } = require('@aws-sdk/client-secrets-manager');",
    use: 'new SecretsManagerClient({})',
    client: 'SecretsManagerClient',
  },
  { name: 'lodash', w: 6, esm: "import _ from 'lodash';", cjs: "const _ = require('lodash');", use: "_.get({ a: 1 }, 'a')" },
  { name: 'lodash/get', w: 2, esm: "import get from 'lodash/get';", cjs: "const get = require('lodash/get');", use: "get({ a: 1 }, 'a')" },
  { name: 'moment', w: 4, esm: "import moment from 'moment';", cjs: "const moment = require('moment');", use: 'moment().toISOString()' },
  { name: 'axios', w: 5, esm: "import axios from 'axios';", cjs: "const axios = require('axios');", use: 'axios.create({ timeout: 3000 })' },
  {
    name: 'express',
    w: 2,
    esm: "import express from 'express';\nimport serverless from 'serverless-http';",
    cjs: "const express = require('express');\nconst serverless = require('serverless-http');",
    use: 'serverless(express())',
  },
  { name: 'zod', w: 5, esm: "import { z } from 'zod';", cjs: "const { z } = require('zod');", use: 'z.object({ id: z.string() })' },
  { name: 'joi', w: 3, esm: "import Joi from 'joi';", cjs: "const Joi = require('joi');", use: 'Joi.object({ id: Joi.string().required() })' },
  { name: 'pg', w: 2, esm: "import { Pool } from 'pg';", cjs: "const { Pool } = require('pg');", use: 'new Pool({ max: 1 })' },
  { name: 'uuid', w: 6, esm: "import { v4 as uuidv4 } from 'uuid';", cjs: "const { v4: uuidv4 } = require('uuid');", use: 'uuidv4()' },
  {
    name: 'date-fns',
    w: 4,
    esm: "import { format, addDays } from 'date-fns';",
    cjs: "const { format, addDays } = require('date-fns');",
    use: "format(addDays(new Date(0), 1), 'yyyy-MM-dd')",
  },
  { name: 'pino', w: 5, esm: "import pino from 'pino';", cjs: "const pino = require('pino');", use: "pino({ level: 'info' })" },
  { name: 'winston', w: 1, esm: "import winston from 'winston';", cjs: "const winston = require('winston');", use: 'winston.createLogger({})' },
  {
    name: 'mongoose',
    w: 1,
    esm: "import mongoose from 'mongoose';",
    cjs: "const mongoose = require('mongoose');",
    use: 'mongoose.set("strictQuery", true)',
  },
  { name: 'ioredis', w: 1, esm: "import Redis from 'ioredis';", cjs: "const Redis = require('ioredis');", use: 'new Redis({ lazyConnect: true })' },
  { name: 'jsonwebtoken', w: 2, esm: "import jwt from 'jsonwebtoken';", cjs: "const jwt = require('jsonwebtoken');", use: "jwt.decode('x')" },
  { name: '@middy/core', w: 1, esm: "import middy from '@middy/core';", cjs: "const middy = require('@middy/core');", use: 'middy' },
];
const LAZY_PACKAGES = ['pdfkit', 'sharp', 'exceljs', 'aws-sdk', '@aws-sdk/client-ses', 'handlebars', 'csv-parse', 'archiver'];
const PKG_BAG = PACKAGES.flatMap((p) => Array(p.w).fill(p));

const pascal = (s) =>
  s
    .split(/[-_/]/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
const camel = (s) => {
  const p = pascal(s);
  return p[0].toLowerCase() + p.slice(1);
};

// ---------------------------------------------------------------- module plan

/**
 * Module i: { rel, kind: 'ts'|'js'|'mjs', exports: {type, cls, fn, konst}, imports: [j...], pkgs: [...] }.
 * Non-handler modules are indexed 0..n-1; edges mostly go from low index to high index (a DAG) with a few
 * back edges, which make cycles.
 */
function planService(rng, { modules, handlers }) {
  const libCount = modules - handlers;
  const barrelAreas = [];
  const mods = [];
  const usedNames = new Set();
  // Reserve ~1 barrel per area (lib areas get `index.ts`, reached through `@lib/<area>`).
  for (const area of LIB_AREAS) barrelAreas.push(area);
  const plainCount = libCount - barrelAreas.length;
  for (let i = 0; i < plainCount; i++) {
    const inLib = rng.chance(0.45);
    const area = inLib ? rng.pick(LIB_AREAS) : rng.pick(DOMAIN_AREAS);
    let base;
    do {
      base = `${rng.pick(NOUNS)}-${rng.pick(ROLES)}`;
      if (usedNames.has(`${area}/${base}`)) base = `${base}-${i}`;
    } while (usedNames.has(`${area}/${base}`));
    usedNames.add(`${area}/${base}`);
    const stem = camel(base);
    const tag = `${pascal(base)}${i}`;
    mods.push({
      index: i,
      rel: `src/${inLib ? 'lib' : 'domain'}/${area}/${base}.ts`,
      lib: inLib,
      area,
      kind: 'ts',
      exports: {
        type: `${tag}Record`,
        cls: `${tag}`,
        fn: `${stem}${i}`,
        konst: `${stem.toUpperCase()}_${i}_DEFAULTS`.replace(/[^A-Z0-9_]/gi, '_').toUpperCase(),
        enm: `${tag}Status`,
      },
      imports: [],
      typeImports: [],
      pkgs: [],
    });
  }
  // Import edges between plain modules, layered like a real service so that a handler's init closure is a
  // part of the tree, not all of it. Inside an area the modules form a tree (a service imports its
  // repository and mapper, which import helpers): module at position p imports positions K*p+1..K*p+K.
  // Edges that leave the area follow tiers: core lib areas import only later core areas; other lib
  // areas import core; domain areas import lib and now and then another domain. About 4% of modules
  // import their parent back, which makes small cycles.
  const K = 3;
  const byArea = new Map();
  for (const m of mods) {
    if (!byArea.has(m.area)) byArea.set(m.area, []);
    m.pos = byArea.get(m.area).length;
    byArea.get(m.area).push(m);
  }
  const areasOf = (list) => list.filter((a) => byArea.has(a));
  const core = areasOf(CORE_AREAS);
  const tier1 = areasOf(LIB_AREAS.filter((a) => !CORE_AREAS.includes(a)));
  const domain = areasOf(DOMAIN_AREAS);
  const crossTarget = (m) => {
    let areas;
    if (CORE_AREAS.includes(m.area)) areas = rng.chance(0.3) ? core.slice(core.indexOf(m.area) + 1) : [];
    else if (m.lib) areas = core;
    else {
      const r = rng.next();
      areas = r < 0.65 ? tier1 : r < 0.97 ? core : domain.filter((a) => a !== m.area);
    }
    if (areas.length === 0) return undefined;
    const list = byArea.get(rng.pick(areas));
    // Mostly the small modules deep in the other area's tree, sometimes one of its entry points.
    return list[Math.floor(list.length * rng.next() ** 0.2)];
  };
  for (const m of mods) {
    const n = rng.int(2, 6);
    const own = byArea.get(m.area);
    let child = 0;
    for (let k = 0; k < n; k++) {
      let t;
      if (k === 0 && m.pos > 0 && rng.chance(0.04))
        t = own[Math.floor((m.pos - 1) / K)]; // back edge: cycle
      else if (child < K && K * m.pos + 1 + child < own.length && rng.chance(0.7)) t = own[K * m.pos + 1 + child++];
      else t = crossTarget(m);
      if (!t || t === m || m.imports.includes(t.index)) continue;
      m.imports.push(t.index);
    }
    if (rng.chance(0.5)) {
      const t = rng.int(0, mods.length - 1);
      if (t !== m.index && !m.imports.includes(t)) m.typeImports.push(t);
    }
    const pk = rng.chance(0.55) ? rng.int(1, 3) : 0;
    for (let k = 0; k < pk; k++) {
      const p = rng.pick(PKG_BAG);
      if (!m.pkgs.includes(p)) m.pkgs.push(p);
    }
  }
  // Barrels.
  const barrels = barrelAreas.map((area, b) => {
    const members = mods.filter((m) => m.lib && m.area === area);
    return {
      index: plainCount + b,
      rel: `src/lib/${area}/index.ts`,
      area,
      barrel: true,
      members: rng.sample(members, Math.min(members.length, rng.int(4, 12))).sort((x, y) => x.index - y.index),
    };
  });
  // Some plain modules import through a barrel (this is what real barrels do to init cost).
  for (const m of mods) {
    // Domain code may use any lib barrel; non-core lib code only core barrels (keeps the tiers).
    const allowed = m.lib ? (CORE_AREAS.includes(m.area) ? [] : barrels.filter((b) => CORE_AREAS.includes(b.area))) : barrels;
    if (allowed.length > 0 && rng.chance(0.06)) m.barrelImport = rng.pick(allowed);
  }
  // Handlers.
  const hs = [];
  for (let h = 0; h < handlers; h++) {
    const r = rng.next();
    const kind = r < 0.7 ? 'ts' : r < 0.9 ? 'js' : 'mjs';
    // A handler belongs to one domain area and uses some lib modules.
    const primaryArea = rng.pick(domain);
    const primary = byArea.get(primaryArea);
    const libAreas = [...tier1, ...core];
    const imports = [];
    const want = rng.int(3, 8);
    for (let tries = 0; imports.length < want && tries < 50; tries++) {
      // Its own area's entry points (near the top of the area's tree) and some lib modules.
      const t = rng.chance(0.6)
        ? primary[Math.floor(primary.length * rng.next() ** 2)]
        : (() => {
            const l = byArea.get(rng.pick(libAreas));
            return l[Math.floor(l.length * Math.sqrt(rng.next()))];
          })();
      if (!imports.includes(t.index)) imports.push(t.index);
    }
    const pkgs = [];
    const pk = rng.int(1, 4);
    for (let k = 0; k < pk; k++) {
      const p = rng.pick(PKG_BAG);
      if (!pkgs.includes(p)) pkgs.push(p);
    }
    hs.push({
      index: h,
      name: `fn${h}`,
      rel: `src/handlers/fn${h}.${kind}`,
      kind,
      area: primaryArea,
      imports,
      pkgs,
      barrel: rng.chance(0.15) ? rng.pick(barrels) : null,
    });
  }
  // Every module is on some handler's init path, so a scan that parses only what handlers reach still
  // parses the whole tree (and meets every deliberate syntax error). Modules no handler reaches are
  // attached, entry points first, to a handler of their own area.
  // A file with a syntax error is a dead end for a scanner (its imports cannot be trusted), so it does
  // not make anything reachable. Unit order (modules, barrels, handlers) decides which files are broken.
  const isBroken = (unitIndex) => unitIndex % 100 === BROKEN_AT;
  const reached = new Set();
  const visit = (start) => {
    const stack = [start];
    while (stack.length > 0) {
      const i = stack.pop();
      if (reached.has(i)) continue;
      reached.add(i);
      const m = mods[i];
      if (isBroken(i)) continue;
      stack.push(...m.imports);
      if (m.barrelImport) stack.push(...m.barrelImport.members.map((x) => x.index));
    }
  };
  for (const h of hs) {
    if (isBroken(mods.length + barrels.length + h.index)) continue;
    h.imports.forEach(visit);
    if (h.barrel) h.barrel.members.forEach((x) => visit(x.index));
  }
  // A barrel nobody imports is unreachable too: give it to a handler that has none (before the module
  // loop below, so the barrel's members already count as reached there).
  const liveHandlers = () => hs.filter((h) => !isBroken(mods.length + barrels.length + h.index));
  for (const b of barrels) {
    const used =
      hs.some((h) => h.barrel === b && !isBroken(mods.length + barrels.length + h.index)) ||
      mods.some((m) => m.barrelImport === b && reached.has(m.index) && !isBroken(m.index));
    if (used) continue;
    const free = liveHandlers().filter((h) => !h.barrel);
    if (free.length === 0) continue;
    rng.pick(free).barrel = b;
    b.members.forEach((x) => visit(x.index));
  }
  const byPos = mods.slice().sort((a, b) => a.pos - b.pos || a.index - b.index);
  for (const m of byPos) {
    if (reached.has(m.index)) continue;
    const open = hs.filter((h) => h.imports.length < 9 && !isBroken(mods.length + barrels.length + h.index));
    const same = open.filter((h) => h.area === m.area);
    const target = rng.pick(same.length > 0 ? same : open);
    target.imports.push(m.index);
    visit(m.index);
  }
  return { mods, barrels, handlers: hs };
}

// ---------------------------------------------------------------- code blocks

/**
 * Picks one collaborator expression and remembers it was used. TypeScript (and esbuild) drop an import
 * whose bindings are never used as values, so every import must be used somewhere or it is not init.
 */
function useCall(rng, calls) {
  const c = rng.pick(calls);
  (calls.used ??= new Set()).add(c);
  return c;
}

/** The expressions not used yet, as a function that references them all (keeps each import live). */
function wireBlock(name, calls, ts) {
  const left = calls.filter((c) => !calls.used?.has(c));
  if (left.length === 0) return [];
  return [
    `/** Collaborators this module wires together. */`,
    `export function ${name}()${ts ? ': unknown[]' : ''} {`,
    `  return [`,
    ...left.map((c) => `    ${c},`),
    `  ];`,
    `}`,
    '',
  ];
}

/** Each block returns an array of lines; `ts` false emits plain JavaScript. */
function interfaceBlock(rng, name) {
  const fields = rng.sample(FIELDS, rng.int(4, 10));
  return [
    `/** ${name}: persisted shape. */`,
    `export interface ${name} {`,
    ...fields.map((f) => `  ${f}${rng.chance(0.25) ? '?' : ''}: ${rng.pick(FIELD_TYPES)};`),
    '}',
    '',
  ];
}

function enumBlock(rng, name) {
  const vals = rng.sample(STATUSES, rng.int(3, 6));
  return [`export enum ${name} {`, ...vals.map((v) => `  ${v} = '${v.toLowerCase()}',`), '}', ''];
}

function typeAliasBlock(rng, name) {
  const a = rng.sample(FIELDS, 3);
  return [
    `export type ${name} =`,
    `  | { kind: 'a'; ${a[0]}: string }`,
    `  | { kind: 'b'; ${a[1]}: number; ${a[2]}?: boolean }`,
    `  | { kind: 'c'; payload: Record<string, unknown> };`,
    '',
  ];
}

function functionBlock(rng, name, ts, { exported = true, calls = [] } = {}) {
  const T = (s) => (ts ? s : '');
  const items = rng.pick(['items', 'records', 'rows', 'entries']);
  const acc = rng.pick(['total', 'sum', 'count', 'score']);
  const f = rng.pick(FIELDS);
  const lines = [
    `/**`,
    ` * ${rng.pick(VERBS)}s ${rng.pick(NOUNS)} ${items} by ${f}.`,
    ` * @param ${items} input rows`,
    ` */`,
    `${exported ? 'export ' : ''}function ${name}(${items}${T(': ReadonlyArray<Record<string, any>>')}, limit${T(': number')} = ${rng.int(10, 500)})${T(': { ' + acc + ': number; kept: Record<string, any>[] }')} {`,
    `  let ${acc} = 0;`,
    `  const kept${T(': Record<string, any>[]')} = [];`,
    `  for (let i = 0; i < ${items}.length && i < limit; i++) {`,
    `    const row = ${items}[i];`,
    `    if (!row || row.${f} === undefined) {`,
    `      continue;`,
    `    } else if (typeof row.${f} === 'number') {`,
    `      ${acc} += row.${f} * ${rng.int(2, 9)};`,
    `    } else {`,
    `      ${acc} += String(row.${f}).length;`,
    `    }`,
  ];
  if (rng.chance(0.6)) {
    lines.push(
      `    switch (row.status) {`,
      `      case '${rng.pick(STATUSES).toLowerCase()}':`,
      `        kept.push({ ...row, flagged: true });`,
      `        break;`,
      `      case '${rng.pick(STATUSES).toLowerCase()}':`,
      `        ${acc} -= 1;`,
      `        break;`,
      `      default:`,
      `        kept.push(row);`,
      `    }`,
    );
  } else {
    lines.push(`    if (${acc} > ${rng.int(100, 10000)}) break;`, `    kept.push(row);`);
  }
  lines.push(`  }`);
  if (calls.length > 0 && rng.chance(0.7)) lines.push(`  void ${useCall(rng, calls)};`);
  if (rng.chance(0.4)) {
    lines.push(`  try {`, `    kept.sort((a, b) => String(a.${f}).localeCompare(String(b.${f})));`, `  } catch (err) {`, `    ${acc} = -1;`, `  }`);
  }
  lines.push(`  return { ${acc}, kept };`, `}`, '');
  return lines;
}

function classBlock(rng, name, ts, { typeName, calls = [] } = {}) {
  const T = (s) => (ts ? s : '');
  const rec = typeName && ts ? typeName : 'Record<string, any>';
  const methods = rng.int(2, 5);
  const lines = [
    `export class ${name} {`,
    ts ? `  private readonly cache = new Map<string, ${rec}>();` : `  cache = new Map();`,
    ts ? `  private hits = 0;` : `  hits = 0;`,
    '',
    `  constructor(${ts ? 'private readonly ' : ''}tableName${T(': string')} = process.env.TABLE_NAME ?? '${rng.pick(NOUNS)}s') {${ts ? '' : '\n    this.tableName = tableName;'}`,
    `  }`,
    '',
  ];
  for (let k = 0; k < methods; k++) {
    const verb = rng.pick(VERBS);
    const f = rng.pick(FIELDS);
    const asyncM = rng.chance(0.4);
    lines.push(
      `  ${asyncM ? 'async ' : ''}${verb}${pascal(rng.pick(NOUNS))}${k}(key${T(': string')}, input${T(`: Partial<${rec}>`)})${T(asyncM ? `: Promise<${rec} | undefined>` : `: ${rec} | undefined`)} {`,
      `    const hit = this.cache.get(key);`,
      `    if (hit) {`,
      `      this.hits++;`,
      `      return hit;`,
      `    }`,
      `    const next = { ...input, ${f}: (input${ts ? ' as any' : ''}).${f} ?? null }${ts ? ` as unknown as ${rec}` : ''};`,
      `    for (const [k, v] of Object.entries(next)) {`,
      `      if (v === undefined) delete (next${ts ? ' as any' : ''})[k];`,
      `    }`,
    );
    if (asyncM) lines.push(`    await Promise.resolve();`);
    if (calls.length > 0 && rng.chance(0.3)) lines.push(`    void ${useCall(rng, calls)};`);
    lines.push(`    this.cache.set(key, next);`, `    return next;`, `  }`, '');
  }
  lines.push(`  get size()${T(': number')} {`, `    return this.cache.size + this.hits;`, `  }`, `}`, '');
  return lines;
}

function constBlock(rng, name) {
  const n = rng.int(3, 8);
  const lines = [`export const ${name} = Object.freeze({`];
  for (let k = 0; k < n; k++) lines.push(`  ${rng.pick(FIELDS)}${k}: ${rng.chance(0.5) ? rng.int(0, 9999) : `'${rng.pick(NOUNS)}'`},`);
  lines.push('});', '');
  return lines;
}

function lazyImportBlock(rng, name, ts) {
  const pkg = rng.pick(LAZY_PACKAGES);
  return [
    `export async function ${name}(input${ts ? ': unknown' : ''}) {`,
    `  // Loaded on first use only: not on the init path.`,
    `  const mod = await import('${pkg}');`,
    `  return (mod${ts ? ' as any' : ''}).default ? (mod${ts ? ' as any' : ''}).default : mod;`,
    `}`,
    '',
  ];
}

// Deliberate syntax errors (one every ~100 files): each breaks the parse in a different way.
const SYNTAX_ERRORS = [
  ['export function brokenParse(a: number {', '  return a +;', '}'],
  ['const broken = {', "  key: 'value',,", '  other: ]', ''],
  ['export class Broken {', '  method() {', '    if (x > ) {', '  }', ''],
  ['export const half = (a, b => a * b;', ''],
  ['import { ok from "./nowhere";', ''],
];

// ---------------------------------------------------------------- file writers

function specifierFor(fromRel, toRel, rng, { alias = true, ext = 'none' } = {}) {
  // `@lib/*` alias for lib targets (sometimes), otherwise relative.
  let spec;
  const noExt = toRel.replace(/\.(ts|js|mjs)$/, '');
  if (alias && toRel.startsWith('src/lib/') && rng.chance(0.35)) {
    spec = '@lib/' + noExt.slice('src/lib/'.length);
  } else {
    spec = path.posix.relative(path.posix.dirname(fromRel), noExt);
    if (!spec.startsWith('.')) spec = './' + spec;
  }
  if (spec.endsWith('/index')) spec = spec.slice(0, -'/index'.length);
  else if (ext === 'js') spec += '.js';
  return spec;
}

function writeModule(rng, m, plan, budget, brokenKind) {
  const lines = [`// ${m.rel}: generated by bench/generate-service.mjs`, ''];
  const calls = [];
  for (const p of m.pkgs) {
    lines.push(p.esm);
    calls.push(p.use);
  }
  for (const j of m.imports) {
    const t = plan.mods[j];
    const spec = specifierFor(m.rel, t.rel, rng);
    const names = rng.chance(0.5) ? [t.exports.fn, t.exports.cls] : [t.exports.fn];
    lines.push(`import { ${names.join(', ')} } from '${spec}';`);
    calls.push(`${t.exports.fn}([], 1)`);
    if (names.length > 1) calls.push(`new ${t.exports.cls}().size`);
  }
  for (const j of m.typeImports) {
    const t = plan.mods[j];
    lines.push(`import type { ${t.exports.type} } from '${specifierFor(m.rel, t.rel, rng)}';`);
  }
  if (m.barrelImport && m.barrelImport.members.length > 0) {
    const b = m.barrelImport;
    const mem = b.members[0];
    lines.push(`import { ${mem.exports.fn} as ${mem.exports.fn}FromBarrel } from '@lib/${b.area}';`);
    calls.push(`${mem.exports.fn}FromBarrel([], 1)`);
  }
  lines.push('');
  // Module-scope work (init side effects) in some modules.
  const client = m.pkgs.find((p) => p.client || p.v2);
  if (client && rng.chance(0.6)) lines.push(`export const sharedClient = ${client.use};`, '');
  if (rng.chance(0.1))
    lines.push(
      `const CONFIG_JSON = JSON.parse(process.env.APP_CONFIG ?? '{}');`,
      `export const featureFlags${m.index} = Object.keys(CONFIG_JSON);`,
      '',
    );

  lines.push(...interfaceBlock(rng, m.exports.type));
  lines.push(...enumBlock(rng, m.exports.enm));
  lines.push(...constBlock(rng, m.exports.konst));
  lines.push(...functionBlock(rng, m.exports.fn, true, { calls }));
  lines.push(...classBlock(rng, m.exports.cls, true, { typeName: m.exports.type, calls }));
  if (brokenKind !== undefined) lines.push(...SYNTAX_ERRORS[brokenKind % SYNTAX_ERRORS.length], '');
  let k = 0;
  const wireReserve = calls.length + 6; // the wire block at the end
  while (lines.length < budget - wireReserve) {
    const r = rng.next();
    const name = `${m.exports.fn}Extra${k++}`;
    if (r < 0.45) lines.push(...functionBlock(rng, name, true, { calls, exported: rng.chance(0.6) }));
    else if (r < 0.7) lines.push(...classBlock(rng, pascal(name), true, { typeName: m.exports.type, calls }));
    else if (r < 0.82) lines.push(...interfaceBlock(rng, pascal(name) + 'Shape'));
    else if (r < 0.9) lines.push(...typeAliasBlock(rng, pascal(name) + 'Variant'));
    else if (r < 0.95) lines.push(...lazyImportBlock(rng, name + 'Lazy', true));
    else lines.push(...constBlock(rng, name.toUpperCase()));
  }
  lines.push(...wireBlock(`wire${m.exports.cls}`, calls, true));
  return lines.join('\n') + '\n';
}

function writeBarrel(b) {
  const lines = [`// ${b.rel}: barrel generated by bench/generate-service.mjs`, ''];
  for (const m of b.members) lines.push(`export * from './${path.posix.basename(m.rel, '.ts')}';`);
  lines.push('');
  return lines.join('\n');
}

function writeHandler(rng, h, plan, budget, brokenKind) {
  const ts = h.kind === 'ts';
  const cjs = h.kind === 'js';
  const T = (s) => (ts ? s : '');
  const lines = [`// ${h.rel}: Lambda handler generated by bench/generate-service.mjs`];
  if (cjs) lines.push(`'use strict';`);
  lines.push('');
  const calls = [];
  const pkgUses = [];
  for (const p of h.pkgs) {
    lines.push(cjs ? p.cjs : p.esm);
    pkgUses.push(p.use);
  }
  if (ts) lines.push(`import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';`);
  for (const j of h.imports) {
    const t = plan.mods[j];
    const spec = specifierFor(h.rel, t.rel, rng, { alias: !cjs, ext: h.kind === 'mjs' ? 'js' : 'none' });
    if (cjs) lines.push(`const { ${t.exports.fn}, ${t.exports.cls} } = require('${spec}');`);
    else lines.push(`import { ${t.exports.fn}, ${t.exports.cls} } from '${spec}';`);
    calls.push(`${t.exports.fn}(rows, ${rng.int(5, 50)})`);
  }
  if (ts && rng.chance(0.6)) {
    const t = plan.mods[rng.pick(h.imports)];
    lines.push(`import type { ${t.exports.type} } from '${specifierFor(h.rel, t.rel, rng)}';`);
  }
  if (h.barrel && h.barrel.members.length === 0) {
    const spec = cjs ? `../lib/${h.barrel.area}` : h.kind === 'mjs' ? `@lib/${h.barrel.area}/index.js` : `@lib/${h.barrel.area}`;
    lines.push(cjs ? `require('${spec}');` : `import '${spec}';`);
  } else if (h.barrel) {
    const mem = h.barrel.members[0];
    const spec = cjs ? `../lib/${h.barrel.area}` : h.kind === 'mjs' ? `@lib/${h.barrel.area}/index.js` : `@lib/${h.barrel.area}`;
    lines.push(cjs ? `const { ${mem.exports.fn} } = require('${spec}');` : `import { ${mem.exports.fn} } from '${spec}';`);
    calls.push(`${mem.exports.fn}(rows, 1)`);
  }
  lines.push('');

  // Module scope: client created once (good) or inside the handler (re-created per call, a finding).
  const clientPkg = h.pkgs.find((p) => p.client);
  const clientInside = clientPkg && rng.chance(0.4);
  if (clientPkg && !clientInside) lines.push(`const client = ${clientPkg.use};`);
  const v2 = h.pkgs.find((p) => p.v2);
  if (v2) lines.push(`const documentClient = new AWS.DynamoDB.DocumentClient();`);
  if (h.kind === 'mjs' && rng.chance(0.5)) {
    lines.push(`// Top-level await: runs during INIT.`, `const config = await Promise.resolve(JSON.parse(process.env.APP_CONFIG ?? '{}'));`);
  } else {
    lines.push(`const config = JSON.parse(process.env.APP_CONFIG ?? '{}');`);
  }
  lines.push('');

  // Helper code so handlers have realistic size, then the handler last.
  let k = 0;
  const helperNames = [];
  const headerLen = lines.length;
  while (lines.length - headerLen < budget - 40) {
    const name = `${h.name}Step${k++}`;
    helperNames.push(name);
    lines.push(...functionBlock(rng, name, ts, { exported: false, calls: [] }));
    if (rng.chance(0.25)) lines.push(...(ts ? interfaceBlock(rng, pascal(name) + 'Input') : []));
  }
  if (brokenKind !== undefined) lines.push(...SYNTAX_ERRORS[brokenKind % SYNTAX_ERRORS.length], '');

  const sig = ts ? `async (event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult>` : `async (event, context)`;
  lines.push(cjs ? `module.exports.handler = ${sig} => {` : `export const handler = ${sig} => {`);
  if (clientInside) lines.push(`  const client = ${clientPkg.use}; // created on every invocation`);
  lines.push(
    `  const body = event && event.body ? JSON.parse(event.body) : {};`,
    `  const rows${T(': Record<string, any>[]')} = Array.isArray(body.items) ? body.items : [];`,
  );
  for (const c of calls) lines.push(`  const r${lines.length} = ${c};`);
  for (const u of pkgUses) if (!(clientPkg && u === clientPkg.use)) lines.push(`  const p${lines.length} = ${u};`);
  if (helperNames.length > 0) lines.push(`  ${rng.pick(helperNames)}(rows);`);
  if (clientPkg && rng.chance(0.6)) {
    const cmd = clientPkg.name.includes('s3')
      ? 'PutObjectCommand'
      : clientPkg.name.includes('sqs')
        ? 'SendMessageCommand'
        : clientPkg.name.includes('secrets')
          ? 'GetSecretValueCommand'
          : 'PutCommand';
    lines.push(
      `  for (const row of rows) {`,
      `    // N+1: one round trip per row`,
      `    await client.send(new ${cmd}({ Input: row }${ts ? ' as any' : ''}));`,
      `  }`,
    );
  }
  if (v2 && rng.chance(0.7)) lines.push(`  await documentClient.put({ TableName: 't', Item: body }).promise();`);
  if (rng.chance(0.25)) {
    const pkg = rng.pick(LAZY_PACKAGES);
    lines.push(cjs ? `  const lazy = require('${pkg}'); // lazy: inside the handler` : `  const lazy = await import('${pkg}');`);
    lines.push(`  void lazy;`);
  }
  lines.push(
    `  if (!context) {`,
    `    return { statusCode: 500, body: 'no context' };`,
    `  }`,
    `  return { statusCode: 200, body: JSON.stringify({ ok: true, count: rows.length, config: Object.keys(config).length }) };`,
    `};`,
    '',
  );
  return lines.join('\n');
}

function serverlessYml(plan, service) {
  const out = [
    `service: ${service}`,
    `frameworkVersion: '3'`,
    '',
    'provider:',
    '  name: aws',
    '  runtime: nodejs20.x',
    '  architecture: x86_64',
    '  memorySize: 1024',
    '  stage: ${opt:stage, "dev"}',
    '  region: us-east-1',
    '',
    'package:',
    '  individually: true',
    '',
    'functions:',
  ];
  for (const h of plan.handlers) {
    const base = h.rel.replace(/\.(ts|js|mjs)$/, '');
    out.push(`  ${h.name}:`, `    handler: ${base}.handler`);
    if (h.index % 7 === 0) out.push(`    memorySize: ${[256, 512, 1536, 2048][h.index % 4]}`);
    if (h.index % 11 === 0) out.push(`    architecture: arm64`);
    out.push('    events:', `      - httpApi: 'POST /${h.name}'`);
  }
  out.push('');
  return out.join('\n');
}

// ---------------------------------------------------------------- entry

/**
 * Writes the service into `dir` (wiped first) and returns its manifest:
 * { params, generatorVersion, files, sourceFiles, lines, handlers, brokenFiles }.
 */
export function generateService(dir, { modules = 2000, handlers = 200, targetLines = 300_000, seed = 1 } = {}) {
  if (handlers < 1 || modules < handlers + LIB_AREAS.length + 10) throw new Error(`need modules >= handlers + ${LIB_AREAS.length + 10}`);
  const rng = makeRng(seed);
  const plan = planService(rng, { modules, handlers });
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });

  const files = new Map(); // rel -> text
  // Order: plain modules, barrels, handlers. Budgets converge on targetLines.
  const units = [
    ...plan.mods.map((m) => ({ t: 'mod', m })),
    ...plan.barrels.map((b) => ({ t: 'barrel', m: b })),
    ...plan.handlers.map((h) => ({ t: 'handler', m: h })),
  ];
  let linesLeft = targetLines;
  let unitsLeft = units.filter((u) => u.t !== 'barrel').length;
  let brokenCount = 0;
  const brokenFiles = [];
  let sourceLines = 0;
  units.forEach((u, idx) => {
    let text;
    if (u.t === 'barrel') {
      text = writeBarrel(u.m);
    } else {
      const avg = linesLeft / Math.max(1, unitsLeft);
      const budget = Math.max(30, Math.round(avg * (0.35 + rng.next() * 1.3)));
      const broken = idx % 100 === BROKEN_AT ? brokenCount++ : undefined;
      text = u.t === 'mod' ? writeModule(rng, u.m, plan, budget, broken) : writeHandler(rng, u.m, plan, budget, broken);
      if (broken !== undefined) brokenFiles.push(u.m.rel);
      unitsLeft--;
    }
    const n = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
    linesLeft -= n;
    sourceLines += n;
    files.set(u.m.rel, text);
  });

  files.set('serverless.yml', serverlessYml(plan, 'bench-orders'));
  files.set(
    'tsconfig.json',
    JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          allowJs: true,
          checkJs: false,
          esModuleInterop: true,
          skipLibCheck: true,
          outDir: 'dist',
          baseUrl: '.',
          paths: { '@lib/*': ['src/lib/*'] },
        },
        include: ['src/**/*'],
      },
      null,
      2,
    ) + '\n',
  );
  const deps = [...new Set(PACKAGES.map((p) => (p.name.startsWith('lodash/') ? 'lodash' : p.name))), 'serverless-http'].sort();
  files.set(
    'package.json',
    JSON.stringify(
      {
        name: 'bench-orders',
        version: '1.0.0',
        private: true,
        type: 'commonjs',
        dependencies: Object.fromEntries(deps.map((d) => [d, '*'])),
        devDependencies: { '@types/aws-lambda': '*', serverless: '^3.38.0', typescript: '*' },
      },
      null,
      2,
    ) + '\n',
  );

  const dirs = new Set();
  for (const rel of files.keys()) dirs.add(path.dirname(path.join(dir, rel)));
  for (const d of [...dirs].sort()) mkdirSync(d, { recursive: true });
  for (const [rel, text] of files) writeFileSync(path.join(dir, rel), text);

  const manifest = {
    generatorVersion: GENERATOR_VERSION,
    params: { modules, handlers, targetLines, seed },
    files: files.size + 1,
    sourceFiles: units.length,
    lines: sourceLines,
    handlers: plan.handlers.length,
    handlerKinds: plan.handlers.reduce((a, h) => ((a[h.kind] = (a[h.kind] ?? 0) + 1), a), {}),
    barrels: plan.barrels.length,
    brokenFiles,
  };
  writeFileSync(path.join(dir, MANIFEST), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

/** The manifest of a tree generated earlier with exactly these params, or null. */
export function readManifest(dir, params) {
  const file = path.join(dir, MANIFEST);
  if (!existsSync(file)) return null;
  try {
    const m = JSON.parse(readFileSync(file, 'utf8'));
    if (m.generatorVersion !== GENERATOR_VERSION) return null;
    for (const k of ['modules', 'handlers', 'targetLines', 'seed']) if (m.params?.[k] !== params[k]) return null;
    return m;
  } catch {
    return null;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      modules: { type: 'string', default: '2000' },
      handlers: { type: 'string', default: '200' },
      lines: { type: 'string', default: '300000' },
      seed: { type: 'string', default: '1' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || positionals.length !== 1) {
    console.log('usage: node bench/generate-service.mjs <dir> [--modules 2000] [--handlers 200] [--lines 300000] [--seed 1]');
    process.exit(values.help ? 0 : 2);
  }
  const t0 = performance.now();
  const m = generateService(path.resolve(positionals[0]), {
    modules: Number(values.modules),
    handlers: Number(values.handlers),
    targetLines: Number(values.lines),
    seed: Number(values.seed),
  });
  console.log(
    `${positionals[0]}: ${m.sourceFiles} source files (${m.handlers} handlers ${JSON.stringify(m.handlerKinds)}), ${m.lines} lines, ${m.brokenFiles.length} with syntax errors, ${Math.round(performance.now() - t0)} ms`,
  );
}
