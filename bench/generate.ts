import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { isLeft } from 'fp-ts/Either';
import {
  evolveTask,
  taskDecider,
  taskStreamId,
  type TaskCommand,
  type TaskEvent,
  type TaskState,
} from '@duban/domain';
import { createEngine, createInMemoryEventStore } from '@duban/engine';
import { cacheDir, FILES, forEachLine, readMeta, sourceKey, type WorkloadMeta } from './data';
import { createEnvelopeWriter } from './envelopes';
import { baselineApply, baselineInitial, evolveImmutable } from './folds';
import { SIZES, workloadSteps, type SizeName, type WorkloadOptions } from './workload';

/**
 * `generate.ts <quick|full|province>`: builds the workload once and writes it to the cache (`data.ts`: `cacheDir`; commands
 * and envelopes as NDJSON), so that every measured child process only reads it. Not timed. Skipped
 * when the cache was built from the same sources. Before writing it checks two things: a sample of the
 * envelopes equals what `engine.execute` writes, and every hand-written fold gives Duban's states.
 */

/** Buffered line writer (a few MB at a time). */
const lineWriter = (path: string) => {
  const fd = openSync(path, 'w');
  let chunk: string[] = [];
  let size = 0;
  let bytes = 0;
  const flush = () => {
    const text = chunk.join('');
    bytes += writeSync(fd, text);
    chunk = [];
    size = 0;
  };
  return {
    line(text: string) {
      chunk.push(text, '\n');
      size += text.length + 1;
      if (size > 4_000_000) flush();
    },
    close(): number {
      flush();
      closeSync(fd);
      return bytes;
    },
  };
};

/** JSON with sorted keys and no `undefined` fields: compares states whatever their key order. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );

/** Every fold of the benchmark must give the state Duban's applyTask gives. */
const checkFolds = (events: readonly TaskEvent[]): void => {
  const folds: Record<string, (s: TaskState, e: TaskEvent) => TaskState> = {
    'Duban evolveTask (immer)': evolveTask,
    baseline: baselineApply,
    'immutable (Emmett, Castore)': (s, e) => evolveImmutable(s, e.type, e.data),
  };
  const reference = new Map<string, TaskState>();
  for (const e of events) {
    let s = reference.get(e.data.taskId);
    if (!s) reference.set(e.data.taskId, (s = taskDecider.initialState()));
    taskDecider.apply(s, e);
  }
  for (const [name, apply] of Object.entries(folds)) {
    const states = new Map<string, TaskState>();
    for (const e of events) {
      const s =
        states.get(e.data.taskId) ?? (name === 'baseline' ? baselineInitial() : taskDecider.initialState());
      states.set(e.data.taskId, apply(s, e));
    }
    for (const [taskId, expected] of reference) {
      const got = canonical(states.get(taskId));
      if (got !== canonical(expected))
        throw new Error(
          `fold "${name}" differs from applyTask on ${taskId}:\n${got}\n${canonical(expected)}`,
        );
    }
  }
};

/** The mirrored envelopes of the first commands must be what the real engine writes. */
const checkEnvelopes = async (
  sample: ReadonlyArray<{ commandId: string; command: TaskCommand; envelopes: unknown[] }>,
): Promise<void> => {
  const store = createInMemoryEventStore();
  const engine = createEngine({ store });
  for (const { commandId, command } of sample) {
    const result = await engine.execute(
      { type: command.type, data: command.data },
      { actor: command.actor, at: command.at, commandId },
    );
    if (isLeft(result)) throw new Error(`engine rejected ${commandId}: ${result.left.message}`);
  }
  const byStream = new Map<string, unknown[]>();
  for (const s of sample)
    for (const e of s.envelopes) {
      const streamId = taskStreamId(s.command.data.taskId);
      byStream.set(streamId, [...(byStream.get(streamId) ?? []), e]);
    }
  for (const [streamId, expected] of byStream) {
    const got = (await engine.readStream(streamId)).map(({ position: _p, ...e }) => e);
    if (JSON.stringify(got) !== JSON.stringify(expected))
      throw new Error(`mirrored envelopes of ${streamId} differ from the engine's`);
  }
};

/**
 * `events`: cut the size's history at this many events instead of its own `maxEvents` — the same
 * history's beginning (a province's first millions, where all 10M take most of an hour to generate on
 * a shared 2-core machine).
 */
export const generate = async (size: SizeName, events?: number): Promise<WorkloadMeta> => {
  const dir = cacheDir(size);
  const key = events === undefined ? sourceKey(size) : `${sourceKey(size)}-${events}`;
  if (existsSync(join(dir, FILES.meta))) {
    const meta = readMeta(size);
    if (meta.key === key) return meta;
  }
  const meta = await build(size, key, events);
  // Others edit the domain in this working tree: a workload built while its sources changed is rebuilt.
  return key.startsWith(sourceKey(size)) ? meta : generate(size, events);
};

