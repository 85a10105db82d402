import type { FunctionResult } from '../model/result.js';
import { compareStrings } from '../util/compare.js';

/**
 * The plan order, written into `rank` (1 = act first): functions with a priced month first, by saving per effort
 * point, then by saving; `tieBreak` orders the rest (a scan keeps its init order, a merge the larger estimated init),
 * and ids keep equal rows stable. Sorts in place.
 */
export function rankByPlan(functions: FunctionResult[], tieBreak: (a: FunctionResult, b: FunctionResult) => number): void {
  functions.sort((a, b) => {
    const pa = a.plan?.monthlyNowMicroUsd ?? null;
    const pb = b.plan?.monthlyNowMicroUsd ?? null;
    if ((pa === null) !== (pb === null)) return pa === null ? 1 : -1;
    return (
      (b.plan?.priority ?? 0) - (a.plan?.priority ?? 0) ||
      (b.plan?.savingMicroUsd ?? 0) - (a.plan?.savingMicroUsd ?? 0) ||
      tieBreak(a, b) ||
      compareStrings(a.id, b.id)
    );
  });
  functions.forEach((fn, i) => {
    fn.rank = i + 1;
  });
}
