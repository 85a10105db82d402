import { defineRule } from '../src/engine/rule.js';
import type { PackageCopy } from '../src/graph/node-modules.js';

/** `.../node_modules/a/node_modules/b` -> `node_modules/a/node_modules/b`: where the copy sits, without the machine's path. */
function where(dir: string): string {
  const norm = dir.replace(/\\/g, '/');
  const i = norm.indexOf('node_modules/');
  return i >= 0 ? norm.slice(i) : norm;
}

export default defineRule({
  meta: {
    id: 'duplicate-package-copies',
    description: 'Disallow two copies of one package loaded at init through two import chains',
    rationale:
      'Node loads each installed copy of a package on its own: two versions reached through two dependencies are parsed, compiled and run twice during INIT.',
    severity: 'warn',
    category: 'init-cost',
    options: {},
  },
  check(ctx) {
    const byName = new Map<string, { copy: PackageCopy; via: string }[]>();
    for (const { name: via, copies } of ctx.graph.packageCopies) {
      for (const copy of copies) {
        let list = byName.get(copy.name);
        if (!list) byName.set(copy.name, (list = []));
        if (!list.some((x) => x.copy.dir === copy.dir)) list.push({ copy, via });
      }
    }
    for (const [name, list] of byName) {
      const [first, ...rest] = list;
      if (!first) continue;
      const firstSite = ctx.graph.packageSites.find((s) => s.name === first.via);
      for (const second of rest) {
        // Reported where the chain that brings the extra copy starts in the service's own code.
        const site = ctx.graph.packageSites.find((s) => s.name === second.via);
        if (!site || !firstSite) continue;
        const ms = ctx.graph.priceCopy(second.copy);
        const through = (x: { copy: PackageCopy; via: string }, at: { file: string; line: number }): string =>
          `${x.copy.version || '?'} (${where(x.copy.dir)}) through '${x.via}' (${at.file}:${at.line})`;
        ctx.report({
          file: site.file,
          line: site.line,
          column: site.column,
          estInitMs: ms,
          chain: ctx.graph.chainOf(site.file),
          message:
            `'${name}' is loaded twice at init: ${through(first, firstSite)} and ${through(second, site)}` +
            `${ms !== null ? `; the second copy costs ~${Math.round(ms * 10) / 10} ms of INIT (${second.copy.modules} modules, ${Math.round(second.copy.bytes / 1024)} KB)` : ''}. ` +
            `Align the versions so one copy serves both (npm dedupe, an overrides/resolutions entry, or a compatible upgrade of '${second.via === name ? first.via : second.via}').`,
        });
      }
    }
  },
});
