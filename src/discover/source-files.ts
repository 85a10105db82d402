import { isSourceFile } from '../source/walk.js';

const TEST_FILE = /\.(test|spec)\.[^/]+$/;
const TEST_DIR = /(^|\/)(__tests__|__mocks__|test|tests)\//;

/** Source files that can hold handlers or CDK stacks: tests and mocks declare neither. */
export function isCandidateSource(rel: string): boolean {
  return isSourceFile(rel) && !TEST_FILE.test(rel) && !TEST_DIR.test(rel);
}
