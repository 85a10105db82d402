import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RULE_IDS, RULE_LOADERS } from '../../rules/index.js';
import { scanFiles } from '../helpers/rule-tester.js';

/**
 * Every rule has rules/<id>.md in the agreed shape, and its examples behave as the doc says
 * (typescript-eslint's docs.test.mts): the failing block is flagged by that rule, the passing one is not.
 */

const RULES_DIR = fileURLToPath(new URL('../../rules/', import.meta.url));

const SECTIONS = ['Why', 'Failing example', 'Passing example', 'Options', 'How to fix', 'When not to use it'];
/** Optional under "How to fix", but when present they come in this order. */
const FIX_SUBSECTIONS = ['Serverless Framework', 'AWS SAM', 'AWS CDK'];

interface CodeBlock {
  info: string;
  body: string;
}

interface Section {
  title: string;
  /** Text lines outside fenced code blocks. */
  prose: string[];
  blocks: CodeBlock[];
}

/** Splits a doc into its `## ` sections; headings inside fenced code do not count. */
function parseDoc(text: string): { lines: string[]; sections: Section[] } {
  const lines = text.split(/\r?\n/);
  const sections: Section[] = [];
  let current: Section | null = null;
  let fence: { marker: string; info: string; body: string[] } | null = null;
  for (const line of lines) {
    if (fence) {
      if (line.trim() === fence.marker) {
        current?.blocks.push({ info: fence.info, body: fence.body.join('\n') + '\n' });
        fence = null;
      } else {
        fence.body.push(line);
      }
      continue;
    }
    const open = /^(`{3,}|~{3,})(.*)$/.exec(line);
    if (open) {
      fence = { marker: open[1] ?? '```', info: (open[2] ?? '').trim(), body: [] };
      continue;
    }
    const h2 = /^## (.+)$/.exec(line);
    if (h2) {
      current = { title: (h2[1] ?? '').trim(), prose: [], blocks: [] };
      sections.push(current);
      continue;
    }
    current?.prose.push(line);
  }
  if (fence) throw new Error(`unclosed code fence '${fence.marker}${fence.info}'`);
  return { lines, sections };
}

/**
 * `ts handler.ts` -> { file: 'handler.ts' }; the language must match the file's extension. IaC files (`yaml
 * serverless.yml`, `json template.json`) may sit beside the source, for rules about what the IaC declares.
 */
function exampleFile(block: CodeBlock): { file: string } {
  const m = /^(ts|js|mjs|yaml|json) ([\w./-]+)$/.exec(block.info);
  if (!m) throw new Error(`example info string must be '<ts|js|mjs|yaml|json> <file>', got '${block.info}'`);
  const lang = m[1] ?? '';
  const file = m[2] ?? '';
  const exts = lang === 'yaml' ? ['.yml', '.yaml'] : [`.${lang}`];
  if (!exts.includes(path.extname(file))) throw new Error(`example file ${file} does not match its language ${lang}`);
  return { file };
}

function section(sections: Section[], title: string): Section {
  const found = sections.find((s) => s.title === title);
  if (!found) throw new Error(`no '## ${title}' section`);
  return found;
}

/**
 * The code blocks of an example section: one file, or (for rules about IaC) the IaC file and the handler it
 * names, each block one file of the same service.
 */
function example(sections: Section[], title: string): CodeBlock[] {
  const blocks = section(sections, title).blocks;
  if (blocks.length === 0) throw new Error(`'## ${title}' must hold at least one code block`);
  return blocks;
}

/** Files of an `<!-- installed: test/fixtures/DIR -->` marker (a rule that needs node_modules), by path in DIR. */
function installedFiles(section: Section): Record<string, string> {
  const dir = section.prose.map((l) => /^<!-- installed: ([\w./-]+) -->$/.exec(l.trim())?.[1]).find((d) => d !== undefined);
  if (!dir) return {};
  const root = fileURLToPath(new URL(`../../${dir}/`, import.meta.url));
  const out: Record<string, string> = {};
  const visit = (rel: string): void => {
    for (const e of readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) visit(r);
      else out[r] = readFileSync(path.join(root, r), 'utf8');
    }
  };
  visit('');
  return out;
}

