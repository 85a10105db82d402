import type { FunctionSpec, NotAnalysedFunction } from '../model/result.js';
import type { MappedHandler } from './handler-map.js';
import type { DiscoverySink } from './types.js';

/** Fills the handler mapping into a spec and records it, with the mapping's warning if it has one. */
export function recordFunction(sink: DiscoverySink, spec: FunctionSpec, mapped: MappedHandler): void {
  spec.handler.file = mapped.file;
  spec.handler.mapping = mapped.mapping;
  if (mapped.mappingNote !== undefined) spec.handler.mappingNote = mapped.mappingNote;
  if (mapped.mapping === 'unresolved') spec.handler.reason = mapped.reason ?? 'handler_not_found';
  if (mapped.warning !== undefined) sink.warnings.push(`${spec.id}: ${mapped.warning}`);
  sink.functions.push(spec);
}

/** A number, or a numeric string as YAML authors often quote them (`MemorySize: "512"`). */
export function numberOrNull(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  return null;
}

/** Records a declared function that is not analysed, with the warning a reader of the text report sees. */
export function recordNotAnalysed(
  sink: DiscoverySink,
  fn: Pick<NotAnalysedFunction, 'id' | 'name' | 'declaredIn'>,
  reason: NotAnalysedFunction['reason'],
  detail: string,
  warning: string,
): void {
  sink.notAnalysed.push({ id: fn.id, name: fn.name, declaredIn: fn.declaredIn, reason, detail });
  sink.warnings.push(`${fn.id}: ${warning}`);
}
