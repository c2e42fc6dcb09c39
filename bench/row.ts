import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { isLeft } from 'fp-ts/Either';
import {
  decideTask,
  decodeEvent,
  defaultContext,
  evolveTask,
  taskDecider,
  type TaskEvent,
  type TaskState,
  DEFAULT_SCORING_POLICY,
} from '@duban/domain';
import {
  createChainVerifier,
  createEngine,
  createInMemoryEventStore,
  createUpcasterRegistry,
  eventOf,
  quartersOf,
  supervisionProjection,
  taskBoard,
  unitScorecard,
  type Envelope,
  type SupervisionModel,
} from '@duban/engine';
import {
  envelopesPath,
  forEachLine,
  loadCommandSlice,
  loadNdjson,
  MEASUREMENTS,
  readMeta,
  SMALL_CACHE,
  type Measurement,
} from './data';
import { baselineApply, baselineInitial } from './folds';
import { byStream, digestOf, seedStreams } from './streams';
import { SIZES, type SizeName } from './workload';

/**
 * `row.ts [--serve] <measurement> <row> <size>`: one row of one table, measured in its own process so its
 * peak RSS is its own. Loads its input from the cache (untimed), warms up, then times ≥ 5 runs and
 * prints one `RESULT {json}` line: every run's time, the median rate, peak RSS. Standalone it runs by
 * itself; with `--serve`, run.ts tells it when to run (see `serve`).
 */

export interface RowResult {
  readonly measurement: Measurement;
  readonly row: string;
  readonly size: SizeName;
  readonly unit: 'events' | 'commands';
  readonly work: number;
  readonly runsMs: number[];
  readonly medianMs: number;
  /** Work per second at the median run. */
  readonly rate: number;
  readonly peakRssBytes: number;
  /** RSS once the input is loaded, before the first run. */
  readonly loadedRssBytes: number;
  /** A number derived from the result (states or appended events), the same for rows that agree. */
  readonly digest: number;
  /** Median ms of extra timings the row took besides its runs (Duban: the board and scorecard queries). */
  readonly extras: Record<string, number>;
  readonly note?: string;
}

/** Above this many events, the Emmett rebuild row seeds its store with a subset of the tasks. */
const EMMETT_SEED_LIMIT = 150_000;

interface Setup {
  readonly unit: 'events' | 'commands';
  readonly work: number;
  /** Said next to the row in the table when its input differs from the other rows'. */
  readonly note?: string;
  /** Does the first `limit` units of work (all of it when timed; a part to warm up). */
  readonly run: (limit: number) => number | Promise<number>;
  /** Untimed by the main clock: runs after each timed run, timed on its own as an extra. */
  readonly after?: { readonly name: string; readonly run: () => void };
}

/** Immer as the domain loads it (the same module instance), to switch auto-freeze off. */
const domainImmer = (): { setAutoFreeze(on: boolean): void } =>
  createRequire(require.resolve('@duban/domain/package.json'))('immer') as {
    setAutoFreeze(on: boolean): void;
  };

/**
 * The peers and the PostgreSQL rows are loaded by the rows that use them, so another row's peak RSS does not
 * carry their code (Emmett, Castore, pg: some 10 MB).
 */
const peers = () => import('./peers.js');
const postgres = () => import('./postgres.js');

/** A board of task states, one per task, folded in global order by a function returning the state. */
const boardFold = (
  envelopes: readonly Envelope[],
  limit: number,
  initial: () => TaskState,
  apply: (s: TaskState, e: TaskEvent) => TaskState,
): number => {
  const states = new Map<string, TaskState>();
  for (let i = 0; i < limit; i++) {
    const e = envelopes[i]! as Envelope<TaskEvent>;
    const id = e.data.taskId;
    states.set(id, apply(states.get(id) ?? initial(), eventOf(e)));
  }
  return digestOf(states.values());
};

/** The read-model queries on the folded model: the task board and every quarter's unit scorecard. */
const boardAndScorecards = (model: SupervisionModel, now: string): number => {
  const ctx = defaultContext();
  let n = taskBoard(model, now, ctx).length;
  for (const quarter of quartersOf(model, ctx))
    n += unitScorecard(model, quarter, DEFAULT_SCORING_POLICY, ctx).length;
  return n;
};

