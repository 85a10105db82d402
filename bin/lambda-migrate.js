#!/usr/bin/env node
import module from 'node:module';

// Node 22.1+ keeps V8's compiled code of the modules it loads (the TypeScript compiler alone is 9 MB of JavaScript)
// in the OS temp folder, so later runs skip most of the compile; Node 20 has no such cache and starts as before.
module.enableCompileCache?.();
const { main } = await import('../dist/src/cli/main.js');

process.exitCode = await main(process.argv.slice(2));
