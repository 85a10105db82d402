import { firstParseError, parseSource } from '../compiler/parse.js';
import type { FactsOutcome, FileFacts } from './facts/types.js';
import { factsOf } from './facts/walk.js';

/**
 * The fact pass: what the graph, the rules and the analyses know of each source file, from one parse and ONE walk
 * over its syntax tree (facts/walk.ts drives it; the collectors by concern are facts/modules.ts for imports and
 * exports, facts/calls.ts for calls and I/O, facts/functions.ts for functions, facts/flow.ts for branches, loops
 * and computations, facts/classes.ts for classes and members, facts/suppressions.ts for suppression comments).
 * This module is the public entry: importers use it, not the files under facts/.
 */

export type {
  CallFact,
  ClassFact,
  DynamicCodeFact,
  DynamicRequireFact,
  ExportFact,
  FactSource,
  FactsOutcome,
  FileFacts,
  FlowFact,
  FunctionFact,
  ImportBinding,
  ImportFact,
  ImportKind,
  ParseError,
  Pos,
  SuppressionFact,
} from './facts/types.js';
export { HTTP_VERBS } from './facts/functions.js';
export { countLines, lineStartsOf } from './facts/lines.js';
export { isBareSpecifier, packageNameOf } from './facts/specifiers.js';
export { suppressionsIn } from './facts/suppressions.js';
export { factsOf };

/**
 * The shape of `FileFacts`, for the key of a fact cache: bump it whenever what `extractFacts` returns changes for
 * some input (a field added, renamed or computed differently). Facts also depend on the I/O catalog
 * (rules/catalog/io-packages.json) and on the compiler version, so a cache key needs those beside this.
 */
export const FACTS_VERSION = '1';

export function extractFacts(file: string, text: string): FactsOutcome {
  const sf = parseSource(file, text);
  const error = firstParseError(sf);
  if (error !== null) return { ok: false, error };
  return { ok: true, facts: factsOf(file, text, sf) };
}

/**
 * Facts as they come out of a structured clone (`v8.deserialize`, a worker's message), made the same as
 * `extractFacts` made them: the name-keyed records get their null prototype back, so `'constructor' in bindings`
 * is false again. Mutates and returns `facts`.
 */
export function reviveFacts(facts: FileFacts): FileFacts {
  Object.setPrototypeOf(facts.bindings, null);
  Object.setPrototypeOf(facts.instances, null);
  if (facts.injected !== undefined) Object.setPrototypeOf(facts.injected, null);
  return facts;
}
