import { normalizeBuiltin } from '../io-catalog.js';

/** `lodash/get` -> `lodash`, `@aws-sdk/client-s3/dist` -> `@aws-sdk/client-s3`. */
export function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  if (specifier.startsWith('@')) return parts.slice(0, 2).join('/');
  return parts[0] ?? specifier;
}

export function isBareSpecifier(specifier: string): boolean {
  return !specifier.startsWith('.') && !specifier.startsWith('/') && !/^[a-z]+:/i.test(normalizeBuiltin(specifier));
}
