/**
 * The library API: scan a service, render a result. The CLI is a thin layer over these.
 */
export { scan, type ScanOptions, type ScanProgress } from './scan.js';
export { InputError } from './errors.js';
export { render, FORMATS, type Format } from './report/index.js';
export * from './model/result.js';
export type { Rule, RuleContext, RuleMeta, RuleReport } from './engine/rule.js';
