import { describe, expect, it } from 'vitest';
import { arcHttpName } from '../../src/discover/architect.js';
import { discoverFixture } from './helpers.js';

describe('Architect folder names', () => {
  it('follows the naming rule for routes', () => {
    expect(arcHttpName('get', '/')).toBe('get-index');
    expect(arcHttpName('GET', '/docs/:lang/*')).toBe('get-docs-000lang-catchall');
    expect(arcHttpName('post', '/api/v1/notes')).toBe('post-api-v1-notes');
    expect(arcHttpName('put', '/legacy-api')).toBe('put-legacy_api');
  });
});

describe('discover: Architect app.arc', async () => {
  const result = await discoverFixture('discover-architect');
  const byName = (name: string) => result.functions.find((f) => f.name === name);

  it('lists @http, @events, @scheduled and @queues functions (not @tables)', () => {
    expect(result.iacFiles).toEqual(['app/app.arc']);
    expect(result.functions.map((f) => [f.id, f.declaredIn.line, f.handler.file])).toEqual([
      ['app/app.arc#daily', 21, 'app/src/scheduled/daily/index.ts'],
      ['app/app.arc#get-docs-000lang-catchall', 11, 'app/src/http/get-docs-000lang-catchall/index.mjs'],
      ['app/app.arc#get-index', 10, 'app/src/http/get-index/index.mjs'],
      ['app/app.arc#hit-counter', 18, 'app/src/events/hit-counter/index.js'],
      ['app/app.arc#jobs', 24, null],
      ['app/app.arc#post-notes', 12, 'app/src/http/post-notes/index.js'],
      ['app/app.arc#put-legacy_api', 13, 'app/lib/legacy/index.js'],
    ]);
  });

  it('applies @aws settings, a per-function config.arc, and Architect defaults', () => {
    expect(byName('daily')).toMatchObject({ runtime: 'nodejs20.x', architecture: 'arm64', memoryMB: 1024, timeoutS: 30 });
    expect(byName('get-index')).toMatchObject({ runtime: 'nodejs20.x', architecture: 'arm64', memoryMB: 512, timeoutS: 6 });
  });

  it('says handler_not_found for a declared function without its folder', () => {
    expect(byName('jobs')?.handler).toEqual({
      file: null,
      export: 'handler',
      declared: 'app/src/queues/jobs/index.handler',
      mapping: 'unresolved',
      mappingNote: "no index file in app/src/queues/jobs (Architect's folder for jobs)",
      reason: 'handler_not_found',
    });
  });
});
