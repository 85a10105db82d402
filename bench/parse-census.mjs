// Preloaded (`node --import ./bench/parse-census.mjs`) into one untimed scan by scan-bench.mjs: records the name
// of every file the scanner hands to ts.createSourceFile, so the raw-parse reference parses exactly the files the
// scan parses (each once). Appends one name per line to $LM_BENCH_CENSUS; worker threads started from a file run
// the preload too and see the variable, so files parsed off the main thread are counted.
//
// The scanner reaches the compiler by requiring the TypeScript bundle ts-morph depends on (src/compiler/typescript.cjs;
// older builds: `require('ts-morph').ts`). The compiler's namespace exposes its members through getters that cannot
// be redefined, so the hook hands that require a copy of the namespace whose createSourceFile records the name first.
import { appendFileSync } from 'node:fs';
import Module from 'node:module';

const out = process.env.LM_BENCH_CENSUS;
if (out) {
  const originalLoad = Module._load;
  let wrapped = null;
  let compiler = null;
  /** A copy of the compiler namespace whose createSourceFile appends the file name first. */
  const recording = (namespace) => {
    const ts = { ...namespace };
    const createSourceFile = ts.createSourceFile;
    ts.createSourceFile = function recordingCreateSourceFile(fileName, ...rest) {
      appendFileSync(out, `${fileName}\n`);
      return createSourceFile.call(this, fileName, ...rest);
    };
    return ts;
  };
  Module._load = function load(request, parent, isMain) {
    const loaded = originalLoad.call(this, request, parent, isMain);
    if (loaded === null || typeof loaded !== 'object') return loaded;
    if (request === '@ts-morph/common/dist/typescript.js') return (compiler ??= recording(loaded));
    if (request !== 'ts-morph') return loaded;
    if (wrapped === null) {
      const ts = recording(loaded.ts);
      wrapped = new Proxy(loaded, { get: (target, key) => (key === 'ts' ? ts : Reflect.get(target, key)) });
    }
    return wrapped;
  };
}
