import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractFacts } from '../../src/graph/facts.js';
import { isClientFactory, parseIoCatalog } from '../../src/graph/io-catalog.js';

const catalogFile = path.join(import.meta.dirname, '..', '..', 'rules', 'catalog', 'io-packages.json');

/** `line:column callee kind` of every call the fact pass classifies as I/O. */
function ioOf(file: string, text: string): string[] {
  const out = extractFacts(file, text);
  if (!out.ok) throw new Error(out.error.message);
  return out.facts.calls.filter((c) => c.io !== null).map((c) => `${c.line}:${c.column} ${c.callee} ${c.io}`);
}

describe('rules/catalog/io-packages.json', () => {
  const raw: unknown = JSON.parse(readFileSync(catalogFile, 'utf8'));
  const { entries } = parseIoCatalog(raw);

  it('gives every entry a kind, a source and a date', () => {
    expect(entries.length).toBeGreaterThan(60);
    for (const e of entries) {
      expect(e.source.length, e.name).toBeGreaterThan(10);
      expect(e.date, e.name).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    expect(new Set(entries.map((e) => e.name)).size).toBe(entries.length);
  });

  it('lists the SaaS and database SDKs real handlers use', () => {
    const names = new Set(entries.map((e) => e.name));
    for (const n of [
      'algoliasearch',
      'amazon-qldb-driver-nodejs',
      'stripe',
      'twilio',
      '@sendgrid/mail',
      '@elastic/elasticsearch',
      '@opensearch-project/opensearch',
      '@google-cloud/firestore',
      'firebase-admin',
      '@prisma/client',
      'kysely',
    ]) {
      expect(names.has(n), n).toBe(true);
    }
  });

  it('rejects an entry without a source', () => {
    expect(() => parseIoCatalog({ packages: [{ name: 'x', kind: 'sdk', date: '2026-01-01' }] })).toThrow(/'source' must be a non-empty string/);
    expect(() => parseIoCatalog({ packages: [{ name: 'x', kind: 'nope', source: 'somewhere', date: '2026-01-01' }] })).toThrow(/unknown kind 'nope'/);
  });

  it('knows client factories from the data', () => {
    expect(isClientFactory('amazon-qldb-driver-nodejs', 'QldbDriver', true)).toBe(true);
    expect(isClientFactory('algoliasearch', 'algoliasearch', false)).toBe(true);
    expect(isClientFactory('@elastic/elasticsearch', 'Client', true)).toBe(true);
    expect(isClientFactory('pg', 'Pool', true)).toBe(true);
    expect(isClientFactory('mysql2/promise', 'mysql.createPool', false)).toBe(true);
    expect(isClientFactory('axios', 'axios.create', false)).toBe(true);
    expect(isClientFactory('axios', 'axios.get', false)).toBe(false);
    expect(isClientFactory('@aws-sdk/client-s3', 'S3Client', true)).toBe(true);
    expect(isClientFactory('@aws-sdk/client-s3', 'GetObjectCommand', true)).toBe(false);
  });
});

describe('SaaS and database SDK calls in handlers', () => {
  it('Stripe, Twilio and SendGrid: resource methods are I/O, configuration and local helpers are not', () => {
    expect(
      ioOf(
        'notify.js',
        [
          "const Stripe = require('stripe');",
          "const twilio = require('twilio');",
          "const sgMail = require('@sendgrid/mail');",
          'const stripe = new Stripe(process.env.STRIPE_KEY);',
          'const sms = twilio(process.env.SID, process.env.TOKEN);',
          'sgMail.setApiKey(process.env.SENDGRID_KEY);',
          'exports.handler = async (event) => {',
          "  const evt = stripe.webhooks.constructEvent(event.body, event.headers['stripe-signature'], 'whsec');",
          '  const customer = await stripe.customers.create({ email: evt.data.object.email });',
          "  await sms.messages.create({ to: customer.phone, from: '+1555', body: 'paid' });",
          "  await sgMail.send({ to: customer.email, from: 'shop@example.com', subject: 'Receipt' });",
          '};',
        ].join('\n'),
      ),
    ).toEqual(['9:26 stripe.customers.create sdk', '10:9 sms.messages.create sdk', '11:9 sgMail.send sdk']);
  });

  it('Algolia v4 (initIndex builds), Elasticsearch and OpenSearch clients', () => {
    expect(
      ioOf(
        'search.ts',
        [
          "import algoliasearch from 'algoliasearch';",
          "import { Client } from '@elastic/elasticsearch';",
          "import { Client as OpenSearch } from '@opensearch-project/opensearch';",
          'const algolia = algoliasearch(process.env.APP_ID!, process.env.KEY!);',
          'const es = new Client({ node: process.env.ES_URL });',
          'const os = new OpenSearch({ node: process.env.OS_URL });',
          'export async function handler(event: { q: string }) {',
          "  const index = algolia.initIndex('products');",
          '  const hits = await index.search(event.q);',
          "  await es.index({ index: 'queries', document: { q: event.q } });",
          "  return os.search({ index: 'logs', body: { query: { match: { q: event.q } } } }).then((r) => [hits, r]);",
          '}',
        ].join('\n'),
      ),
    ).toEqual(['9:22 index.search sdk', '10:9 es.index database', '11:10 os.search database']);
  });

  it('Firestore: references are built, get/set run; runTransaction passes a transaction', () => {
    expect(
      ioOf(
        'users.js',
        [
          "const admin = require('firebase-admin');",
          'admin.initializeApp();',
          'const db = admin.firestore();',
          'exports.handler = async (event) => {',
          "  const ref = db.collection('users').doc(event.id);",
          '  const snap = await ref.get();',
          "  await db.collection('audit').doc().set({ at: Date.now() });",
          '  await db.runTransaction(async (tx) => {',
          '    const doc = await tx.get(ref);',
          '    tx.update(ref, { visits: (doc.data().visits ?? 0) + 1 });',
          '  });',
          '  return snap.data();',
          '};',
        ].join('\n'),
      ),
    ).toEqual([
      '6:22 ref.get sdk',
      '7:9 db.collection().doc().set sdk',
      '8:9 db.runTransaction sdk',
      '9:23 tx.get sdk',
      '10:5 tx.update sdk',
      // `snap` is what `await ref.get()` returned: data, so `snap.data()` is not I/O.
    ]);
  });

  it('Prisma and Kysely: the model call and the terminal execute are I/O, one per chain; $transaction and transaction().execute pass tx', () => {
    expect(
      ioOf(
        'orders.ts',
        [
          "import { PrismaClient } from '@prisma/client';",
          "import { Kysely, PostgresDialect } from 'kysely';",
          'const prisma = new PrismaClient();',
          'const db = new Kysely<{ person: { id: number } }>({ dialect: new PostgresDialect({}) });',
          'export async function handler(event: { id: number }) {',
          '  const user = await prisma.user.findUnique({ where: { id: event.id } });',
          "  const people = await db.selectFrom('person').selectAll().where('id', '=', event.id).execute();",
          "  const query = db.selectFrom('person').select('id');",
          '  await prisma.$transaction(async (tx) => tx.order.create({ data: { userId: user.id } }));',
          "  await db.transaction().execute(async (trx) => trx.insertInto('person').values({ id: 1 }).executeTakeFirst());",
          '  return [people, query];',
          '}',
        ].join('\n'),
      ),
    ).toEqual([
      '6:22 prisma.user.findUnique database',
      '7:24 db.selectFrom().selectAll().where().execute database',
      '9:9 prisma.$transaction database',
      '9:43 tx.order.create database',
      '10:9 db.transaction().execute database',
      '10:49 trx.insertInto().values().executeTakeFirst database',
    ]);
  });
});
