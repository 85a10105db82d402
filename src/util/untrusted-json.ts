/**
 * JSON another party wrote: a result artifact uploaded by a fork's workflow, a baseline, a metrics snapshot, a
 * function map, a config file. Before any of it is used (validated, merged, rendered, spread), it is checked here:
 * - its size, before it is read (a 2 GB "result" is refused, not loaded);
 * - its nesting depth (JSON.stringify, ajv and every recursive walk use the stack; no artifact of ours nests deeper
 *   than about a dozen levels);
 * - its keys: `__proto__`, `constructor` and `prototype` are refused wherever they appear, since code that copies
 *   keys (`out[key] = value`, a merge) would otherwise set a prototype instead of a field;
 * - its node count (a million-key object is a denial of service, not a result).
 * The walk is iterative, so the check itself cannot overflow the stack.
 */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { InputError } from '../errors.js';

export interface JsonLimits {
  maxBytes: number;
  maxDepth: number;
  maxNodes: number;
}

/** For saved results, merged results included: a 2,000-function monorepo result is some tens of MB. */
export const RESULT_LIMITS: JsonLimits = { maxBytes: 256 * 1024 * 1024, maxDepth: 64, maxNodes: 20_000_000 };
/** For small inputs: function maps, event payloads, config files. */
export const SMALL_LIMITS: JsonLimits = { maxBytes: 32 * 1024 * 1024, maxDepth: 64, maxNodes: 1_000_000 };

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Why `value` is refused, or null: the first forbidden key, the first place deeper than the limit, or its size. */
export function untrustedProblem(value: unknown, limits: JsonLimits = RESULT_LIMITS): string | null {
  const stack: { value: unknown; depth: number; at: string }[] = [{ value, depth: 0, at: '' }];
  let nodes = 0;
  while (stack.length > 0) {
    const top = stack.pop();
    if (top === undefined || typeof top.value !== 'object' || top.value === null) continue;
    if (top.depth >= limits.maxDepth) return `nested deeper than ${limits.maxDepth} levels at ${shorten(top.at)}`;
    const node: object = top.value;
    const isArray = Array.isArray(node);
    const entries: [string, unknown][] = isArray
      ? node.map((v: unknown, i): [string, unknown] => [String(i), v])
      : Object.keys(node).map((k): [string, unknown] => [k, Reflect.get(node, k)]);
    nodes += entries.length;
    if (nodes > limits.maxNodes) return `more than ${limits.maxNodes} values`;
    for (const [key, child] of entries) {
      if (!isArray && FORBIDDEN_KEYS.has(key)) return `a key named "${key}" at ${shorten(top.at)}`;
      if (typeof child === 'object' && child !== null) stack.push({ value: child, depth: top.depth + 1, at: `${top.at}/${pointerPart(key)}` });
    }
  }
  return null;
}

/** The place as a JSON Pointer, its middle cut when it is long (a 64-level path says nothing more than its ends). */
function shorten(at: string): string {
  if (at === '') return '/';
  return at.length <= 80 ? at : `${at.slice(0, 40)}…${at.slice(-30)}`;
}

/** JSON Pointer escaping, and a cap so a hostile key cannot make the message long. */
function pointerPart(key: string): string {
  const escaped = key.replace(/~/g, '~0').replace(/\//g, '~1');
  return escaped.length > 40 ? `${escaped.slice(0, 40)}…` : escaped;
}

/** Throws the InputError for `problem` (from `untrustedProblem`) when there is one. */
export function refuseUntrusted(value: unknown, where: string, hint: string, limits: JsonLimits = RESULT_LIMITS): void {
  const problem = untrustedProblem(value, limits);
  if (problem !== null) throw new InputError(`${where} is refused: ${problem}`, hint);
}

export type ReadJsonOutcome = { ok: true; value: unknown } | { ok: false; why: 'missing' | 'not-json'; message: string };

/**
 * Reads `file` (relative to `cwd`) as untrusted JSON: too big is refused before reading, and a parsed value that
 * `untrustedProblem` refuses throws too (InputError naming the file). Missing or non-JSON is returned for the
 * caller to word, as each input has its own hint.
 */
export async function readUntrustedJson(file: string, cwd: string, hint: string, limits: JsonLimits = RESULT_LIMITS): Promise<ReadJsonOutcome> {
  const abs = path.resolve(cwd, file);
  let size: number;
  let regular: boolean;
  try {
    const info = await stat(abs);
    if (info.isDirectory()) return { ok: false, why: 'missing', message: `${file} is a directory` };
    size = info.size;
    regular = info.isFile();
  } catch {
    return { ok: false, why: 'missing', message: `${file} not found` };
  }
  const tooBig = (bytes: number): InputError =>
    new InputError(
      `${file} is refused: ${Math.round(bytes / 1024 / 1024)} MB, over the ${Math.round(limits.maxBytes / 1024 / 1024)} MB this reads`,
      hint,
    );
  if (size > limits.maxBytes) throw tooBig(size);
  let text: string;
  try {
    // A pipe (`… | lambda-migrate report /dev/stdin`) has no size up front: it is read up to the limit, never past.
    text = regular ? await readFile(abs, 'utf8') : await readCapped(abs, limits.maxBytes, tooBig);
  } catch (err) {
    if (err instanceof InputError) throw err;
    const code = typeof err === 'object' && err !== null ? Reflect.get(err, 'code') : undefined;
    return { ok: false, why: 'missing', message: `${file} cannot be read${typeof code === 'string' ? ` (${code})` : ''}` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, why: 'not-json', message: `${file} is not JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
  refuseUntrusted(value, file, hint, limits);
  return { ok: true, value };
}

/** Reads a stream-like file (pipe, device) up to `max` bytes; past that, the stream is closed and `tooBig` thrown. */
async function readCapped(abs: string, max: number, tooBig: (bytes: number) => InputError): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  const stream = createReadStream(abs);
  try {
    for await (const chunk of stream) {
      const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
      total += buf.length;
      if (total > max) throw tooBig(total);
      chunks.push(buf);
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks).toString('utf8');
}