const replay = async (row: string, size: SizeName): Promise<Setup> => {
  // The parsed history: envelopes as engine.readAll hands them out (upcast), in global order.
  const upcasters = createUpcasterRegistry();
  let envelopes: Envelope[] = loadNdjson<Envelope>(envelopesPath(size)).map((e) => upcasters.upcast(e));
  const work = envelopes.length;
  const taskIds = [...new Set(envelopes.map((e) => e.metadata.streamId.slice(5)))];
  /** Per-task rows warm up on a share of the tasks like the others on a share of the events. */
  const tasksFor = (limit: number) => taskIds.slice(0, Math.ceil((taskIds.length * limit) / work));
  /** The peers take the domain events alone; the envelopes are dropped once they are seeded. */
  const domainEvents = () => {
    const events = envelopes.map((e) => eventOf(e) as TaskEvent);
    envelopes = [];
    return events;
  };
  switch (row) {
    case 'baseline':
      return {
        unit: 'events',
        work,
        run: (n) => {
          const states = new Map<string, TaskState>();
          for (let i = 0; i < n; i++) {
            const e = envelopes[i]! as unknown as TaskEvent; // an envelope has the event's type and data
            const id = e.data.taskId;
            let s = states.get(id);
            if (s === undefined) states.set(id, (s = baselineInitial()));
            baselineApply(s, e);
          }
          return digestOf(states.values());
        },
      };
    case 'duban': {
      // The shipped replay path: the supervision projection (applyTask in place) over every envelope.
      // The task board and the unit scorecards are queries on its model, timed apart as an extra.
      const now = envelopes[work - 1]!.metadata.at;
      let model = supervisionProjection.init();
      return {
        unit: 'events',
        work,
        run: (n) => {
          model = supervisionProjection.init();
          for (let i = 0; i < n; i++) supervisionProjection.apply(model, envelopes[i]!);
          return digestOf(Object.values(model.tasks));
        },
        after: { name: 'board+scorecards', run: () => boardAndScorecards(model, now) },
      };
    }
    case 'duban-nofreeze': {
      domainImmer().setAutoFreeze(false);
      if (Object.isFrozen(evolveTask(taskDecider.initialState(), eventOf(envelopes[0]!) as TaskEvent)))
        throw new Error('setAutoFreeze(false) did not reach the domain’s immer');
      return {
        unit: 'events',
        work,
        run: (n) => boardFold(envelopes, n, taskDecider.initialState, evolveTask),
      };
    }
    case 'duban-immer':
      if (!Object.isFrozen(evolveTask(taskDecider.initialState(), eventOf(envelopes[0]!) as TaskEvent)))
        throw new Error('expected immer to auto-freeze');
      return {
        unit: 'events',
        work,
        run: (n) => boardFold(envelopes, n, taskDecider.initialState, evolveTask),
      };
    case 'duban-store': {
      // Duban's own in-memory store: `rebuild(supervisionProjection, engine.readAll())`.
      const store = createInMemoryEventStore();
      await seedStreams(store, byStream(envelopes));
      envelopes = [];
      const engine = createEngine({ store });
      return {
        unit: 'events',
        work,
        run: async (n) => {
          const model = supervisionProjection.init();
          let i = 0;
          for await (const envelope of engine.readAll()) {
            if (i++ >= n) break;
            supervisionProjection.apply(model, envelope);
          }
          return digestOf(Object.values(model.tasks));
        },
      };
    }
    case 'emmett': {
      // Seeding Emmett's in-memory store is quadratic: each appended event recounts every stream for its
      // global position (a million events take over 20 minutes). Past EMMETT_SEED_LIMIT events it holds
      // the whole lives of a subset of the tasks; a rebuild's cost per event does not depend on the
      // number of other streams in the store.
      let events = domainEvents();
      let ids = taskIds;
      if (events.length > EMMETT_SEED_LIMIT) {
        const counts = new Map<string, number>();
        for (const e of events) counts.set(e.data.taskId, (counts.get(e.data.taskId) ?? 0) + 1);
        const chosen = new Set<string>();
        let total = 0;
        for (const id of [...taskIds].sort()) {
          const n = counts.get(id)!;
          if (total + n > EMMETT_SEED_LIMIT) break;
          chosen.add(id);
          total += n;
        }
        events = events.filter((e) => chosen.has(e.data.taskId));
        ids = taskIds.filter((id) => chosen.has(id));
      }
      const { emmettStoreWith, emmettRebuild } = await peers();
      const store = await emmettStoreWith(events);
      const seeded = events.length;
      const note =
        seeded < work
          ? `store seeded with ${seeded} events (${ids.length} whole tasks): seeding is quadratic`
          : '';
      events = [];
      return {
        unit: 'events',
        work: seeded,
        note,
        run: async (n) =>
          digestOf((await emmettRebuild(store, ids.slice(0, Math.ceil((ids.length * n) / seeded)))).values()),
      };
    }
    case 'castore': {
      const { castoreStoreWith, castoreRebuild } = await peers();
      const store = castoreStoreWith(domainEvents());
      return {
        unit: 'events',
        work,
        run: async (n) => digestOf((await castoreRebuild(store, tasksFor(n))).values()),
      };
    }
  }
  throw new Error(`no replay row ${row}`);
};

