import type { FunctionResult } from '../model/result.js';
import { compareStrings } from '../util/compare.js';

type Order = (a: FunctionResult, b: FunctionResult) => number;

/** Most expensive estimated init first, ids keeping equal rows stable: a scan's order where no plan is priced. */
export const byEstimatedInit: Order = (a, b) => (b.init?.estInitMs ?? -1) - (a.init?.estInitMs ?? -1) || compareStrings(a.id, b.id);

/**
 * The plan order (1 = act first): functions with a priced month first, by saving per effort point, then by saving;
 * `tieBreak` orders the rest (a scan keeps its init order, a merge the larger estimated init), and ids keep equal
 * rows stable.
 */
export function planOrder(tieBreak: Order): Order {
  return (a, b) => {
    const pa = a.plan?.monthlyNowMicroUsd ?? null;
    const pb = b.plan?.monthlyNowMicroUsd ?? null;
    if ((pa === null) !== (pb === null)) return pa === null ? 1 : -1;
    return (
      (b.plan?.priority ?? 0) - (a.plan?.priority ?? 0) ||
      (b.plan?.savingMicroUsd ?? 0) - (a.plan?.savingMicroUsd ?? 0) ||
      tieBreak(a, b) ||
      compareStrings(a.id, b.id)
    );
  };
}

/** Sorts in place by `planOrder(tieBreak)` and writes `rank`. */
export function rankByPlan(functions: FunctionResult[], tieBreak: Order): void {
  functions.sort(planOrder(tieBreak));
  functions.forEach((fn, i) => {
    fn.rank = i + 1;
  });
}
