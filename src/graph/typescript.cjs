'use strict';
/**
 * The TypeScript compiler API as bundled by ts-morph (TypeScript 6.0; `typescript@latest` is the
 * native port without a JavaScript API). Plain CommonJS on purpose: when ESM imports the CommonJS
 * ts-morph directly, Node first scans its 12 MB of sources for named exports, which adds about
 * 0.25 s to every run. Types: typescript.d.cts beside this file.
 *
 * The compiler's namespace exposes every member through a getter (its bundler's live bindings):
 * `ts.SyntaxKind` and `ts.forEachChild` each cost a function call, millions of times in the fact
 * pass. A frozen snapshot with plain properties reads the getters once.
 */
module.exports = Object.freeze({ ...require('ts-morph').ts });
