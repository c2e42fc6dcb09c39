import { execFile } from 'node:child_process';
import { mkdtempSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { isLeft } from 'fp-ts/Either';
import type { Actor, TaskCommand } from '@duban/domain';
import {
  DOMAIN_STREAM_PREFIXES,
  createEngine,
  createInMemoryEventStore,
  type Engine,
  type EventStore,
} from '@duban/engine';
import { taskFixture } from '@duban/testing';
import { captureStream, run } from '@duban/cli';
import { envelopeLine } from '../src/export';

/** Runs `duban …` in-process, in `cwd`, and returns what it printed and its exit code. */
export const duban = async (argv: string[], options: { cwd: string; tty?: boolean }) => {
  const stdout = captureStream(options.tty);
  const stderr = captureStream(options.tty);
  const code = await run(argv, { stdout, stderr, cwd: options.cwd });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
};

/** docs/verify_seal.py: an auditor's own check, in Python with its standard library only. */
export const VERIFY_SEAL_PY = path.join(__dirname, '../../../docs/verify_seal.py');

/** Runs `python3 docs/verify_seal.py …` in `cwd`: its exit code and what it printed. */
export const verifySealPy = async (args: string[], cwd: string) => {
  try {
    const { stdout } = await promisify(execFile)('python3', [VERIFY_SEAL_PY, ...args], { cwd });
    return { code: 0, stdout };
  } catch (error) {
    const e = error as { code?: number | string; stdout?: string; stderr?: string };
    if (typeof e.code !== 'number') throw error; // python3 missing: a failure, not a skip
    return { code: e.code, stdout: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
};

export const tempDir = (name = 'duban-cli-'): string => mkdtempSync(path.join(os.tmpdir(), name));

export const write = async (dir: string, file: string, content: string | Buffer): Promise<string> => {
  const full = path.join(dir, file);
  await fs.writeFile(full, content);
  return full;
};

export const read = (dir: string, file: string) => fs.readFile(path.join(dir, file), 'utf8');

const commerce: Actor = { id: 'director-zhou', kind: 'unit', unitId: 'bureau-of-commerce' };
const finance: Actor = { id: 'officer-wu', kind: 'unit', unitId: 'bureau-of-finance' };
const transport: Actor = { id: 'officer-zheng', kind: 'unit', unitId: 'bureau-of-transport' };

/**
 * A small history with known revisions, written by the real engine (so hashes are real):
 * - T1 (commerce leads, finance co-operates): assigned, accepted, planned, reported, closed good — 7 events
 * - T2 (finance leads, key): urged, sent a notice, done in time → basic — 8 events
 * - T3 (transport leads, commerce co-operates): deadline missed, closed late → poor — 8 events
 * - unit-bureau-of-transport: one key inspection — 1 event
 * Events interleave across streams in the file, as an export of a live store does.
 */
type Step = TaskCommand | { type: string; actor: Actor; at: string; data: unknown };

/** The history the real engine writes for these commands, one NDJSON line per event. */
export const historyFrom = async (
  steps: readonly Step[],
): Promise<{ engine: Engine; store: EventStore; lines: string[] }> => {
  const store = createInMemoryEventStore();
  const engine = createEngine({ store });
  let n = 0;
  for (const c of steps) {
    const result = await engine.execute(
      { type: c.type, data: c.data },
      { actor: c.actor, at: c.at, commandId: `cmd-${++n}` },
    );
    if (isLeft(result)) throw new Error(`${c.type} rejected: ${result.left.message}`);
  }
  const lines: string[] = [];
  for await (const e of store.readAll({ streamPrefixes: DOMAIN_STREAM_PREFIXES }))
    lines.push(envelopeLine({ type: e.type, data: e.data, metadata: e.metadata }).trimEnd());
  return { engine, store, lines };
};

export const smallHistory = async (): Promise<{ engine: Engine; store: EventStore; lines: string[] }> => {
  const t1 = taskFixture({ taskId: 'T1' });
  const t2 = taskFixture({ taskId: 'T2', key: true });
  const t3 = taskFixture({ taskId: 'T3', deadlineInWorkingDays: 5 });
  const steps: Step[] = [
    t1.assign(),
    t2.assign({ leadUnit: 'bureau-of-finance', coUnits: [] }),
    t3.assign({ leadUnit: 'bureau-of-transport', coUnits: ['bureau-of-commerce'] }),
    t1.accept(undefined, commerce),
    t2.accept(undefined, finance),
    t3.accept(undefined, transport),
    t1.submitPlan(),
    t1.report(),
    t2.report({}, t2.day(2), finance),
    t3.report({}, t3.day(2), transport),
    t2.urge(),
    t3.checkDeadlines(t3.day(6)),
    {
      type: 'RecordInspection',
      actor: t1.actors.inspectionOffice,
      at: t1.day(6, 3),
      data: {
        unitId: 'bureau-of-transport',
        inspectionId: 'DC-1',
        approval: { ref: 'Mayor approved inspection 3', by: 'mayor' },
        methods: ['hear-reports', 'on-site-supervision'],
        findings: 'Work behind schedule',
        opinion: 'Catch up within two weeks',
        taskIds: ['T3'],
      },
    },
    t2.notice(),
    t3.requestClosure(t3.day(8), transport),
    t3.reviewClosure('poor', t3.day(9)),
    t3.approveClosure('poor', t3.day(10)),
    t1.requestClosure(),
    t2.requestClosure(t2.day(12), finance),
    t1.reviewClosure('good'),
    t2.reviewClosure('basic'),
    t1.approveClosure('good'),
    t2.approveClosure('basic'),
  ];
  return historyFrom(steps);
};

/** The lines of a stream, with their 1-based line numbers in the file. */
export const linesOf = (lines: readonly string[], streamId: string) =>
  lines
    .map((text, i) => ({
      text,
      line: i + 1,
      value: JSON.parse(text) as {
        type: string;
        data: Record<string, unknown>;
        metadata: Record<string, unknown>;
      },
    }))
    .filter((l) => l.value.metadata.streamId === streamId);

export const ndjson = (lines: readonly string[]) => `${lines.join('\n')}\n`;

/**
 * Re-hashes every chain of a history after an edit, as an insider with the file would: each event's
 * prevHash to the hash before it, each hash recomputed. The result verifies; only its content lies.
 */
export const rehashed = async (lines: readonly string[]): Promise<string[]> => {
  const { hashEvent, GENESIS_HASH } = await import('@duban/engine');
  const last = new Map<string, string>();
  return lines.map((line) => {
    const e = JSON.parse(line) as { type: string; data: unknown; metadata: Record<string, unknown> };
    const streamId = String(e.metadata.streamId);
    const metadata = { ...e.metadata, prevHash: last.get(streamId) ?? GENESIS_HASH };
    const hash = hashEvent({ type: e.type, data: e.data, metadata });
    last.set(streamId, hash);
    return JSON.stringify({ type: e.type, data: e.data, metadata: { ...metadata, hash } });
  });
};