/** A file that is not written: the province size writes only its envelopes. */
const noWriter = { line: (_text: string) => undefined, close: () => 0 };

/**
 * Streams the workload to disk (workload.ts `workloadSteps`): commands and envelopes are written as
 * they come, so memory holds the tasks open at once, not the history. The command slice is chosen
 * afterwards from the events each task ended up with, and copied out of the commands file.
 */
const build = async (size: SizeName, key: string, events?: number): Promise<WorkloadMeta> => {
  const dir = cacheDir(size);
  const started = performance.now();
  const options: WorkloadOptions & { commandEvents: number; envelopesOnly?: boolean } = {
    ...SIZES[size],
    ...(events === undefined ? {} : { maxEvents: events }),
  };
  mkdirSync(dir, { recursive: true });
  // The files are rewritten from here on: a build cut short must not leave the last one's meta saying
  // they are complete (meta.json is written last, by a rename).
  rmSync(join(dir, FILES.meta), { force: true });

  const commandsPath = join(dir, FILES.commands);
  const commands = options.envelopesOnly ? noWriter : lineWriter(commandsPath);
  const envelopes = lineWriter(join(dir, FILES.envelopes));
  const envelopesOf = createEnvelopeWriter();
  const sample: Array<{ commandId: string; command: TaskCommand; envelopes: unknown[] }> = [];
  const foldSample: TaskEvent[] = [];
  const eventsPerTask = new Map<string, number>();
  let commandCount = 0;
  let eventCount = 0;
  let v1Events = 0;
  for (const { commandId, command, events, old } of workloadSteps(options)) {
    const taskId = command.data.taskId;
    commandCount++;
    eventCount += events.length;
    eventsPerTask.set(taskId, (eventsPerTask.get(taskId) ?? 0) + events.length);
    if (commandCount <= 300_000) foldSample.push(...events);
    commands.line(JSON.stringify({ commandId, command }));
    const written = envelopesOf(command, commandId, events, old);
    for (const e of written) {
      if (e.metadata.schemaVersion === 1 && e.type === 'ProgressReported') v1Events++;
      envelopes.line(JSON.stringify(e));
    }
    if (!old && sample.length < 3000) sample.push({ commandId, command, envelopes: written });
  }
  commands.close();
  const envelopeBytes = envelopes.close();

  // The command path's slice: whole tasks, taken in id order (random with respect to time) until they
  // hold `commandEvents` events, with their commands kept in global order.
  const sliceTasks = new Set<string>();
  let sliceEvents = 0;
  for (const taskId of [...eventsPerTask.keys()].sort()) {
    const n = eventsPerTask.get(taskId)!;
    if (sliceEvents + n > options.commandEvents) break;
    sliceTasks.add(taskId);
    sliceEvents += n;
  }
  const slice = options.envelopesOnly ? noWriter : lineWriter(join(dir, FILES.commandSlice));
  let sliceCommands = 0;
  if (!options.envelopesOnly)
    forEachLine(commandsPath, (line) => {
      const { command } = JSON.parse(line) as { command: TaskCommand };
      if (!sliceTasks.has(command.data.taskId)) return;
      slice.line(line);
      sliceCommands++;
    });
  slice.close();

  await checkEnvelopes(sample);
  checkFolds(foldSample);

  const meta: WorkloadMeta = {
    key,
    size,
    seed: options.seed,
    tasks: eventsPerTask.size,
    units: options.units,
    commands: commandCount,
    events: eventCount,
    v1Events,
    envelopeBytes,
    commandSlice: { commands: sliceCommands, events: sliceEvents, tasks: sliceTasks.size },
    generatedIn: `${((performance.now() - started) / 1000).toFixed(1)} s`,
  };
  const metaPath = join(dir, FILES.meta);
  writeFileSync(`${metaPath}.partial`, JSON.stringify(meta, null, 2));
  renameSync(`${metaPath}.partial`, metaPath);
  return meta;
};

/** `--events=N` on the command line (run.ts passes it on): a cut of the size's history. */
export const eventsArgument = (argv: readonly string[]): number | undefined => {
  const given = argv.find((a) => a.startsWith('--events='))?.slice('--events='.length);
  if (given === undefined) return undefined;
  if (!/^\d+$/.test(given) || Number(given) === 0) throw new Error('--events=N: a whole number of events');
  return Number(given);
};

if (require.main === module) {
  const size = (process.argv[2] ?? 'quick') as SizeName;
  if (!(size in SIZES)) throw new Error(`size must be one of ${Object.keys(SIZES).join(', ')}`);
  generate(size, eventsArgument(process.argv)).then(
    (meta) => console.log(JSON.stringify(meta)),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
