import path from 'node:path';
import Handlebars from 'handlebars';
import { listAssetTree, readAsset } from '../assets.js';
import { compareStrings } from '../util/compare.js';
import { markdownCode } from '../report/escape.js';
import { commentText } from './sanitize.js';
import { buildView, type ScaffoldInput, type ScaffoldView } from './view.js';

/**
 * The files of a Rust port's skeleton, by path relative to the crate: a pure function of the scaffold input (the
 * templates are the package's own files under templates/rust/). Deterministic: no clock, no absolute paths, sorted.
 */
export function scaffoldFiles(input: ScaffoldInput): Map<string, string> {
  const view = buildView(input);
  const t = templates();
  const model = { ...view, readme: readmeView(view), routingImport: routingImport(view), hasDevDependencies: view.devDependencies.length > 0 };
  const files = new Map<string, string>();
  files.set('Cargo.toml', t.render('Cargo.toml', model));
  files.set('.gitignore', t.render('gitignore', model));
  files.set('README.md', t.render('README.md', model));
  files.set('src/main.rs', t.render(view.http ? 'main-http.rs' : 'main-event.rs', model));
  files.set('src/core.rs', t.render('core.rs', model));
  files.set(view.deploy.file, t.render(`deploy/${path.posix.basename(view.deploy.file)}`, model));
  if (view.event !== null) files.set(view.event.sampleFile, t.raw(`events/${view.event.kind}.json`));
  return new Map([...files].sort(([a], [b]) => compareStrings(a, b)));
}

function routingImport(view: ScaffoldView): string {
  const methods = view.routeMethods.split(', ').filter((m) => m !== '');
  return methods.length === 1 ? `axum::routing::${methods[0] ?? 'any'}` : `axum::routing::{${methods.join(', ')}}`;
}

function mdCell(text: string): string {
  return markdownCode(text, { inTable: true });
}

interface ReadmeView {
  origin: string;
  routes: { method: string; path: string; origin: string }[];
  curls: string[];
  eventLine: string;
  notes: string[];
  hasNotes: boolean;
  unmapped: string[];
  deployFile: string;
  declaredIn: string;
  deployHint: string;
  buildFlags: string;
}

const DEPLOY_HINTS: Readonly<Record<ScaffoldView['deploy']['kind'], string>> = {
  serverless: 'build the zip (`--output-format zip`), then swap the function entry in `serverless.yml` and keep its events.',
  sam: 'copy the resource into the template in place of the Node one, keep its Events, then `sam build && sam deploy`.',
  cdk: 'call `rustPort(this)` from the stack in place of the Node function (`npm i cargo-lambda-cdk`), then `cdk deploy`.',
  terraform: 'build the zip (`--output-format zip`), then replace the `aws_lambda_function` of the Node function.',
};

function readmeView(view: ScaffoldView): ReadmeView {
  const zip = view.deploy.kind === 'serverless' || view.deploy.kind === 'terraform';
  return {
    origin: markdownCode(view.origin, { inTable: false }),
    routes: view.routes.map((r) => ({
      method: r.method,
      path: mdCell(r.routeLines.join(' ').replace(/^\s*\.route\(\s*"([^"]*)".*$/, '$1')),
      origin: mdCell(r.comments[0] ?? ''),
    })),
    curls: view.routes
      .filter((r) => r.method !== 'HEAD' && r.method !== 'OPTIONS')
      .map((r) => {
        const url = `'http://127.0.0.1:3000${r.samplePath}'`;
        return r.hasBody ? `curl -X ${r.sampleMethod} ${url} -H 'content-type: application/json' -d '{}'` : `curl -X ${r.sampleMethod} ${url}`;
      }),
    eventLine:
      view.event === null
        ? ''
        : `\`${view.event.typePath}\` (feature \`${view.event.feature}\` of aws_lambda_events). ${commentText(view.event.comments.slice(0, 2).join(' '))}`,
    notes: view.notes.map((n) => commentText(n).replace(/`/g, "'")),
    hasNotes: view.notes.length > 0,
    unmapped: view.unmapped.map((u) => `${markdownCode(u.package, { inTable: false })}: ${commentText(u.note).replace(/`/g, "'")}`),
    deployFile: view.deploy.file,
    declaredIn: markdownCode(view.deploy.declaredIn, { inTable: false }),
    deployHint: DEPLOY_HINTS[view.deploy.kind],
    buildFlags: zip ? ' --output-format zip' : '',
  };
}

interface Templates {
  render(name: string, model: object): string;
  raw(name: string): string;
}

let compiled: Templates | undefined;

/** templates/rust: `*.hbs` compiled once with a Handlebars instance of their own (strict; no HTML escaping). */
function templates(): Templates {
  if (compiled) return compiled;
  const dir = 'templates/rust';
  const engine = Handlebars.create();
  const options = { strict: true, noEscape: true, knownHelpersOnly: false };
  const byName = new Map<string, (model: object) => string>();
  for (const relPath of listAssetTree(dir).filter((name) => name.endsWith('.hbs'))) {
    byName.set(relPath.slice(0, -'.hbs'.length), engine.compile<object>(readAsset(`${dir}/${relPath}`), options));
  }
  for (const partial of ['app-state', 'init-tracing', 'test-state']) {
    const template = byName.get(partial);
    if (template === undefined) throw new Error(`lambda-migrate: missing template templates/rust/${partial}.hbs`);
    engine.registerPartial(partial, template);
  }
  compiled = {
    render(name, model) {
      const template = byName.get(name);
      if (template === undefined) throw new Error(`lambda-migrate: missing template templates/rust/${name}.hbs`);
      return template(model);
    },
    raw(name) {
      return readAsset(`${dir}/${name}`);
    },
  };
  return compiled;
}
