import ts from './typescript.cjs';

/**
 * The one compiler setup every pass that parses the scanned service's sources uses: the fact pass, the route
 * table, the static reads of IaC programs (src/discover) and the import scan of installed packages. A parse
 * here is syntax only: no Program, no type checker, no JSDoc (no pass reads it, and skipping it is cheaper).
 */
export const PARSE_OPTIONS: ts.CreateSourceFileOptions = Object.freeze({
  languageVersion: ts.ScriptTarget.Latest,
  jsDocParsingMode: ts.JSDocParsingMode.ParseNone,
});

/**
 * The script kind a file's extension selects: `.tsx` and `.jsx` parse JSX; `.ts`, `.mts`, `.cts` (and `.d.ts`)
 * are TypeScript; `.js`, `.mjs`, `.cjs` are JavaScript. Any other name gets `fallback`: JavaScript for the service's
 * sources and installed packages, TypeScript for IaC programs (whose readers only ever get a `.ts` or a `.js`).
 */
export function scriptKindFor(file: string, fallback: ts.ScriptKind = ts.ScriptKind.JS): ts.ScriptKind {
  if (file.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (file.endsWith('.jsx')) return ts.ScriptKind.JSX;
  if (file.endsWith('.ts') || file.endsWith('.mts') || file.endsWith('.cts')) return ts.ScriptKind.TS;
  if (file.endsWith('.js') || file.endsWith('.mjs') || file.endsWith('.cjs')) return ts.ScriptKind.JS;
  return fallback;
}

/** Whether a script kind has TypeScript syntax (and so imports an emitter erases when used only as types). */
export function isTypeScriptKind(kind: ts.ScriptKind): boolean {
  return kind === ts.ScriptKind.TS || kind === ts.ScriptKind.TSX;
}

export interface ParseOptions {
  /** The script kind; by default the one `scriptKindFor(file)` picks. */
  kind?: ts.ScriptKind;
  /**
   * Set parent pointers (`node.parent`). Off by default: setting them costs an extra pass over the tree, and the
   * fact pass hands parent-dependent facts down the walk instead.
   */
  parents?: boolean;
}

/** Parses one source file with the shared setup. */
export function parseSource(file: string, text: string, options: ParseOptions = {}): ts.SourceFile {
  return ts.createSourceFile(file, text, PARSE_OPTIONS, options.parents ?? false, options.kind ?? scriptKindFor(file));
}

/** Parse diagnostics are not on the public SourceFile type; read them without a cast. */
export function parseDiagnosticsOf(sf: ts.SourceFile): readonly ts.DiagnosticWithLocation[] {
  const value: unknown = Reflect.get(sf, 'parseDiagnostics');
  return Array.isArray(value) ? (value as ts.DiagnosticWithLocation[]) : [];
}

export interface ParseError {
  line: number;
  column: number;
  message: string;
}

/** The first syntax error of a parsed file (1-based line and column), or null when it parsed cleanly. */
export function firstParseError(sf: ts.SourceFile): ParseError | null {
  const first = parseDiagnosticsOf(sf)[0];
  if (!first) return null;
  const lc = sf.getLineAndCharacterOfPosition(first.start);
  return { line: lc.line + 1, column: lc.character + 1, message: ts.flattenDiagnosticMessageText(first.messageText, ' ') };
}
