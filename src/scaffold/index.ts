/** `lambda-migrate scaffold`: the skeleton of a Rust port of one function. */
export { scaffoldFiles } from './files.js';
export { scaffoldInput, pickFunction, type PrepareOptions } from './prepare.js';
export { writeScaffold } from './write.js';
export type { ScaffoldInput } from './view.js';
