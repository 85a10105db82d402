import ts from '../compiler/typescript.cjs';

/**
 * A tsconfig's JSON. Most are plain JSON, which `JSON.parse` reads in a fraction of the time of TypeScript's own
 * tolerant parser (comments, trailing commas); that parser reads the rest. Both give the same object for plain JSON.
 */
export function tsconfigJson(rel: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return ts.parseConfigFileTextToJson(rel, text).config as unknown;
  }
}
