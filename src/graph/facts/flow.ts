import ts from '../../compiler/typescript.cjs';
import type { FileContext } from './context.js';
import type { FileFacts, FlowFact, Pos } from './types.js';

/**
 * Control and data flow: the branches, loops and computations of each function in source order (for the I/O
 * tangle analysis), `catch` blocks, and the awaits that run at module load.
 */

/** Calls through which a function reference runs once per item (`records.map(reserve)`). */
const PER_ITEM_METHODS: ReadonlySet<string> = new Set([
  'map',
  'flatMap',
  'forEach',
  'filter',
  'reduce',
  'some',
  'every',
  'find',
  'all',
  'allSettled',
]);
/** Streaming calls the analysis treats as I/O whatever their receiver. */
const STREAM_METHODS: ReadonlySet<string> = new Set(['pipe', 'pipeline', 'transformToString', 'transformToByteArray', 'transformToWebStream']);
/** Collecting results (`pending.push(send(...))`) is plumbing, not a computation. */
const COLLECTOR_METHODS: ReadonlySet<string> = new Set(['push', 'unshift', 'add', 'set', 'concat']);

export class FlowCollector {
  readonly flow: FlowFact[] = [];
  readonly topLevelAwaits: Pos[] = [];
  readonly catchBlocks: NonNullable<FileFacts['catchBlocks']> = [];
  /** `flow.length` right after the last computation step, -1 once a call was recorded after it. */
  private lastRecorded = -1;
  private nextLoopId = 0;

  constructor(private readonly ctx: FileContext) {}

  /** Enters a loop: one flow step inside a function. Returns the id the body's innermost loop is (unchanged at module scope). */
  loop(node: ts.Node): number | null {
    const scope = this.ctx.scope;
    if (scope.fn === null) return scope.loop;
    const loop = this.nextLoopId++;
    this.flow.push(this.ctx.placed({ fn: scope.fn, kind: 'loop', loop: scope.loop, inBranch: scope.inBranch, id: loop, line: 0, column: 0 }, node));
    return loop;
  }

  /** An `if` or `switch` inside a function (not inside an I/O call's arguments). */
  branch(node: ts.Node): void {
    const scope = this.ctx.scope;
    if (scope.fn !== null && !scope.ioArgs) {
      this.flow.push(this.ctx.placed({ fn: scope.fn, kind: 'branch', loop: scope.loop, inBranch: scope.inBranch, line: 0, column: 0 }, node));
    }
  }

  /**
   * A call inside a function that is not kept as a `CallFact` (`items.map(...)`, `JSON.parse(...)`): a computation.
   * Consecutive computations with nothing recorded between them are one step for the analysis: keeping one keeps
   * the facts small (most calls in a function are computations).
   */
  compute(node: ts.CallExpression | ts.NewExpression, name: string): void {
    const scope = this.ctx.scope;
    if (scope.fn === null || scope.ioArgs || COLLECTOR_METHODS.has(name)) return;
    const first = node.arguments?.[0];
    const fnArg = first && ts.isIdentifier(first) && PER_ITEM_METHODS.has(name) ? first.text : undefined;
    const flow = this.flow;
    const prev = flow[flow.length - 1];
    const merge =
      prev !== undefined &&
      prev.kind === 'compute' &&
      fnArg === undefined &&
      !STREAM_METHODS.has(name) &&
      this.lastRecorded === flow.length &&
      prev.fn === scope.fn &&
      prev.loop === scope.loop &&
      prev.inBranch === scope.inBranch &&
      prev.within === (scope.call ?? undefined);
    if (merge) return;
    const step: FlowFact = this.ctx.placed(
      { fn: scope.fn, kind: 'compute', loop: scope.loop, inBranch: scope.inBranch, name, line: 0, column: 0 },
      node,
    );
    if (fnArg !== undefined) step.fnArg = fnArg;
    if (scope.call !== null) step.within = scope.call;
    flow.push(step);
    this.lastRecorded = flow.length;
  }

  /** A call was kept as a `CallFact`: the next computation is a step of its own. */
  callRecorded(): void {
    this.lastRecorded = -1;
  }

  /** `await x` or `for await` at module scope: it holds up the module's load. */
  await(node: ts.Node): void {
    if (this.ctx.scope.fn === null) this.topLevelAwaits.push(this.ctx.pos(node));
  }

  catchClause(node: ts.CatchClause): void {
    const block = node.block;
    this.catchBlocks.push({ fn: this.ctx.scope.fn, start: this.ctx.pos(block), end: this.ctx.end(block) });
  }
}
