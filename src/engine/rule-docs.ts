import { readAsset } from '../assets.js';
import { UnknownRuleError, type RuleRegistry } from './registry.js';

/** The shipped doc of a rule (rules/<id>.md), for `lambda-migrate rules <id>`. */
export function ruleDoc(id: string, registry: RuleRegistry): string {
  if (!registry.ids.includes(id)) throw new UnknownRuleError(id, registry.ids);
  const text = readAsset(`rules/${id}.md`);
  return text.endsWith('\n') ? text : `${text}\n`;
}
