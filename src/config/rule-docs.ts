import { readFileSync } from 'node:fs';
import path from 'node:path';
import { UnknownRuleError } from '../engine/run-rules.js';
import { packageRoot } from '../package-root.js';
import { RULE_IDS } from '../../rules/index.js';

/** The shipped doc of a rule (rules/<id>.md), for `lambda-migrate rules <id>`. */
export function ruleDoc(id: string): string {
  if (!RULE_IDS.includes(id)) throw new UnknownRuleError(id);
  const text = readFileSync(path.join(packageRoot().dir, 'rules', `${id}.md`), 'utf8');
  return text.endsWith('\n') ? text : `${text}\n`;
}