const ndjson = (row: string, size: SizeName): Setup => {
  const path = envelopesPath(size);
  const work = readMeta(size).events;
  const upcasters = createUpcasterRegistry();
  switch (row) {
    case 'parse':
      return {
        unit: 'events',
        work,
        run: (n) => {
          let d = 0;
          forEachLine(
            path,
            (line) => {
              d += (JSON.parse(line) as Envelope).metadata.revision;
            },
            n,
          );
          return d;
        },
      };
    case 'baseline':
      return {
        unit: 'events',
        work,
        run: (n) => {
          const states = new Map<string, TaskState>();
          forEachLine(
            path,
            (line) => {
              const e = JSON.parse(line) as TaskEvent;
              const id = e.data.taskId;
              let s = states.get(id);
              if (s === undefined) states.set(id, (s = baselineInitial()));
              baselineApply(s, e);
            },
            n,
          );
          return digestOf(states.values());
        },
      };
    case 'duban':
    case 'duban-verify': {
      const verify = row === 'duban-verify';
      return {
        unit: 'events',
        work,
        run: (n) => {
          const verifier = createChainVerifier();
          const model = supervisionProjection.init();
          forEachLine(
            path,
            (line) => {
              const stored = JSON.parse(line) as Envelope;
              if (verify) verifier.push(stored);
              const envelope = upcasters.upcast(stored);
              const decoded = decodeEvent(eventOf(envelope));
              if (isLeft(decoded)) throw new Error(decoded.left.message);
              supervisionProjection.apply(model, {
                type: decoded.right.type,
                data: decoded.right.data,
                metadata: envelope.metadata,
              });
            },
            n,
          );
          if (verify) {
            const report = verifier.report();
            if (!report.ok) throw new Error(`hash chain broken: ${JSON.stringify(report.firstBreak)}`);
          }
          return digestOf(Object.values(model.tasks));
        },
      };
    }
  }
  throw new Error(`no ndjson row ${row}`);
};

