import { fork, type ChildProcess } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { isLeft } from 'fp-ts/Either';
import { createEngine, type EventStore } from '@duban/engine';
import { startEsdbTestServer } from '@duban/esdb-test-server';
import { createEventStoreDbStore } from '@duban/eventstoredb';

/**
 * `tsx bench/esdb-burst.ts [options]`: a burst of concurrent commands through the EventStoreDB adapter and
 * the real client against the protocol test server, as issue 9's probe ran it: 8,300 commands over 4
 * engines, 4,300 distinct AssignTask commands and 4,000 identical copies of them sent from another
 * engine (so 4,300 events). Prints one JSON line: outcomes by kind, events stored, wall time, CPU of this
 * process (and of the server's, when it runs in its own process), the longest event-loop stall, and how
 * long the adapter took over each append (waiting for a turn included).
 *
 *   --commands=8300 --engines=4
 *   --server=inproc|child        the test server in this process (as the tests run it) or in its own
 *   --append=batch|plain         BatchAppend (the client's default) or one Append call per append
 *   --appends=<n>|inf --reads=<n>|inf --timeout=<ms>   the adapter's maxAppendsInFlight,
 *                                maxReadsInFlight (default 8 each) and appendTimeoutMs (default 10000)
 *
 * `--appends=inf --reads=inf` behaves as the adapter did before back-pressure (every call sent at once).
 * No time is asserted anywhere: this measures; a test judges (packages/eventstoredb/test/back-pressure).
 */

const arg = (name: string, fallback: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const bound = (text: string) => (text === 'inf' ? Infinity : Number(text));

const serve = async (batchAppend: boolean) => {
  const server = await startEsdbTestServer({ batchAppend });
  const cpu = process.cpuUsage();
  process.send!({ url: server.connectionString });
  process.on('message', async () => {
    const used = process.cpuUsage(cpu);
    process.send!({ cpuMs: Math.round((used.user + used.system) / 1000) });
    await server.stop();
    process.exit(0);
  });
};

const main = async () => {
  const commands = Number(arg('commands', '8300'));
  const engineCount = Number(arg('engines', '4'));
  const inChild = arg('server', 'inproc') === 'child';
  const batchAppend = arg('append', 'batch') === 'batch';
  const options = {
    maxAppendsInFlight: bound(arg('appends', '8')),
    maxReadsInFlight: bound(arg('reads', '8')),
    appendTimeoutMs: Number(arg('timeout', '10000')),
  };

  let url: string;
  let child: ChildProcess | undefined;
  let stopServer = async (): Promise<number | undefined> => undefined;
  if (inChild) {
    child = fork(__filename, ['--serve', `--append=${batchAppend ? 'batch' : 'plain'}`], {
      execArgv: process.execArgv,
    });
    url = await new Promise<string>((resolve) =>
      child!.once('message', (m: { url: string }) => resolve(m.url)),
    );
    stopServer = async () => {
      child!.send('stop');
      return new Promise((resolve) => child!.once('message', (m: { cpuMs: number }) => resolve(m.cpuMs)));
    };
  } else {
    const server = await startEsdbTestServer({ batchAppend });
    url = server.connectionString;
    stopServer = async () => void (await server.stop());
  }

  // How long each append took, seen around the adapter: its turn in the queue and its time in flight.
  const inFlight: number[] = [];
  const timed = (store: EventStore): EventStore => ({
    ...store,
    appendToStream: async (...args) => {
      const started = Date.now();
      try {
        return await store.appendToStream(...args);
      } finally {
        inFlight.push(Date.now() - started);
      }
    },
  });
  const stores = Array.from({ length: engineCount }, () => createEventStoreDbStore(url, options));
  const engines = stores.map((store) => createEngine({ store: timed(store) }));

  const distinct = Math.round((commands * 4300) / 8300);
  const assign = (t: number) => ({
    type: 'AssignTask',
    data: {
      taskId: `B-${t}`,
      title: 'Publish the 2022 list of government services online',
      source: 'work-report-targets',
      leadUnit: 'bureau-of-data',
      coUnits: [],
      deadline: '2022-06-30T17:00:00+08:00',
      approval: { ref: 'CZ-GOV-2022-031', by: 'mayor' },
      origin: { kind: 'main-leader', leaderId: 'mayor' },
      sectionId: 'section-1',
    },
  });
  const meta = (t: number) => ({
    actor: { id: 'clerk-li', kind: 'section' as const, unitId: 'section-1' },
    at: '2022-04-01T09:00:00+08:00',
    commandId: `assign-B-${t}`,
  });

  let stall = 0;
  let last = Date.now();
  const watch = setInterval(() => {
    stall = Math.max(stall, Date.now() - last - 100);
    last = Date.now();
  }, 100);
  const loadBefore = loadavg();
  const cpu = process.cpuUsage();
  const started = Date.now();
  const outcomes: Record<string, number> = {};
  await Promise.all(
    Array.from({ length: commands }, async (_, i) => {
      const t = i % distinct;
      // The copy of a command goes to another engine than the original.
      const engine = engines[(t + Math.floor(i / distinct)) % engineCount]!;
      const result = await engine.execute(assign(t), meta(t));
      const kind = isLeft(result)
        ? `${result.left.code}: ${result.left.message
            .replace(/^.*?: /, '')
            .replace(/B-\d+/, 'B-…')
            .replace(/\d+ ms/, '… ms')}`
        : result.right.replayed
          ? 'ok (replayed)'
          : 'ok';
      outcomes[kind] = (outcomes[kind] ?? 0) + 1;
    }),
  );
  const wallMs = Date.now() - started;
  const used = process.cpuUsage(cpu);
  clearInterval(watch);

  let events = 0;
  for await (const _ of stores[0]!.readAll()) events++;
  await Promise.all(stores.map((s) => s.close()));
  const serverCpuMs = await stopServer();
  inFlight.sort((a, b) => a - b);
  const at = (q: number) => inFlight[Math.floor(q * (inFlight.length - 1))];
  console.log(
    JSON.stringify({
      commands,
      engines: engineCount,
      server: inChild ? 'child' : 'inproc',
      append: batchAppend ? 'BatchAppend' : 'Append',
      maxAppendsInFlight: String(options.maxAppendsInFlight),
      maxReadsInFlight: String(options.maxReadsInFlight),
      appendTimeoutMs: options.appendTimeoutMs,
      outcomes,
      eventsStored: events,
      wallMs,
      clientCpuMs: Math.round((used.user + used.system) / 1000),
      ...(serverCpuMs === undefined ? {} : { serverCpuMs }),
      longestStallMs: stall,
      appendCallMs: { p50: at(0.5), p99: at(0.99), max: at(1) }, // waiting for a turn included
      machine: `${cpus().length} cores, load ${loadBefore.map((l) => l.toFixed(1)).join(' ')}`,
    }),
  );
};

if (process.argv.includes('--serve')) void serve(arg('append', 'batch') === 'batch');
else void main();
