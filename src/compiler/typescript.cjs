'use strict';
/**
 * The TypeScript compiler API that ts-morph bundles (TypeScript 6.0; `typescript@latest` is the
 * native port without a JavaScript API). Plain CommonJS on purpose: when ESM imports the CommonJS
 * ts-morph directly, Node first scans its 12 MB of sources for named exports, which adds about
 * 0.25 s to every run. Types: typescript.d.cts beside this file.
 *
 * The compiler's namespace exposes every member through a getter (its bundler's live bindings):
 * `ts.SyntaxKind` and `ts.forEachChild` each cost a function call, millions of times in the fact
 * pass. A frozen snapshot with plain properties reads the getters once.
 */
// The compiler itself, from the copy ts-morph depends on, resolved from ts-morph's own folder (whatever npm hoisted):
// `require('ts-morph').ts` is the same compiler but loads ts-morph's 1 MB wrapper and its dependencies too, about
// 140 ms of every run that no pass uses.
const { createRequire } = require('node:module');
const fromTsMorph = createRequire(require.resolve('ts-morph'));
module.exports = Object.freeze({ ...fromTsMorph('@ts-morph/common/dist/typescript.js') });