const command = async (row: string, size: SizeName): Promise<Setup> => {
  const commands = loadCommandSlice(size);
  const work = commands.length;
  const ctx = defaultContext();
  const each = async (limit: number, handle: (c: (typeof commands)[number]) => Promise<number>) => {
    let appended = 0;
    for (let i = 0; i < limit; i++) appended += await handle(commands[i]!);
    return appended;
  };
  switch (row) {
    case 'baseline':
      // A raw handler: re-reads the stream each command, mutable fold, decide, push. No decoding, no hash.
      return {
        unit: 'commands',
        work,
        run: (n) => {
          const streams = new Map<string, TaskEvent[]>();
          let appended = 0;
          for (let i = 0; i < n; i++) {
            const { command } = commands[i]!;
            const id = command.data.taskId;
            let stream = streams.get(id);
            const state = baselineInitial();
            if (stream) for (const e of stream) baselineApply(state, e);
            const decision = decideTask(command, state, ctx);
            if (isLeft(decision)) throw new Error(`${command.type} rejected: ${decision.left.message}`);
            if (decision.right.length === 0) continue;
            if (!stream) streams.set(id, (stream = []));
            for (const e of decision.right) stream.push(e);
            appended += decision.right.length;
          }
          return appended;
        },
      };
    case 'duban':
    case 'duban-nocache':
    case 'duban-small-cache':
      return {
        unit: 'commands',
        work,
        run: (n) => {
          const cacheSize = row === 'duban' ? undefined : row === 'duban-nocache' ? 0 : SMALL_CACHE;
          const engine = createEngine({ store: createInMemoryEventStore(), cacheSize });
          return each(n, async ({ commandId, command }) => {
            const result = await engine.execute(
              { type: command.type, data: command.data },
              { actor: command.actor, at: command.at, commandId },
            );
            if (isLeft(result)) throw new Error(`${command.type} rejected: ${result.left.message}`);
            return result.right.events.length;
          });
        },
      };
    case 'emmett': {
      const { emmettCommandPath } = await peers();
      return {
        unit: 'commands',
        work,
        run: (n) => {
          const handle = emmettCommandPath(ctx);
          return each(n, ({ command }) => handle(command));
        },
      };
    }
    case 'castore': {
      const { castoreCommandPath } = await peers();
      return {
        unit: 'commands',
        work,
        run: (n) => {
          const handle = castoreCommandPath(ctx);
          return each(n, ({ command }) => handle(command));
        },
      };
    }
  }
  throw new Error(`no command row ${row}`);
};

/** A full collection between runs (not while profiling: forced collections would swamp the profile). */
const gc = (): void => {
  if (!process.env.BENCH_PROFILE) (globalThis as { gc?: () => void }).gc?.();
};

/** CPU profile of the timed runs only (not the loading): `BENCH_PROFILE=file.cpuprofile`. */
const startProfile = async (): Promise<(() => Promise<void>) | undefined> => {
  const file = process.env.BENCH_PROFILE;
  if (!file) return undefined;
  const session = new Session();
  session.connect();
  const post = (method: string, params?: object) =>
    new Promise<unknown>((resolve, reject) =>
      session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result))),
    );
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: 200 });
  await post('Profiler.start');
  return async () => {
    const { profile } = (await post('Profiler.stop')) as {
      profile: { nodes: Array<{ callFrame: { scriptId: string; url: string } }> };
    };
    // tsx compiles each .ts file to one line of JS with an inline source map: keep the maps, so that
    // profile.ts can name the original line of every sample in our own sources.
    await post('Debugger.enable');
    const sourceMaps: Record<string, unknown> = {};
    for (const { callFrame } of profile.nodes) {
      if (!callFrame.url.endsWith('.ts') || callFrame.scriptId in sourceMaps) continue;
      const { scriptSource } = (await post('Debugger.getScriptSource', { scriptId: callFrame.scriptId })) as {
        scriptSource: string;
      };
      const inline = /sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/.exec(
        scriptSource,
      );
      sourceMaps[callFrame.scriptId] = inline
        ? JSON.parse(Buffer.from(inline[1]!, 'base64').toString())
        : null;
    }
    writeFileSync(file, JSON.stringify({ ...profile, sourceMaps }));
    session.disconnect();
  };
};

