import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../../src/index.js';
import { fixtures } from './helpers.js';

describe('handlers that are call results, re-exports and CommonJS assignments', async () => {
  const result = await scan({ root: path.join(fixtures, 'discover-handler-shapes') });
  const rows = result.functions
    .map((f) => [f.name, f.handler.file, f.handler.export, f.handler.line])
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])));

  it('finds the export and its line for every shape', () => {
    expect(rows).toEqual([
      ['cjsExports', 'functions/cjs-exports.js', 'handler', 3],
      ['cjsModule', 'functions/cjs-module.cjs', 'handler', 6],
      ['createUser', 'functions/users.ts', 'create', 5],
      ['deleteUser', 'functions/users.ts', 'remove', 10],
      ['express', 'functions/express.js', 'handler', 7],
      ['factory', 'functions/factory.ts', 'handler', 3],
      ['getUser', 'functions/users.ts', 'get', 4],
      ['listUsers', 'functions/users.ts', 'list', 3],
      ['middy', 'functions/middy.ts', 'handler', 6],
      ['privatePing', 'functions/ping.ts', 'handler', 1],
      ['publicPing', 'functions/ping.ts', 'handler', 1],
      ['renamed', 'functions/renamed.ts', 'handler', 3],
      ['stream', 'functions/stream.mjs', 'handler', 3],
      ['updateUser', 'functions/users.ts', 'update', 8],
      ['vendia', 'functions/vendia.ts', 'handler', 4],
    ]);
    expect(result.warnings).toEqual([]);
  });

  it('one module serving five functions: each pays for all of its init imports', () => {
    const users = result.functions.filter((f) => f.handler.file === 'functions/users.ts');
    expect(users.map((f) => f.init?.files)).toEqual(Array(5).fill(['functions/users.ts', 'functions/lib/db.ts']));
  });

  it('one handler serving two functions keeps both, each with its own settings', () => {
    const pings = result.functions
      .filter((f) => f.handler.file === 'functions/ping.ts')
      .map((f) => [f.name, f.memoryMB, f.defaulted?.includes('memoryMB') ?? false]);
    // publicPing declares no memory: Serverless's default 1024 MB, marked as a default.
    expect(pings.sort()).toEqual([
      ['privatePing', 256, false],
      ['publicPing', 1024, true],
    ]);
  });
});
