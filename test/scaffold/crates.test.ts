import { describe, expect, it } from 'vitest';
import { dependencyToml, loadCrateVersions, parseCrateVersions, resolveCrates, v2ServiceCrate } from '../../src/scaffold/crates.js';

const versions = loadCrateVersions();
const base = [
  { crate: 'axum', why: 'routing' },
  { crate: 'serde', why: 'types' },
];

describe('crates for a port (rules/catalog/rust-crate-versions.json + the portability mapping)', () => {
  it('every catalog entry has a version, a source and a date', () => {
    expect(versions.size).toBeGreaterThan(10);
    for (const v of versions.values()) {
      expect(v.version, v.crate).toMatch(/^\d+(\.\d+){0,2}$/);
      expect(v.source, v.crate).not.toBe('');
      expect(v.date, v.crate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    expect(() => parseCrateVersions('{"crates":[{"crate":"x"}]}')).toThrow("'version' must be a string");
  });

  it('writes TOML with features and default-features', () => {
    const tokio = versions.get('tokio');
    if (!tokio) throw new Error('tokio must be in the catalog');
    expect(dependencyToml('tokio', tokio)).toBe(`tokio = { version = "${tokio.version}", features = ["macros", "rt-multi-thread"] }`);
    expect(dependencyToml('x', { crate: 'x', version: '1', features: [], source: 's', date: 'd' }, { defaultFeatures: false, features: ['a'] })).toBe(
      'x = { version = "1", default-features = false, features = ["a"] }',
    );
  });

  it('uses the first of alternative crates and offers the others commented; shell crates are not repeated', () => {
    const r = resolveCrates(
      {
        base,
        packages: [
          { package: 'pg', crates: ['tokio-postgres', 'sqlx'], fit: 'close', note: '' },
          { package: 'express', crates: ['axum', 'lambda_http'], fit: 'close', note: '' },
          { package: 'left-pad', crates: [], fit: 'unknown', note: 'not in the catalog' },
          { package: 'made-up', crates: ['no-such-crate'], fit: 'direct', note: '' },
        ],
        sdkV2Services: [],
      },
      versions,
    );
    expect(r.dependencies.map((d) => d.toml.replace(/ = .*/, ''))).toEqual([
      'axum',
      'serde',
      'lambda_http',
      '# no-such-crate',
      'tokio-postgres',
      '# sqlx',
    ]);
    expect(r.dependencies.find((d) => d.crate === 'sqlx')?.why).toBe('or, instead of tokio-postgres for pg:');
    expect(r.dependencies.find((d) => d.crate === 'no-such-crate')?.toml).toBe(
      '# no-such-crate = "?"  # no version in rules/catalog/rust-crate-versions.json: cargo add no-such-crate',
    );
    expect(r.unmapped).toEqual([{ package: 'left-pad', note: 'not in the catalog' }]);
  });

  it('aws-sdk v2: one aws-sdk-<service> crate per service the code creates a client for, plus aws-config', () => {
    const pkg = { package: 'aws-sdk', crates: ['aws-config', 'aws-sdk-*'], fit: 'close' as const, note: '' };
    const r = resolveCrates({ base, packages: [pkg], sdkV2Services: ['DynamoDB', 'StepFunctions'] }, versions);
    expect(r.dependencies.map((d) => d.crate)).toEqual(['axum', 'serde', 'aws-config', 'aws-sdk-dynamodb', 'aws-sdk-sfn']);
    expect(r.sdkClients).toEqual([
      { crate: 'aws-sdk-dynamodb', replaces: 'aws-sdk' },
      { crate: 'aws-sdk-sfn', replaces: 'aws-sdk' },
    ]);
    expect(v2ServiceCrate('SecretsManager')).toBe('aws-sdk-secretsmanager');
    const none = resolveCrates({ base, packages: [pkg], sdkV2Services: [] }, versions);
    expect(none.sdkClients).toEqual([]);
    expect(none.unmapped[0]?.note).toContain('add one aws-sdk-<service> crate per service used');
  });
});
