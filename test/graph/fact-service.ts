/**
 * An in-memory service for the fact cache and parse worker tests: handlers importing a DAG of modules by relative
 * specifiers, in every script kind, with the files a scan skips (a syntax error, a file nested deeper than the
 * parser's stack, a minified bundle) and one no handler reaches.
 */
import { ModuleResolver } from '../../src/graph/resolve.js';
import type { FactStore } from '../../src/graph/fact-store.js';

export function serviceFiles(modules: number): Record<string, string> {
  const files: Record<string, string> = {};
  const handlers = Math.max(2, Math.floor(modules / 10));
  const ext = (j: number): string => ['.ts', '.js', '.tsx', '.mjs'][j % 4] ?? '.ts';
  const lib = (j: number): string => `src/lib/m${j}${ext(j)}`;
  for (let j = 0; j < modules; j++) {
    const deps = [j * 2 + 1, j * 2 + 2].filter((d) => d < modules);
    const body = [
      ...deps.map((d) =>
        ext(j) === '.js' ? `const dep${d} = require('./m${d}');` : `import * as dep${d} from './m${d}${ext(d) === '.mjs' ? '.mjs' : ''}';`,
      ),
      j % 5 === 0 ? `import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';\nconst ddb = new DynamoDBClient({});` : '',
      `class Repo${j} { constructor(db) { this.db = db; } async find(id) { ${j % 5 === 0 ? 'return ddb.send(new GetItemCommand({ TableName: "t", Key: { id } }));' : 'return [id].map(String);'} } }`,
      `const repo = new Repo${j}(null);`,
      ext(j) === '.tsx' ? `export const View = () => <div>{String(${j})}</div>;` : '',
      ext(j) === '.js'
        ? `module.exports = { get: (id) => repo.find(id)${deps.map((d) => `, d${d}: dep${d}`).join('')} };`
        : `export const get = async (id) => { for (const x of [1, 2]) { if (x > 1) await repo.find(id); } ${deps.map((d) => `void dep${d};`).join(' ')} return id; };`,
    ];
    files[lib(j)] = body.filter((l) => l !== '').join('\n') + '\n';
  }
  for (let h = 0; h < handlers; h++) {
    const uses = [h % modules, (h * 7 + 3) % modules];
    files[`src/handlers/h${h}.ts`] =
      [
        ...uses.map((j) => `import { get as get${j} } from '../lib/m${j}${ext(j) === '.mjs' ? '.mjs' : ''}';`),
        h === 0 ? `import { broken } from '../lib/broken';` : '',
        h === 1 ? `import { table } from '../lib/deep';\nimport '../lib/bundle.js';` : '',
        `export const handler = async (event: { id: string }) => {`,
        ...uses.map((j) => `  await get${j}(event.id);`),
        h === 0 ? '  void broken;' : '',
        h === 1 ? '  void table;' : '',
        `  return { statusCode: 200 };`,
        `};`,
      ]
        .filter((l) => l !== '')
        .join('\n') + '\n';
  }
  files['src/lib/broken.ts'] = 'export const broken = ;\nexport const fine = 1;\n';
  files['src/lib/deep.ts'] = `export const table = ${'[1, '.repeat(5000)}0${']'.repeat(5000)};\n`;
  files['src/lib/bundle.js'] = `var a=${'1+'.repeat(40_000)}1;module.exports=a;\n`;
  files['src/unused.ts'] = `export const unused = 1;\n`;
  files['serverless.yml'] = 'service: facts\n';
  return files;
}

export function handlerFiles(files: Record<string, string>): string[] {
  return Object.keys(files)
    .filter((f) => f.startsWith('src/handlers/'))
    .sort();
}

export function resolverFor(files: Record<string, string>): ModuleResolver {
  return new ModuleResolver(Object.keys(files).sort(), (rel) => {
    const text = files[rel];
    if (text === undefined) throw new Error(`ENOENT ${rel}`);
    return text;
  });
}

/** Asks the store for files as the graph does: the roots, then every import that resolves to a file, breadth first. */
export function walkGraph(store: FactStore, roots: readonly string[], resolver: ModuleResolver): string[] {
  const asked: string[] = [];
  const seen = new Set(roots);
  const queue = [...roots];
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    asked.push(file);
    for (const imp of store.get(file)?.imports ?? []) {
      const r = resolver.resolve(file, imp.specifier);
      if (r.kind === 'file' && !seen.has(r.file)) {
        seen.add(r.file);
        queue.push(r.file);
      }
    }
  }
  return asked;
}
