// Types for bench/generate-patterns.mjs (test/discover/hcl-fast.test.ts generates a small tree with it).
export const PATTERNS_VERSION: number;

export interface PatternsManifest {
  generatorVersion: number;
  params: { services: number; seed: number };
  files: number;
  sourceFiles: number;
  iacFiles: number;
  bytes: number;
  nodeFunctions: number;
  kinds: Record<string, number>;
  iac: Record<string, number>;
  changeFile: string;
  changeFileText: string;
}

export function generatePatterns(dir: string, params?: { services?: number; seed?: number }): PatternsManifest;
export function readPatternsManifest(dir: string, params: { services: number; seed: number }): PatternsManifest | null;
