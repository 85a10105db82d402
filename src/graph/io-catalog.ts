/**
 * Which packages do I/O, and what a client constructor looks like. Used by the single-pass fact
 * extractor to classify calls without a type checker: a call is I/O when its receiver is bound
 * (through imports and simple assignments) to one of these packages.
 */

export type IoKind = 'aws-sdk-v3' | 'aws-sdk-v2' | 'http' | 'database' | 'fs' | 'child_process' | 'sdk';

const IO_PACKAGES: ReadonlyMap<string, IoKind> = new Map<string, IoKind>([
  ['aws-sdk', 'aws-sdk-v2'],
  ['axios', 'http'],
  ['got', 'http'],
  ['node-fetch', 'http'],
  ['undici', 'http'],
  ['superagent', 'http'],
  ['request', 'http'],
  ['http', 'http'],
  ['https', 'http'],
  ['http2', 'http'],
  ['pg', 'database'],
  ['pg-promise', 'database'],
  ['postgres', 'database'],
  ['mysql', 'database'],
  ['mysql2', 'database'],
  ['mysql2/promise', 'database'],
  ['mongoose', 'database'],
  ['mongodb', 'database'],
  ['ioredis', 'database'],
  ['redis', 'database'],
  ['knex', 'database'],
  ['@prisma/client', 'database'],
  ['typeorm', 'database'],
  ['sequelize', 'database'],
  ['dynamoose', 'database'],
  ['fs', 'fs'],
  ['fs/promises', 'fs'],
  ['child_process', 'child_process'],
  ['stripe', 'sdk'],
  ['@octokit/rest', 'sdk'],
  ['@octokit/core', 'sdk'],
  ['@slack/web-api', 'sdk'],
  ['twilio', 'sdk'],
  ['@sendgrid/mail', 'sdk'],
  ['firebase-admin', 'sdk'],
  ['@google-cloud/storage', 'sdk'],
  ['@aws-lambda-powertools/parameters', 'aws-sdk-v3'],
]);

/** Strips the `node:` scheme so `node:fs` and `fs` are one thing. */
export function normalizeBuiltin(specifier: string): string {
  return specifier.startsWith('node:') ? specifier.slice(5) : specifier;
}

export function ioKindOfModule(specifier: string): IoKind | null {
  const s = normalizeBuiltin(specifier);
  if (s.startsWith('@aws-sdk/client-') || s === '@aws-sdk/lib-dynamodb' || s.startsWith('@aws-sdk/lib-')) return 'aws-sdk-v3';
  if (s.startsWith('aws-sdk/')) return 'aws-sdk-v2';
  return IO_PACKAGES.get(s) ?? null;
}

/**
 * Method names on an I/O-bound receiver that do not themselves perform I/O (builders, config,
 * constructors of commands). Calling them is not an I/O call.
 */
const NON_IO_METHODS: ReadonlySet<string> = new Set([
  'from',
  'config',
  'middlewareStack',
  'destroy',
  'on',
  'once',
  'off',
  'use',
  'extend',
  'create',
  'defaults',
  'interceptors',
  'isAxiosError',
  'isCancel',
  'join',
  'resolve',
  'basename',
  'dirname',
  'extname',
  'Schema',
  'model',
  'raw',
  'marshall',
  'unmarshall',
]);

export function isIoMethod(method: string): boolean {
  return !NON_IO_METHODS.has(method);
}

/**
 * Constructors and factories that create a network/database client. Creating one per request
 * repeats the TLS handshake, credential resolution and connection setup on every invocation.
 */
export function isClientFactory(packageName: string, calleeName: string, isNew: boolean): boolean {
  const pkg = normalizeBuiltin(packageName);
  if (pkg.startsWith('@aws-sdk/client-')) return isNew && calleeName.endsWith('Client');
  if (pkg === '@aws-sdk/lib-dynamodb') return calleeName === 'DynamoDBDocumentClient.from' || calleeName === 'DynamoDBDocument.from';
  if (pkg === 'aws-sdk' || pkg.startsWith('aws-sdk/')) return isNew;
  if (pkg === 'pg') return isNew && (calleeName.endsWith('Pool') || calleeName.endsWith('Client'));
  if (pkg === 'mysql2' || pkg === 'mysql2/promise' || pkg === 'mysql') {
    return /(^|\.)create(Pool|Connection)$/.test(calleeName);
  }
  if (pkg === 'ioredis') return isNew;
  if (pkg === 'redis') return /(^|\.)createClient$/.test(calleeName);
  if (pkg === 'mongoose') return /(^|\.)(connect|createConnection)$/.test(calleeName);
  if (pkg === 'mongodb') return isNew && calleeName.endsWith('MongoClient');
  if (pkg === 'knex') return !isNew && (calleeName === 'knex' || calleeName === 'Knex' || !calleeName.includes('.'));
  if (pkg === '@prisma/client') return isNew && calleeName.endsWith('PrismaClient');
  if (pkg === 'stripe') return isNew || !calleeName.includes('.');
  if (pkg.startsWith('@octokit/')) return isNew;
  if (pkg === 'axios') return /(^|\.)create$/.test(calleeName);
  return false;
}
