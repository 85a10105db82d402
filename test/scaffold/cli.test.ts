import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

describe('lambda-migrate scaffold (CLI)', () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'h8-scaffold-cli-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('writes the crate and lists its files on stdout', async () => {
    const out = path.join(tmp, 'orders-api');
    const run = await runCli(['scaffold', 'ordersApi', 'examples/orders-service', '--out', out]);
    expect(run.code).toBe(0);
    expect(run.out.split('\n').filter(Boolean)).toEqual([
      '.gitignore',
      'Cargo.toml',
      'README.md',
      'deploy/serverless.yml',
      'src/core.rs',
      'src/main.rs',
    ]);
    expect(run.err).toContain('wrote 6 files to');
    expect(readFileSync(path.join(out, 'Cargo.toml'), 'utf8')).toContain('name = "orders-api"');
  });

  it('an unknown function is exit 2 with the names to choose from', async () => {
    const run = await runCli(['scaffold', 'nope', 'examples/orders-service', '--out', path.join(tmp, 'x')]);
    expect(run.code).toBe(2);
    expect(run.err).toContain("lambda-migrate: no function 'nope' in examples/orders-service\n");
    expect(run.err).toContain(
      'hint: functions: adminListOrders, adminPurgeOrders, createOrder, generateInvoice, getOrder, health, ordersApi, paymentWebhook, processOrders\n',
    );
    expect(existsSync(path.join(tmp, 'x'))).toBe(false);
  });

  it('never writes into a non-empty directory without --force', async () => {
    const out = path.join(tmp, 'busy');
    mkdirSync(out);
    writeFileSync(path.join(out, 'keep.txt'), 'mine');
    const refused = await runCli(['scaffold', 'health', 'examples/orders-service', '--out', out]);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('exists and is not empty');
    expect(existsSync(path.join(out, 'Cargo.toml'))).toBe(false);
    const forced = await runCli(['scaffold', 'health', 'examples/orders-service', '--out', out, '--force', '--quiet']);
    expect(forced.code).toBe(0);
    expect(forced.err).toBe('');
    expect(readFileSync(path.join(out, 'keep.txt'), 'utf8')).toBe('mine');
    expect(readFileSync(path.join(out, 'src/main.rs'), 'utf8')).toContain('.route("/health", get(get_health))');
  });

  it('--out is required', async () => {
    const run = await runCli(['scaffold', 'health', 'examples/orders-service']);
    expect(run.code).toBe(2);
    expect(run.err).toContain('Missing required argument: out');
  });
});

describe('lambda-migrate scaffold --out on a file', () => {
  it('is exit 2 with a hint', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'h8-scaffold-file-'));
    try {
      const file = path.join(dir, 'taken');
      writeFileSync(file, 'x');
      const run = await runCli(['scaffold', 'health', 'examples/orders-service', '--out', file]);
      expect(run.code).toBe(2);
      expect(run.err).toContain('is a file, not a directory');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
