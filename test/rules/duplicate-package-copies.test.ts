import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Catalog } from '../../src/graph/packages.js';
import { scan } from '../../src/index.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/installed-service/', import.meta.url));
const DOC_FIXTURE = fileURLToPath(new URL('../fixtures/duplicate-copies/', import.meta.url));

// perModuleMs 2, perKBMs 10: the second copy of delta (main.js, 27 B) is 2*1 + 10*27/1024 = 2.3 ms.
const catalog: Catalog = {
  measuredAt: '2026-12-02',
  baselineMs: 40,
  packages: [],
  families: [],
  model: {
    fittedAt: '2026-12-02',
    source: 'test',
    importLoaderMs: 0,
    require: { perModuleMs: 2, perKBMs: 10 },
    import: { perModuleMs: 3, perKBMs: 10 },
    bundled: { perModuleMs: 1, perKBMs: 5 },
  },
};

describe('duplicate-package-copies', () => {
  it('reports delta 1.0.0 through alpha and 2.0.0 through beta at the import of beta, with the copy priced', async () => {
    const result = await scan({ root: FIXTURE, catalog, gitignore: false, rules: { disabled: [], options: {} } });
    const main = result.functions.find((f) => f.name === 'main');
    const found = main?.findings.filter((f) => f.ruleId === 'duplicate-package-copies') ?? [];
    expect(found.map((f) => [f.file, f.line, f.column, f.estInitMs])).toEqual([['handler.js', 2, 14, 2.3]]);
    expect(found[0]?.message).toBe(
      "'delta' is loaded twice at init: 1.0.0 (node_modules/alpha/node_modules/delta) through 'alpha' (handler.js:1) and " +
        "2.0.0 (node_modules/delta) through 'beta' (handler.js:2); the second copy costs ~2.3 ms of INIT (1 modules, 0 KB). " +
        "Align the versions so one copy serves both (npm dedupe, an overrides/resolutions entry, or a compatible upgrade of 'beta').",
    );
    // The ESM handler reaches delta 2.0.0 only (through beta): one copy, nothing to report.
    const esm = result.functions.find((f) => f.name === 'esm');
    expect(esm?.findings.filter((f) => f.ruleId === 'duplicate-package-copies')).toEqual([]);
  });

  it('a package imported directly and nested under another dependency: reported at the import that brings the old copy', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'lm-dup-'));
    try {
      cpSync(DOC_FIXTURE, dir, { recursive: true });
      writeFileSync(
        path.join(dir, 'serverless.yml'),
        'service: orders\nprovider:\n  name: aws\n  runtime: nodejs20.x\nfunctions:\n  create:\n    handler: handler.handler\n',
      );
      writeFileSync(
        path.join(dir, 'handler.js'),
        "const { v4 } = require('uuid');\nconst audit = require('@acme/audit-log');\n\nexports.handler = async (e) => { audit.log(e.type); return { id: v4() }; };\n",
      );
      const result = await scan({ root: dir, catalog, gitignore: false });
      const found = result.functions[0]?.findings.filter((f) => f.ruleId === 'duplicate-package-copies') ?? [];
      // uuid 3.4.0 under @acme/audit-log: index.js (34 B) + v4.js (113 B): 2*2 + 10*147/1024 = 5.4 ms.
      expect(found.map((f) => [f.file, f.line, f.column, f.estInitMs])).toEqual([['handler.js', 2, 15, 5.4]]);
      expect(found[0]?.message).toMatch(
        /^'uuid' is loaded twice at init: 9\.0\.1 \(node_modules\/uuid\) through 'uuid' \(handler\.js:1\) and 3\.4\.0 \(node_modules\/@acme\/audit-log\/node_modules\/uuid\) through '@acme\/audit-log' \(handler\.js:2\); .*a compatible upgrade of '@acme\/audit-log'\)\.$/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
