import path from 'node:path';
import type { SourceTree } from '../source/tree.js';
import type { ModuleFormat } from './closure.js';

/** ESM or CommonJS per file: the extension, else the nearest listed package.json's `type`, as Node decides. */
export class ModuleFormats {
  private readonly byDir = new Map<string, ModuleFormat>();

  constructor(private readonly tree: SourceTree) {}

  of(file: string): ModuleFormat {
    if (file.endsWith('.mjs') || file.endsWith('.mts')) return 'esm';
    if (file.endsWith('.cjs') || file.endsWith('.cts')) return 'cjs';
    return this.dirFormat(path.posix.dirname(file));
  }

  private dirFormat(dir: string): ModuleFormat {
    const cached = this.byDir.get(dir);
    if (cached) return cached;
    const manifest = dir === '.' ? 'package.json' : `${dir}/package.json`;
    let format: ModuleFormat | null = null;
    if (this.tree.has(manifest)) {
      const pkg = this.tree.json(manifest);
      format = typeof pkg === 'object' && pkg !== null && Reflect.get(pkg, 'type') === 'module' ? 'esm' : 'cjs';
    }
    const result = format ?? (dir === '.' || dir === '' ? 'cjs' : this.dirFormat(path.posix.dirname(dir)));
    this.byDir.set(dir, result);
    return result;
  }
}
