/**
 * Report rendering: a `ScanResult` in, a string out. Reporters never print; the CLI decides where output goes and
 * whether it is colored.
 */
import { basename } from 'node:path';
import Handlebars from 'handlebars';
import type { ScanResult } from '../model/result.js';
import { assetPath, listAssets, readAsset } from '../assets.js';
import { markdownCode } from './escape.js';
import { markdownProse } from './markdown-text.js';
import { buildMarkdownView, buildTextView } from './view-model.js';
import { renderCsv } from './csv.js';
import { renderHtml } from './html-view.js';
import { renderSarif } from './sarif.js';
import { renderPrComment } from './pr-comment.js';
import { fitLines } from './table.js';
import { buildFunctionDetailView, buildTextSummaryView, DEFAULT_TEXT_WIDTH, MIN_TEXT_WIDTH, selectFunction } from './text-view.js';

export { DEFAULT_TEXT_WIDTH } from './text-view.js';

export type Format = 'text' | 'json' | 'markdown' | 'html' | 'sarif' | 'csv' | 'pr-comment';

export const FORMATS: readonly Format[] = ['text', 'json', 'markdown', 'html', 'sarif', 'csv', 'pr-comment'];

export interface RenderOptions {
  /** ANSI colors for severities in the text report; off unless the CLI knows it writes to a color terminal. */
  color?: boolean;
  /** The directory the scan ran in, so SARIF can put its paths under the repository root (see sarif.ts). */
  cwd?: string;
  /** How SARIF finds the git root above the scanned root (see SarifOptions.gitRootOf). */
  gitRootOf?: (dir: string) => string | null;
  /**
   * Columns the text report is fitted to (no line is longer): the terminal's width when the CLI writes to one, else
   * DEFAULT_TEXT_WIDTH, so a file or a golden test does not depend on the window it was made in.
   */
  width?: number;
  /** The text report's full breakdown (every function, package, finding and cost factor) instead of the summary. */
  detail?: boolean;
  /** The text report of this one function in full (name, id, or `service:name`); unknown is an InputError. */
  function?: string;
}

export function isFormat(value: string): value is Format {
  return FORMATS.some((format) => format === value);
}

export function render(result: ScanResult, format: Format, options: RenderOptions = {}): string {
  switch (format) {
    case 'json':
      // The result is built deterministic (sorted, relative paths); reordering here would hide a bug upstream.
      return `${JSON.stringify(result, null, 2)}\n`;
    case 'text':
      return renderText(result, options);
    case 'markdown':
      return templateFor('markdown')(buildMarkdownView(result));
    case 'html':
      return renderHtml(result, templateFor('html'));
    case 'sarif':
      // Data, not a template: JSON.stringify is the only escaping SARIF needs.
      return renderSarif(result, {
        ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
        ...(options.gitRootOf === undefined ? {} : { gitRootOf: options.gitRootOf }),
      });
    case 'csv':
      return renderCsv(result);
    case 'pr-comment':
      // Its own handlebars instance and the 65,536-character limit: see pr-comment.ts.
      return renderPrComment(result, templateFor('pr-comment'));
  }
}

function renderText(result: ScanResult, options: RenderOptions): string {
  const width = Math.max(MIN_TEXT_WIDTH, Math.floor(options.width ?? DEFAULT_TEXT_WIDTH));
  const view = { color: options.color === true };
  const template = templateFor('text');
  let text: string;
  if (options.function !== undefined) {
    const fn = selectFunction(result, options.function);
    text = template({ summaryView: null, detailView: buildFunctionDetailView(result, fn, view) });
  } else if (options.detail === true) {
    text = template({ summaryView: null, detailView: buildTextView(result, view) });
  } else {
    text = template({ summaryView: buildTextSummaryView(result, view, width), detailView: null });
  }
  return fitLines(text, width);
}

type TemplateFormat = Exclude<Format, 'json' | 'sarif' | 'csv'>;

const MAIN_TEMPLATE = 'report';

function stringArgument(helper: string, value: unknown): string {
  if (typeof value !== 'string') {
    throw new TypeError(`report template: helper "${helper}" expects a string, got ${typeof value}`);
  }
  return value;
}

/**
 * A code span shows its content literally, so a name holding `<!--` (the PR comment's marker is an HTML comment)
 * would put a second marker in the body, where the bot looks for its own comment. Such a value is escaped prose.
 */
function codeOrProse(text: string, inTable: boolean): string {
  return text.includes('<!--') ? markdownProse(text) : markdownCode(text, { inTable });
}

/** The markdown instance escapes untrusted text only through these; templates use them with triple-stash. */
const MARKDOWN_HELPERS: Record<string, (value: unknown) => string> = {
  // Prose: escaped, with `@` tokens (mentions, `name@1.2.3`, emails) as code spans GitHub links neither way.
  md: (value) => markdownProse(stringArgument('md', value)),
  code: (value) => codeOrProse(stringArgument('code', value), false),
  cellCode: (value) => codeOrProse(stringArgument('cellCode', value), true),
};

interface EngineConfig {
  helpers: Record<string, (value: unknown) => string>;
  /**
   * The text report is not HTML, so `&` must stay `&`; its view model strips control characters instead. Markdown
   * keeps handlebars' HTML escaping on `{{ }}` as a backstop: only numbers and fixed words go there.
   */
  noEscape: boolean;
}

const ENGINE_CONFIG: Record<TemplateFormat, EngineConfig> = {
  text: { helpers: {}, noEscape: true },
  markdown: { helpers: MARKDOWN_HELPERS, noEscape: false },
  // Every value through handlebars' HTML escaping; renderHtml then drops bidi and control characters page-wide.
  html: { helpers: {}, noEscape: false },
  // Markdown's escapers; its templates pass untrusted text through `md` only (see reports/pr-comment/report.hbs).
  'pr-comment': { helpers: MARKDOWN_HELPERS, noEscape: false },
};

type CompiledReport = (view: object) => string;

const compiled = new Map<TemplateFormat, CompiledReport>();

function templateFor(format: TemplateFormat): CompiledReport {
  const cached = compiled.get(format);
  if (cached !== undefined) {
    return cached;
  }
  const template = compileFormat(format);
  compiled.set(format, template);
  return template;
}

function compileFormat(format: TemplateFormat): CompiledReport {
  const config = ENGINE_CONFIG[format];
  // One instance per format: helpers and partials of one report cannot leak into another.
  const engine = Handlebars.create();
  const knownHelpers = Object.fromEntries(Object.keys(config.helpers).map((name) => [name, true]));
  const compileOptions = { strict: true, noEscape: config.noEscape, knownHelpers };
  for (const [name, helper] of Object.entries(config.helpers)) {
    engine.registerHelper(name, helper);
  }

  // Templates come only from this package's own reports/ dir, never from the scanned tree.
  const dir = `reports/${format}`;
  const files = listAssets(dir, '.hbs');
  let main: CompiledReport | null = null;
  for (const file of files) {
    const name = basename(file, '.hbs');
    // Partials are compiled here, not registered as source, so they get the same strict options as the main template.
    const template = engine.compile<object>(readAsset(`${dir}/${file}`), compileOptions);
    if (name === MAIN_TEMPLATE) {
      main = template;
    } else {
      engine.registerPartial(name, template);
    }
  }
  if (main === null) {
    throw new Error(`lambda-migrate: missing template ${assetPath(`${dir}/${MAIN_TEMPLATE}.hbs`)}`);
  }
  const mainTemplate = main;
  return (view) => mainTemplate(view);
}
