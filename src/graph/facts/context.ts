import type ts from '../../compiler/typescript.cjs';
import { lineIndexOf } from './lines.js';
import type { ImportBinding, Pos } from './types.js';

/**
 * Where the walk is: the state every collector reads and the driver sets for a subtree, then restores. Scopes
 * follow a stack discipline, so a field is set for the children and put back after (cheaper than a new object per
 * branch, call and argument list); a function body gets a scope of its own.
 */
export interface Scope {
  fn: number | null;
  loopDepth: number;
  /** Identifiers referenced by the enclosing function, or at module scope. */
  refs: Set<string>;
  /** Innermost loop id in the current function, null outside loops. */
  loop: number | null;
  inBranch: boolean;
  /** Inside the arguments of an I/O call: nested calls are part of that call. */
  ioArgs: boolean;
  /** Index of the innermost recorded call whose arguments are being walked (same function). */
  call: number | null;
  /** Fields of the enclosing class bound to a package (`this.ddb` set from `DynamoDBDocumentClient.from(...)`). */
  fields: Map<string, ImportBinding> | null;
  /** Parameters of SDK callbacks bound to the SDK (`txn` in `driver.executeLambda(async (txn) => ...)`). */
  params: Map<string, ImportBinding> | null;
  /** The enclosing class's own method names; `open` when it extends another (whose methods are unknown here). */
  cls: { methods: ReadonlySet<string>; open: boolean } | null;
}

/**
 * One file's walk: the source, its line starts, the current scope, and the tables more than one collector reads.
 * Each table has one writer: `bindings` and `typeBindings` the module collector, `instances` the class collector,
 * `fnIds` the function collector; `names` and `awaited` are marked top-down by whichever node gives them (the
 * source file is parsed without parent pointers, which would cost a full extra pass).
 */
export class FileContext {
  scope: Scope;
  /** Module-scope value identifiers (the root scope's `refs`). */
  readonly moduleRefs = new Set<string>();
  /** Local names bound by imports/requires, and variables derived from them, to their module. */
  readonly bindings: Record<string, ImportBinding> = Object.create(null) as Record<string, ImportBinding>;
  /** Names bound by `import type`: not values, but a field typed with one tells its package. */
  readonly typeBindings: Record<string, string> = Object.create(null) as Record<string, string>;
  /** Variables holding an instance of a class named in the file (`const repo = new OrdersRepo()`). */
  readonly instances: Record<string, string> = Object.create(null) as Record<string, string>;
  /** Names given to function and class expressions by the declaration or assignment that holds them. */
  readonly names = new Map<ts.Node, string>();
  /** Function id by node, once the walk has entered the function. */
  readonly fnIds = new Map<ts.Node, number>();
  /** Call expressions under an `await` (through parentheses, `!`, `as` and `satisfies`). */
  readonly awaited = new Set<ts.Node>();
  /** Line index of the last fact placed (see `lineOf`). */
  private lastLine = 0;

  constructor(
    readonly sf: ts.SourceFile,
    readonly starts: readonly number[],
  ) {
    this.scope = {
      fn: null,
      loopDepth: 0,
      refs: this.moduleRefs,
      loop: null,
      inBranch: false,
      ioArgs: false,
      call: null,
      fields: null,
      params: null,
      cls: null,
    };
  }

  /**
   * Sets a fact's `line`/`column` (declared last in its literal, as 0) to where `node` starts. Facts are written
   * as one literal each rather than `{ ...fields, ...pos(node) }`: the spread costs a temporary object and a slow
   * property copy per fact, and the pass records some 50 facts per file.
   */
  placed<T extends Pos>(fact: T, node: ts.Node): T {
    const at = node.getStart(this.sf);
    const line = this.lineOf(at);
    fact.line = line + 1;
    fact.column = at - (this.starts[line] ?? 0) + 1;
    return fact;
  }

  /**
   * The line index holding offset `at`, as `lineIndexOf` finds it. Facts are placed mostly in source order, so the
   * line of the previous fact, or the one after it, is usually the answer: two comparisons instead of a binary search.
   */
  private lineOf(at: number): number {
    const starts = this.starts;
    for (let line = this.lastLine, tries = 0; tries < 2 && line < starts.length; line++, tries++) {
      if ((starts[line] ?? 0) > at) break;
      const next = starts[line + 1];
      if (next === undefined || at < next) {
        this.lastLine = line;
        return line;
      }
    }
    const line = lineIndexOf(starts, at);
    this.lastLine = line;
    return line;
  }

  pos(node: ts.Node): Pos {
    return this.placed({ line: 0, column: 0 }, node);
  }

  /** Where `node` ends (1-based; the column is one past its last character). */
  end(node: ts.Node): Pos {
    const line = this.lineOf(node.end);
    return { line: line + 1, column: node.end - (this.starts[line] ?? 0) + 1 };
  }
}
