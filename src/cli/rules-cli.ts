import type { Argv, CommandModule } from 'yargs';
import type { CliIo } from './io.js';

/** `lambda-migrate rules [id]`: the rule list, or one rule's doc. */
export function rulesCommand<T>(io: CliIo) {
  const builder = (y: Argv<T>) => y.positional('id', { type: 'string', describe: 'Rule id' });
  type RulesArgs = ReturnType<typeof builder> extends Argv<infer A> ? A : never;
  const command: CommandModule<T, RulesArgs> = {
    command: 'rules [id]',
    describe: 'List the rules, or print the doc of one rule',
    builder,
    handler: async (args) => {
      if (args.id !== undefined) {
        const { ruleDocOf } = await import('../index.js');
        io.stdout.write(await ruleDocOf(args.id));
        return;
      }
      const { listRules } = await import('../index.js');
      const rules = await listRules();
      const width = Math.max(...rules.map((r) => r.id.length));
      for (const r of rules) {
        io.stdout.write(`${r.id.padEnd(width)}  ${r.severity.padEnd(5)}  ${r.category.padEnd(9)}  ${r.description}\n`);
      }
    },
  };
  return command;
}