async function findingsOf(id: string, blocks: CodeBlock[], installed: Record<string, string> = {}): Promise<{ functions: number; findings: number }> {
  const files = { ...installed, ...Object.fromEntries(blocks.map((block) => [exampleFile(block).file, block.body])) };
  const result = await scanFiles(files, [id]);
  return {
    functions: result.functions.length,
    findings: result.functions.flatMap((f) => f.findings).filter((f) => f.ruleId === id).length,
  };
}

describe('rule docs', () => {
  it('every rules/*.md belongs to a rule (no orphan docs)', () => {
    const docs = readdirSync(RULES_DIR)
      .filter((name) => name.endsWith('.md'))
      .map((name) => name.slice(0, -'.md'.length));
    expect(docs.length).toBeGreaterThan(0);
    expect(docs.filter((id) => !RULE_IDS.includes(id))).toEqual([]);
  });

  for (const id of RULE_IDS) {
    describe(id, () => {
      const file = path.join(RULES_DIR, `${id}.md`);
      const read = () => parseDoc(readFileSync(file, 'utf8'));

      it('has rules/<id>.md', () => {
        expect(existsSync(file)).toBe(true);
      });

      it('starts with the id and the rule description', async () => {
        const { lines } = read();
        const load = RULE_LOADERS[id];
        if (!load) throw new Error(`no loader for ${id}`);
        const { default: rule } = await load();
        expect(lines[0]).toBe(`# ${id}`);
        const nonEmpty = lines.filter((l) => l.trim() !== '');
        expect(nonEmpty[1]).toBe(rule.meta.description);
      });

      it('documents every option the rule declares and no other, each with the default the schema gives', async () => {
        const { sections } = read();
        const load = RULE_LOADERS[id];
        if (!load) throw new Error(`no loader for ${id}`);
        const { default: rule } = await load();
        // `- \`name\` (default \`v\`` and `| \`name\` | \`v\` |`: the two shapes the Options sections use.
        const documented = section(sections, 'Options').prose.flatMap((l) => {
          const m = /^- `(\w+)` \((?:[a-z]+, )?default `([^`]*)`/.exec(l) ?? /^\| `(\w+)` \| `([^`]*)` \|/.exec(l);
          return m ? [{ name: m[1] ?? '', shown: m[2] ?? '' }] : [];
        });
        const declared = Object.keys(rule.meta.options);
        if (declared.length === 0) expect(section(sections, 'Options').prose.join(' ').trim()).toBe('None.');
        for (const { name, shown } of documented) {
          expect(declared, `${id}.md names option ${name}`).toContain(name);
          const value = rule.meta.options[name]?.default;
          expect(shown, `${id}.md: default of ${name}`).toBe(value === '' ? "''" : String(value));
        }
        expect(documented.map((d) => d.name).sort(), `${id}.md: the Options section`).toEqual([...declared].sort());
      });

      it('has the sections in order, and the fix subsections in order', () => {
        const { sections } = read();
        expect(sections.map((s) => s.title)).toEqual(SECTIONS);
        const subs = section(sections, 'How to fix')
          .prose.map((l) => /^### (.+)$/.exec(l)?.[1]?.trim())
          .filter((t): t is string => t !== undefined && FIX_SUBSECTIONS.includes(t));
        expect(subs).toEqual(FIX_SUBSECTIONS.filter((t) => subs.includes(t)));
      });

      it('has example blocks naming their files in each example section', () => {
        const { sections } = read();
        for (const title of ['Failing example', 'Passing example']) {
          expect(() => example(sections, title).map(exampleFile), title).not.toThrow();
        }
      });

      it('the failing example is flagged by the rule', async () => {
        const { sections } = read();
        const got = await findingsOf(id, example(sections, 'Failing example'), installedFiles(section(sections, 'Failing example')));
        expect(got.functions).toBeGreaterThan(0);
        expect(got.findings).toBeGreaterThan(0);
      });

      it('the passing example is not flagged by the rule', async () => {
        const { sections } = read();
        const got = await findingsOf(id, example(sections, 'Passing example'), installedFiles(section(sections, 'Passing example')));
        expect(got.functions).toBeGreaterThan(0);
        expect(got.findings).toBe(0);
      });
    });
  }
});
