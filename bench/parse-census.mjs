// Preloaded (`node --import ./bench/parse-census.mjs`) into one untimed scan by scan-bench.mjs: records the name
// of every file the scanner hands to ts.createSourceFile, so the raw-parse reference parses exactly the files the
// scan parses (each once). Appends one name per line to $LM_BENCH_CENSUS; worker threads started from a file run
// the preload too and see the variable, so files parsed off the main thread are counted.
//
// The scanner reaches the compiler through `require('ts-morph').ts` (src/graph/typescript.cjs). The compiler's
// namespace exposes its members through getters that cannot be redefined, so the hook hands that require a
// copy of the namespace whose createSourceFile records the name first.
import { appendFileSync } from 'node:fs';
import Module from 'node:module';

const out = process.env.LM_BENCH_CENSUS;
if (out) {
  const originalLoad = Module._load;
  let wrapped = null;
  Module._load = function load(request, parent, isMain) {
    const loaded = originalLoad.call(this, request, parent, isMain);
    if (request !== 'ts-morph' || loaded === null || typeof loaded !== 'object') return loaded;
    if (wrapped === null) {
      const ts = { ...loaded.ts };
      const createSourceFile = ts.createSourceFile;
      ts.createSourceFile = function recordingCreateSourceFile(fileName, ...rest) {
        appendFileSync(out, `${fileName}\n`);
        return createSourceFile.call(this, fileName, ...rest);
      };
      wrapped = new Proxy(loaded, { get: (target, key) => (key === 'ts' ? ts : Reflect.get(target, key)) });
    }
    return wrapped;
  };
}
