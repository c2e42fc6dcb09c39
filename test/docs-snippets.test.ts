import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

/**
 * Every code block in the README, CONTRIBUTING.md, docs/ and the package READMEs is checked:
 * - `ts` blocks are type-checked (strict, the repository's compiler options, @duban/* on the sources),
 *   each as a module of its own; `<!-- snippet: continues -->` on the line before a block appends it to
 *   the previous `ts` block of the page; `<!-- snippet: run -->` also runs it with tsx (exit 0 required);
 * - `json` blocks must parse;
 * - anything else (shell sessions, transcripts, diagrams) must be marked
 *   `<!-- snippet: skip — why -->`, with the reason, or this test fails.
 * Snippets are written to examples/.snippets/, where a user's imports (fp-ts, @duban/*) resolve.
 */
const root = path.resolve(__dirname, '..');
const outDir = path.join(root, 'examples', '.snippets');

const pages = (): string[] => {
  const list = ['README.md', 'CONTRIBUTING.md'];
  for (const f of readdirSync(path.join(root, 'docs'))) if (f.endsWith('.md')) list.push(`docs/${f}`);
  for (const d of readdirSync(path.join(root, 'packages')))
    if (existsSync(path.join(root, 'packages', d, 'README.md'))) list.push(`packages/${d}/README.md`);
  return list.filter((f) => existsSync(path.join(root, f)));
};

interface Block {
  readonly page: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly lang: string;
  readonly code: string;
  readonly marks: readonly string[];
  readonly reason: string;
}

const MARK = /^<!--\s*snippet:\s*([a-z ]+?)\s*(?:—\s*(.*?))?\s*-->$/;
const KNOWN_MARKS = new Set(['skip', 'continues', 'run']);

const blocksOf = (page: string): Block[] => {
  const lines = readFileSync(path.join(root, page), 'utf8').split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)/.exec(lines[i]!);
    if (!open) continue;
    const [, indent = '', fence = '', lang = ''] = open;
    let end = i + 1;
    while (end < lines.length && lines[end]!.trim() !== fence) end++;
    let before = i - 1;
    while (before >= 0 && lines[before]!.trim() === '') before--;
    const mark = before >= 0 ? MARK.exec(lines[before]!.trim()) : null;
    blocks.push({
      page,
      line: i + 1,
      lang,
      code: lines
        .slice(i + 1, end)
        .map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l))
        .join('\n'),
      marks: mark ? mark[1]!.split(/\s+/) : [],
      reason: mark?.[2] ?? '',
    });
    i = end;
  }
  return blocks;
};

const allBlocks = pages().flatMap(blocksOf);
const where = (b: Block) => `${b.page}:${b.line}`;
const isTs = (b: Block) => b.lang === 'ts' || b.lang === 'typescript';

/** A `ts` block with the blocks it continues: one generated file, with where each part came from. */
interface Snippet {
  readonly file: string;
  readonly block: Block;
  readonly parts: ReadonlyArray<{ block: Block; firstLine: number }>;
}

const snippets = (): Snippet[] => {
  const out: Snippet[] = [];
  const previous = new Map<string, Snippet>();
  for (const b of allBlocks.filter((x) => isTs(x) && !x.marks.includes('skip'))) {
    const chain = b.marks.includes('continues') ? previous.get(b.page) : undefined;
    if (b.marks.includes('continues') && !chain)
      throw new Error(`${where(b)}: continues, but no ts block before it`);
    const parts = [...(chain?.parts ?? []), { block: b, firstLine: 0 }];
    const name = `${b.page.replace(/[^A-Za-z0-9]+/g, '-')}-L${b.line}.ts`;
    const snippet = { file: path.join(outDir, name), block: b, parts: layout(parts.map((p) => p.block)) };
    previous.set(b.page, snippet);
    out.push(snippet);
  }
  return out;
};

/** Where each block starts in the generated file (1-based): blocks are joined by one blank line. */
const layout = (blocks: readonly Block[]) => {
  let line = 1;
  return blocks.map((block) => {
    const part = { block, firstLine: line };
    line += block.code.split('\n').length + 1;
    return part;
  });
};

const source = (s: Snippet) => `${s.parts.map((p) => p.block.code).join('\n\n')}\n\nexport {};\n`;

/** The page and line a line of a generated file comes from. */
const origin = (s: Snippet, line: number) => {
  const part = [...s.parts].reverse().find((p) => p.firstLine <= line) ?? s.parts[0]!;
  return `${part.block.page}:${part.block.line + 1 + (line - part.firstLine)}`;
};

describe('code blocks in the README and docs', () => {
  beforeAll(() => {
    rmSync(outDir, { recursive: true, force: true });
    mkdirSync(outDir, { recursive: true });
    for (const s of snippets()) writeFileSync(s.file, source(s));
  });
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('are found on every page (the test reads what it claims to read)', () => {
    expect(pages()).toEqual(expect.arrayContaining(['README.md', 'docs/embedding.md']));
    expect(allBlocks.filter(isTs).length).toBeGreaterThan(5);
  });

  it('are each checked, or marked skipped with a reason', () => {
    const problems: string[] = [];
    for (const b of allBlocks) {
      for (const m of b.marks) if (!KNOWN_MARKS.has(m)) problems.push(`${where(b)}: unknown mark "${m}"`);
      if (b.marks.includes('skip')) {
        if (!b.reason) problems.push(`${where(b)}: skipped without a reason (<!-- snippet: skip — why -->)`);
      } else if (!isTs(b) && b.lang !== 'json') {
        problems.push(`${where(b)}: a ${b.lang || 'plain'} block is neither checked nor marked skipped`);
      }
      if (b.marks.includes('skip') && b.marks.length > 1) problems.push(`${where(b)}: skip goes alone`);
    }
    expect(problems).toEqual([]);
  });

  it('json blocks parse', () => {
    const problems: string[] = [];
    for (const b of allBlocks.filter((x) => x.lang === 'json' && !x.marks.includes('skip'))) {
      try {
        JSON.parse(b.code);
      } catch (error) {
        problems.push(`${where(b)}: ${(error as Error).message}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('ts blocks type-check against the workspace packages', () => {
    const list = snippets();
    const config = ts.getParsedCommandLineOfConfigFile(
      path.join(root, 'tsconfig.json'),
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (d) => {
          throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
        },
      },
    )!;
    const program = ts.createProgram(
      list.map((s) => s.file),
      config.options,
    );
    const problems: string[] = [];
    for (const s of list) {
      const file = program.getSourceFile(s.file)!;
      for (const d of [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)]) {
        const line = d.start === undefined ? 1 : file.getLineAndCharacterOfPosition(d.start).line + 1;
        problems.push(
          `${origin(s, line)}: TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`,
        );
      }
    }
    expect(problems).toEqual([]);
  }, 180_000);

  it('blocks marked run exit 0 under tsx, as the repository runs examples', () => {
    const runnable = snippets().filter((x) => x.block.marks.includes('run'));
    expect(runnable.length).toBeGreaterThan(0);
    const problems: string[] = [];
    for (const s of runnable) {
      const r = spawnSync(process.execPath, ['--import', 'tsx', s.file], {
        cwd: root,
        encoding: 'utf8',
        timeout: 60_000,
      });
      if (r.status !== 0 || r.stderr)
        problems.push(`${where(s.block)}: exit ${r.status ?? r.signal}\n${r.stderr}`);
    }
    expect(problems).toEqual([]);
  }, 120_000);
});
