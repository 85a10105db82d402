import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../package-root.js';
import { UnknownRuleError, type RuleRegistry } from './registry.js';

/** The shipped doc of a rule (rules/<id>.md), for `lambda-migrate rules <id>`. */
export function ruleDoc(id: string, registry: RuleRegistry): string {
  if (!registry.ids.includes(id)) throw new UnknownRuleError(id, registry.ids);
  const text = readFileSync(path.join(packageRoot().dir, 'rules', `${id}.md`), 'utf8');
  return text.endsWith('\n') ? text : `${text}\n`;
}
