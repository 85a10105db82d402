import ts from '../graph/typescript.cjs';
import type { Architecture, FunctionSpec } from '../model/result.js';
import { mapDeclaredStem } from './build-map.js';
import { splitHandler } from './handler-map.js';
import { dirOf, joinRel } from './paths.js';
import { isCandidateSource } from './source-files.js';
import { recordFunction, recordNotAnalysed } from './spec.js';
import { AnchoredPath, Opaque, StaticEvaluator, isStaticObject, lineOf, parseSource } from './ts-static.js';
import type { StaticValue } from './ts-static.js';
import type { DiscoverContext, DiscoveryProviderModule } from './types.js';

const PULUMI_IMPORT = /['"]@pulumi\/aws['"]/;

/** Pulumi runs the program from its project folder (where Pulumi.yaml is); relative asset paths start there. */
function projectDir(ctx: DiscoverContext, file: string): string {
  let dir = dirOf(file);
  for (;;) {
    if (ctx.fileSet.has(joinRel(dir, 'Pulumi.yaml')) || ctx.fileSet.has(joinRel(dir, 'Pulumi.yml'))) return dir;
    if (dir === '') return dirOf(file);
    dir = dirOf(dir);
  }
}

/** `aws.lambda.Runtime.NodeJS20dX` -> `nodejs20.x`; strings pass through. */
function runtimeOf(value: StaticValue): string | null {
  if (typeof value === 'string') return value;
  if (!(value instanceof Opaque)) return null;
  const m = /NodeJS(\d+)dX$/i.exec(value.text);
  if (m !== null) return `nodejs${m[1] ?? ''}.x`;
  const py = /Python(\d)d(\d+)$/i.exec(value.text);
  return py === null ? null : `python${py[1] ?? ''}.${py[2] ?? ''}`;
}

/** The folder of a `new FileArchive(dir)` / `new AssetArchive({ '.': new FileArchive(dir) })` code value. */
function archiveDir(node: ts.Expression | undefined, evaluator: StaticEvaluator, cwd: string): string | null {
  if (node === undefined) return null;
  if (ts.isIdentifier(node)) return archiveDir(evaluator.binding(node.text), evaluator, cwd);
  if (!ts.isNewExpression(node)) return null;
  const callee = evaluator.text(node.expression);
  const [arg] = node.arguments ?? [];
  if (/FileArchive$/.test(callee) && arg !== undefined) {
    const p: StaticValue = evaluator.evaluate(arg);
    if (p instanceof AnchoredPath) return p.rel;
    return typeof p === 'string' && !p.startsWith('/') ? joinRel(cwd, p) : null;
  }
  if (/AssetArchive$/.test(callee) && arg !== undefined && ts.isObjectLiteralExpression(arg)) {
    return archiveDir(propInit(arg, '.'), evaluator, cwd);
  }
  return null;
}

function propInit(obj: ts.ObjectLiteralExpression, key: string): ts.Expression | undefined {
  for (const p of obj.properties) {
    if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === key) return p.initializer;
  }
  return undefined;
}

