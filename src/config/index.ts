import type { Catalog } from '../graph/packages.js';
import type { ProjectConfig } from './config.js';

/*
 * The project's settings as data: the config file, the baseline, and the pure steps the engine applies to findings
 * (src/config/suppress.ts). Nothing here knows the rules or the engine, and nothing here reads the scanned service.
 */
export { loadConfig, type ProjectConfig } from './config.js';
export {
  createBaseline,
  serializeBaseline,
  parseBaseline,
  applyBaseline,
  filterBaseline,
  readBaselineFile,
  type Baseline,
  type BaselineFileOptions,
} from './baseline.js';

/** The shipped catalog plus the config's own measurements (config entries win on a name clash). */
export function withHeavyPackages(catalog: Catalog, extra: ProjectConfig['heavyPackages']): Catalog {
  if (extra.length === 0) return catalog;
  const names = new Set(extra.map((p) => p.name));
  return { ...catalog, packages: [...catalog.packages.filter((p) => !names.has(p.name)), ...extra] };
}