const median = (xs: readonly number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/** A row loaded and warmed up, ready for timed runs: `runOnce()` as often as wanted, then `result()`. */
export interface PreparedRow {
  runOnce(): Promise<number>;
  result(): RowResult;
}

export const prepareRow = async (
  measurement: Measurement,
  row: string,
  size: SizeName,
): Promise<PreparedRow> => {
  if (measurement === 'cli') throw new Error('the cli rows run the built binary: see cli.ts');
  const setup: Setup =
    measurement === 'replay'
      ? await replay(row, size)
      : measurement === 'ndjson'
        ? ndjson(row, size)
        : measurement === 'pg-command-1'
          ? await (await postgres()).pgCommand(row, size, 1)
          : measurement === 'pg-command-8'
            ? await (await postgres()).pgCommand(row, size, 8)
            : measurement === 'pg-replay'
              ? await (await postgres()).pgReplay(row, size)
              : await command(row, size);
  gc();
  const loadedRssBytes = process.memoryUsage.rss();
  // Warm-up on a fifth of the work, so the JIT has compiled the hot paths before the timed runs.
  await setup.run(Math.max(1, Math.ceil(setup.work / 5)));
  // The extra (the queries) warms up too: its first timed run would otherwise pay for compiling it.
  setup.after?.run();
  let digest: number | undefined;
  const extras: Record<string, number[]> = {};
  const runsMs: number[] = [];
  return {
    async runOnce() {
      gc();
      const t0 = performance.now();
      const d = await setup.run(setup.work);
      const ms = performance.now() - t0;
      if (digest !== undefined && d !== digest)
        throw new Error(`run gave digest ${d}, the one before ${digest}`);
      digest = d;
      runsMs.push(ms);
      if (setup.after) {
        // A full GC first, as before each run: the queries would otherwise pay for the fold's garbage.
        gc();
        const t1 = performance.now();
        setup.after.run();
        (extras[setup.after.name] ??= []).push(performance.now() - t1);
      }
      return ms;
    },
    result() {
      const medianMs = median(runsMs);
      return {
        measurement,
        row,
        size,
        unit: setup.unit,
        work: setup.work,
        runsMs: runsMs.map((ms) => Math.round(ms * 100) / 100),
        medianMs,
        rate: setup.work / (medianMs / 1000),
        peakRssBytes: process.resourceUsage().maxRSS * 1024,
        loadedRssBytes,
        digest: digest ?? 0,
        extras: Object.fromEntries(Object.entries(extras).map(([k, ms]) => [k, median(ms)])),
        ...(setup.note ? { note: setup.note } : {}),
      };
    },
  };
};

/** Standalone: at least 5 runs, more (up to 11) while they take under 1 s together. */
export const measureRow = async (
  measurement: Measurement,
  row: string,
  size: SizeName,
): Promise<RowResult> => {
  const prepared = await prepareRow(measurement, row, size);
  const stopProfile = await startProfile();
  let runs = 0;
  let measured = 0;
  while (runs < 5 || (measured < 1000 && runs < 11)) {
    measured += await prepared.runOnce();
    runs++;
  }
  await stopProfile?.();
  return prepared.result();
};

/**
 * Driven by run.ts over stdin/stdout, so that the rows of a table can take turns run by run (a load
 * spike from other work on the machine then hits every row alike): prints `READY` once loaded and warm,
 * `RUN <ms>` for each `run` line it reads, and `RESULT <json>` on `done`.
 */
const serve = async (measurement: Measurement, row: string, size: SizeName): Promise<void> => {
  const prepared = await prepareRow(measurement, row, size);
  process.stdout.write('READY\n');
  for await (const line of createInterface({ input: process.stdin })) {
    if (line === 'run') process.stdout.write(`RUN ${await prepared.runOnce()}\n`);
    else if (line === 'done') break;
  }
  process.stdout.write(`RESULT ${JSON.stringify(prepared.result())}\n`, () => process.exit(0));
};

if (require.main === module) {
  const args = process.argv.slice(2);
  const served = args[0] === '--serve';
  const [measurement, row, size] = (served ? args.slice(1) : args) as [Measurement, string, SizeName];
  if (!(measurement in MEASUREMENTS) || !(size in SIZES))
    throw new Error(`usage: row.ts [--serve] <${Object.keys(MEASUREMENTS).join('|')}> <row> <quick|full>`);
  (served
    ? serve(measurement, row, size)
    : measureRow(measurement, row, size).then((result) => console.log(`RESULT ${JSON.stringify(result)}`))
  ).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
