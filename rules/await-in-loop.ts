import { closureCalls, defineRule, perFile, reportCall } from '../src/engine/rule.js';

const awaitedInLoops = perFile((facts) => facts.calls.filter((c) => c.awaited && c.inLoop && c.fn !== null));

export default defineRule({
  meta: {
    id: 'await-in-loop',
    description: 'Disallow awaiting I/O one item at a time inside a loop in code that runs per request',
    rationale: 'Each iteration waits for a full round trip before the next starts: duration, and so the bill, grows with the number of items (N+1).',
    severity: 'warn',
    category: 'io',
    options: {},
  },
  check(ctx) {
    for (const { file, call: c } of closureCalls(ctx, awaitedInLoops, true)) {
      // `await saveItem(x)` counts when saveItem (here or imported) does I/O.
      const io = c.io !== null || (c.root !== null && c.root === c.callee && ctx.callsIo(file, c.root));
      if (!io) continue;
      const what = c.argNew ? `${c.callee}(new ${c.argNew}(...))` : `${c.callee}(...)`;
      const batched = c.argNew !== null && /Batch/.test(c.argNew);
      const fix = batched
        ? 'The calls are batched already: send the batches concurrently with a bounded Promise.all (mind the table or API throughput).'
        : 'Batch the calls (BatchWriteItem/BatchGetItem, SendMessageBatch, a multi-row query) or run them concurrently with a bounded Promise.all.';
      reportCall(
        ctx,
        { file, call: c },
        `await ${what} inside a loop: one I/O round trip per item, in sequence, so duration grows with the item count. ${fix}`,
      );
    }
  },
});
