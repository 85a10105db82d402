/**
 * The generated functional core compiles. The shell (axum, lambda_http, the AWS SDK) cannot be built here: the
 * machine has no crates.io. The core needs only serde and serde_json, which Debian packages as crate sources
 * (librust-serde-json-dev, librust-serde-derive-dev; .ci/run installs them), so cargo builds it offline from
 * /usr/share/cargo/registry. Skipped, with the reason, where cargo or those sources are missing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from './helpers.js';

const DEBIAN_REGISTRY = '/usr/share/cargo/registry';
const GOLDEN = path.join(REPO, 'test/golden/scaffold');
/** Kept between runs (gitignored) so serde_derive is compiled once, not per run. */
const WORK = path.join(REPO, 'test-output/cargo-core');

function cargoVersion(): string | null {
  try {
    return execFileSync('cargo', ['--version'], { stdio: 'pipe' }).toString().trim();
  } catch {
    return null;
  }
}

function debianCrates(): string[] {
  return existsSync(DEBIAN_REGISTRY) ? readdirSync(DEBIAN_REGISTRY) : [];
}

const cargo = cargoVersion();
const crates = debianCrates();
const missing = ['serde-1', 'serde_derive-1', 'serde_json-1'].filter((prefix) => !crates.some((c) => c.startsWith(prefix)));
const skipReason =
  cargo === null
    ? 'cargo is not on PATH'
    : missing.length > 0
      ? `Debian crate sources missing in ${DEBIAN_REGISTRY}: ${missing.join(', ')} (apt-get install librust-serde-json-dev librust-serde-derive-dev)`
      : null;
if (skipReason !== null) {
  console.warn(`skipping the core.rs compile check: ${skipReason}`);
}

const crateDirs = existsSync(GOLDEN) ? readdirSync(GOLDEN).sort() : [];

describe.skipIf(skipReason !== null)('the generated core.rs compiles (cargo, offline, Debian crate sources)', () => {
  it('has golden crates to check', () => {
    expect(crateDirs).toEqual(['orders-service-ordersApi', 'orders-service-processOrders']);
  });

  it.each(crateDirs)(
    '%s: cargo check --all-targets with warnings as errors',
    (dir) => {
      const crate = path.join(WORK, dir);
      mkdirSync(path.join(crate, 'src'), { recursive: true });
      mkdirSync(path.join(crate, '.cargo'), { recursive: true });
      writeFileSync(
        path.join(crate, '.cargo/config.toml'),
        `[source.crates-io]\nreplace-with = "debian"\n\n[source.debian]\ndirectory = "${DEBIAN_REGISTRY}"\n\n[net]\noffline = true\n`,
      );
      writeFileSync(
        path.join(crate, 'Cargo.toml'),
        `[package]\nname = "core-check"\nversion = "0.0.0"\nedition = "2021"\npublish = false\n\n[dependencies]\nserde = { version = "1", features = ["derive"] }\nserde_json = "1"\n`,
      );
      // The generated main.rs includes the core the same way: `#[path = "core.rs"] mod logic;`.
      writeFileSync(path.join(crate, 'src/main.rs'), '#[path = "core.rs"]\nmod logic;\n\nfn main() {}\n');
      writeFileSync(path.join(crate, 'src/core.rs'), readFileSync(path.join(GOLDEN, dir, 'src/core.rs'), 'utf8'));
      let output = '';
      try {
        execFileSync('cargo', ['check', '--offline', '--all-targets', '--quiet'], {
          cwd: crate,
          stdio: 'pipe',
          env: { ...process.env, RUSTFLAGS: '-D warnings', CARGO_TERM_COLOR: 'never' },
        });
      } catch (err) {
        const stderr: unknown = typeof err === 'object' && err !== null ? Reflect.get(err, 'stderr') : undefined;
        output = Buffer.isBuffer(stderr) ? stderr.toString() : String(err);
      }
      expect(output).toBe('');
    },
    300_000,
  );
});