function discoverProgram(ctx: DiscoverContext, rel: string): void {
  const text = ctx.read(rel);
  if (text === undefined || !PULUMI_IMPORT.test(text) || !/Function\s*\(/.test(text)) return;
  const sourceFile = parseSource(rel, text);
  const evaluator = new StaticEvaluator(sourceFile, { fileRel: rel });
  const cwd = projectDir(ctx, rel);
  let found = false;
  const visit = (node: ts.Node): void => {
    if (ts.isNewExpression(node) && node.arguments !== undefined) {
      const callee = evaluator.text(node.expression).replace(/\s+/g, '');
      const kind = /(^|\.)lambda\.Function$/.test(callee) ? 'function' : /(^|\.)lambda\.CallbackFunction$/.test(callee) ? 'callback' : null;
      if (kind !== null) {
        found = true;
        discoverResource(ctx, rel, node, kind, evaluator, sourceFile, cwd);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  if (found) ctx.sink.iacFiles.push(rel);
}

function discoverResource(
  ctx: DiscoverContext,
  rel: string,
  node: ts.NewExpression,
  kind: 'function' | 'callback',
  evaluator: StaticEvaluator,
  sourceFile: ts.SourceFile,
  cwd: string,
): void {
  const [nameNode, propsNode] = node.arguments ?? [];
  const line = lineOf(sourceFile, node);
  const nameValue = nameNode === undefined ? undefined : evaluator.evaluate(nameNode);
  const name = typeof nameValue === 'string' ? nameValue : `line${line}`;
  const id = `${rel}#${name}`;
  const propsValue = propsNode === undefined ? {} : evaluator.evaluate(propsNode);
  const props = isStaticObject(propsValue) ? propsValue : {};
  const arch = Array.isArray(props['architectures']) ? props['architectures'][0] : undefined;
  const explicitName = props['name'];
  const spec: FunctionSpec = {
    id,
    name,
    provider: 'pulumi',
    // Pulumi auto-names `<name>-<random 7 hex>` unless `name` is set.
    deployedNames: typeof explicitName === 'string' ? [explicitName] : [name],
    runtime: runtimeOf(props['runtime']),
    architecture: arch === 'arm64' || arch === 'x86_64' ? (arch satisfies Architecture) : null,
    memoryMB: typeof props['memorySize'] === 'number' ? props['memorySize'] : kind === 'callback' ? null : 128,
    timeoutS: typeof props['timeout'] === 'number' ? props['timeout'] : kind === 'callback' ? null : 3,
    declaredIn: { file: rel, line },
    handler: { file: null, export: 'handler', declared: '', mapping: 'unresolved' },
  };
  if (kind === 'callback') {
    const cbNode = propsNode !== undefined && ts.isObjectLiteralExpression(propsNode) ? propsNode.properties.find((p) => p.name !== undefined && ts.isIdentifier(p.name) && p.name.text === 'callback') : undefined;
    const init = cbNode !== undefined && ts.isPropertyAssignment(cbNode) ? cbNode.initializer : cbNode !== undefined && ts.isShorthandPropertyAssignment(cbNode) ? cbNode.name : undefined;
    const imported = init !== undefined && ts.isIdentifier(init) ? evaluator.importOf(init.text) : undefined;
    if (imported !== undefined && imported.specifier.startsWith('.')) {
      // A callback imported from the service's own module: that module's load is the function's init.
      const stem = joinRel(dirOf(rel), imported.specifier.replace(/\.[cm]?js$/, ''));
      spec.handler.export = imported.name;
      spec.handler.declared = `${imported.specifier}#${imported.name}`;
      recordFunction(ctx.sink, spec, mapDeclaredStem(ctx, stem, spec.handler.declared));
      return;
    }
    recordNotAnalysed(ctx.sink, spec, 'inline_code', 'CallbackFunction closure', 'CallbackFunction with an inline closure is serialised by Pulumi at deploy time; not analysable as a module');
    return;
  }
  const handler = props['handler'];
  if (typeof handler !== 'string') {
    recordFunction(ctx.sink, spec, { file: null, mapping: 'unresolved', reason: 'not_static', mappingNote: 'handler is not a string literal' });
    return;
  }
  spec.handler.declared = handler;
  spec.handler.export = splitHandler(handler).exportName;
  const dir = propsNode !== undefined && ts.isObjectLiteralExpression(propsNode) ? archiveDir(propInit(propsNode, 'code'), evaluator, cwd) : null;
  if (dir === null) {
    recordFunction(ctx.sink, spec, { file: null, mapping: 'unresolved', reason: 'not_static', mappingNote: 'code is not a local FileArchive/AssetArchive folder' });
    return;
  }
  recordFunction(ctx.sink, spec, mapDeclaredStem(ctx, joinRel(dir, splitHandler(handler).stem), handler));
}


/** Pulumi programs (`@pulumi/aws`): `new aws.lambda.Function` and `CallbackFunction`, read as an AST, never run. */
export const pulumiProvider: DiscoveryProviderModule = {
  name: 'pulumi',
  discover(ctx: DiscoverContext): void {
    for (const rel of ctx.files) if (isCandidateSource(rel)) discoverProgram(ctx, rel);
  },
};
