import { describe, expect, it } from 'vitest';
import { loadCrateVersions } from '../../src/scaffold/crates.js';
import { scaffoldFiles, type ScaffoldInput } from '../../src/scaffold/index.js';
import { toAxumPath } from '../../src/scaffold/paths.js';
import { commentText, hclString, jsString, rustString, snakeIdent, tomlString, UniqueNames, yamlString } from '../../src/scaffold/sanitize.js';
import { fakeFunction, findRustfmt, rustfmtCheck } from './helpers.js';

const HOSTILE = 'evil\r\n*/ fn pwned() {}\u202e"\\`${x}\u2028end';

describe('sanitising untrusted text', () => {
  it('comments: one line, no controls, no bidi marks, no comment terminator', () => {
    const c = commentText(HOSTILE);
    expect(c).not.toMatch(/[\r\n\u2028\u202e]/);
    expect(c).not.toContain('*/');
    expect(c).toBe('evil * / fn pwned() {}"\\`${x}end');
    expect(commentText('x'.repeat(500))).toHaveLength(200);
  });

  it('string literals: quotes and backslashes escaped, everything outside printable ASCII as an escape', () => {
    expect(rustString('a"b\\c\n\u202e')).toBe('"a\\"b\\\\c\\u{a}\\u{202e}"');
    expect(tomlString('a"\u00e9')).toBe('"a\\"\\u00e9"');
    expect(yamlString('a"\n')).toBe('"a\\"\\u000a"');
    expect(jsString("it's")).toBe("'it\\'s'");
    expect(hclString('${var.x} %{if}')).toBe('"$${var.x} %%{if}"');
  });

  it('identifiers: snake_case, never a keyword, never empty or starting with a digit, unique in a scope', () => {
    expect(snakeIdent('getOrders')).toBe('get_orders');
    expect(snakeIdent('/v1/orders/:id')).toBe('v1_orders_id');
    expect(snakeIdent('HTTPServer')).toBe('http_server');
    expect(snakeIdent('type')).toBe('type_');
    expect(snakeIdent('123abc')).toBe('n123abc');
    expect(snakeIdent('\u202e"', 'route')).toBe('route');
    expect(snakeIdent('a'.repeat(80))).toHaveLength(40);
    const names = new UniqueNames(['main']);
    expect([names.take('main'), names.take('get'), names.take('get')]).toEqual(['main_2', 'get', 'get_2']);
  });

  it('paths: express and API Gateway syntax to axum, patterns matched as parameters and reported', () => {
    expect(toAxumPath('/orders/:id')).toMatchObject({ path: '/orders/{id}', params: ['id'], notes: [] });
    expect(toAxumPath('/v1/{proxy+}')).toMatchObject({ path: '/v1/{*proxy}', params: ['proxy'] });
    expect(toAxumPath('*').path).toBe('/{*rest}');
    expect(toAxumPath('/a/:id/b/:id').params).toEqual(['id', 'id_2']);
    const odd = toAxumPath('/files/:name(\\w+)"}');
    expect(odd.path).toBe('/files/{segment2}');
    expect(odd.notes).toHaveLength(1);
  });
});

describe('a hostile service: names and paths cannot break out of comments, strings or identifiers', () => {
  const input: ScaffoldInput = {
    fn: fakeFunction({
      id: `serverless.yml#${HOSTILE}`,
      name: HOSTILE,
      deployedNames: [HOSTILE],
      handler: { file: `src/${HOSTILE}.ts`, export: 'handler', line: 3, declared: 'x', mapping: 'exact' },
      ioTangle: { score: 0.1, ioCalls: 1, verdict: 'clean', evidence: [{ file: `src/${HOSTILE}.ts`, line: 4, column: 1, what: `I/O: ${HOSTILE}` }] },
      portability: {
        rust: { verdict: 'ready', blockers: [], risks: [] },
        llrt: { verdict: 'ready', blockers: [], risks: [] },
        packages: [{ package: HOSTILE, crates: ['evil"crate', 'uuid'], fit: 'close', note: HOSTILE }],
      },
    }),
    events: [
      { kind: 'http', declared: 'httpApi', method: 'GET', path: `/a/${HOSTILE}/:id`, file: 'serverless.yml', line: 5 },
      {
        kind: 'http',
        declared: 'httpApi',
        method: 'POST',
        path: '/averyveryveryveryverylongsegmentname/anotherveryveryverylongsegment/:someParameterName',
        file: 'serverless.yml',
        line: 9,
      },
      { kind: 'http', declared: 'httpApi', method: 'GET', path: '/', file: 'serverless.yml', line: 12 },
    ],
    routes: null,
    eventTypesInSource: [],
    sdkV2Services: [],
    versions: loadCrateVersions(),
    insightsQuery: 'fields @message',
  };
  const files = scaffoldFiles(input);

  it('keeps every comment on its line and every string literal closed', () => {
    for (const [rel, content] of files) {
      expect(content, rel).not.toMatch(/[\r\u2028\u202e]/);
      if (rel.endsWith('.rs') || rel === 'Cargo.toml') {
        expect(content, rel).not.toMatch(/^\s*fn pwned/m);
        expect(content, rel).not.toContain('*/');
      }
    }
    expect(files.get('Cargo.toml')).not.toContain('evil"crate');
    expect(files.get('Cargo.toml')).toMatch(/^name = "evil-fn-pwned-x-end"$/m);
    expect(files.get('deploy/serverless.yml')).toContain('"evil\\u000d\\u000a*/ fn pwned() {}\\u202e\\"\\\\`${x}\\u2028end":');
  });

  it('builds valid identifiers and paths from the names', () => {
    const main = files.get('src/main.rs') ?? '';
    // The `*/` in the name splits the path: each hostile piece becomes a parameter, never path text.
    expect(main).toContain('.route(\n            "/a/{segment2}/{segment3}/{id}",\n            get(get_a_evil_fn_pwned_x_end_id),\n        )');
    expect(main).toContain(
      '"/averyveryveryveryverylongsegmentname/anotherveryveryverylongsegment/{someParameterName}",\n            post(post_averyveryveryveryverylongsegmentnam),',
    );
    // `get` would clash with axum::routing::get.
    expect(main).toContain('.route("/", get(get_root))');
  });

  const rustfmt = findRustfmt();
  it.skipIf(rustfmt === null)('is formatted as rustfmt would, long names included (skips when rustfmt is not installed)', () => {
    expect(rustfmtCheck(rustfmt ?? 'rustfmt', files)).toBe('');
  });
});
