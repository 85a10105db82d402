import { functionEvents } from '../discover/events.js';
import { InputError } from '../errors.js';
import type { SourceTree } from '../source/tree.js';
import { guardParse } from '../util/input-guard.js';
import { ModuleResolver } from '../graph/resolve.js';
import { awsLambdaEventTypes, awsSdkV2Services, extractRoutes } from '../graph/routes.js';
import { REPORT_STATS_QUERY } from '../metrics/insights-query.js';
import type { FunctionResult, ScanResult } from '../model/result.js';
import { loadCrateVersions } from './crates.js';
import type { ScaffoldInput } from './view.js';

/**
 * What the scaffold reads beyond the scan: declared events, the app's route table, the handler's event types,
 * aws-sdk v2 clients. Reads files only, through the SourceTree the scan used.
 */

export interface PrepareOptions {
  /** The service directory, as the user gave it. */
  root: string;
  cwd: string;
  /** Function id (`serverless.yml#ordersApi`) or logical name (`ordersApi`). */
  function: string;
}

/**
 * Picks the function and reads, through the scan's own tree, what only the scaffold needs. `prepareScaffold` in
 * src/index.ts runs the scan and calls this.
 */
export function scaffoldInput(result: ScanResult, tree: SourceTree, wanted: string): ScaffoldInput {
  const fn = pickFunction(result, wanted);
  const read = (rel: string): string | undefined => tree.tryRead(rel) ?? undefined;
  const handlerFile = fn.handler.file;
  let routes: ScaffoldInput['routes'] = null;
  let eventTypesInSource: string[] = [];
  if (handlerFile !== null) {
    const resolver = new ModuleResolver([...tree.files], (rel) => read(rel) ?? '');
    // The scan skipped a handler nested too deeply to parse; these second parses must not end the scaffold on it.
    const table = guardParse(() =>
      extractRoutes(handlerFile, {
        read,
        resolve: (from, specifier) => {
          const r = resolver.resolve(from, specifier);
          return r.kind === 'file' ? r.file : null;
        },
      }),
    );
    routes = table.ok && table.value.routes.length > 0 ? table.value : null;
    const types = guardParse(() => awsLambdaEventTypes(handlerFile, read(handlerFile) ?? ''));
    eventTypesInSource = types.ok ? types.value : [];
  }
  const usesSdkV2 = (fn.init?.packages ?? []).some((p) => p.name === 'aws-sdk');
  const sdkV2Services = usesSdkV2 ? [...new Set((fn.init?.files ?? []).flatMap((f) => awsSdkV2Services(f, read(f) ?? '')))].sort() : [];
  return {
    fn,
    events: functionEvents(fn, read),
    routes,
    eventTypesInSource,
    sdkV2Services,
    versions: loadCrateVersions(),
    insightsQuery: REPORT_STATS_QUERY,
  };
}

/** By id, else by logical name; an unknown or ambiguous name is the user's to fix. */
export function pickFunction(result: ScanResult, wanted: string): FunctionResult {
  const byId = result.functions.find((f) => f.id === wanted);
  if (byId) return byId;
  const byName = result.functions.filter((f) => f.name === wanted);
  const only = byName[0];
  if (only !== undefined && byName.length === 1) return only;
  if (byName.length > 1) {
    throw new InputError(`function name '${wanted}' is ambiguous`, `use one of the ids: ${byName.map((f) => f.id).join(', ')}`);
  }
  const names = [...new Set(result.functions.map((f) => f.name))].sort();
  throw new InputError(
    `no function '${wanted}' in ${result.root}`,
    names.length > 0 ? `functions: ${names.join(', ')}` : 'no functions were found: run lambda-migrate scan on the path first',
  );
}
