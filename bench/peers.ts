import {
  EventStore as CastoreEventStore,
  EventType as CastoreEventType,
  Command as CastoreCommand,
} from '@castore/core';
import { InMemoryEventStorageAdapter } from '@castore/event-storage-adapter-in-memory';
import { CommandHandler, getInMemoryEventStore, type InMemoryEventStore } from '@event-driven-io/emmett';
import { isLeft } from 'fp-ts/Either';
import {
  decideTask,
  initialTaskState,
  TaskEvents,
  type DomainContext,
  type TaskCommand,
  type TaskEvent,
  type TaskState,
} from '@duban/domain';
import { evolveImmutable } from './folds';

/**
 * The same task logic run the way Emmett and Castore users write it: the domain's `decideTask` (pure,
 * shared, so only the plumbing differs) over states built by an immutable evolve / reducer, on each
 * library's own in-memory store and command handling. Neither decodes commands nor hashes events: the
 * Duban rows do both, so these rows do strictly less work.
 */

// —— Emmett ——

type EmmettTaskEvent = { type: TaskEvent['type']; data: TaskEvent['data'] };

const emmettEvolve = (state: TaskState, event: EmmettTaskEvent): TaskState =>
  evolveImmutable(state, event.type, event.data);

export const emmettStreamName = (taskId: string) => `task-${taskId}`;

/** An Emmett in-memory store holding the history, one append per stream (setup, not timed). */
export const emmettStoreWith = async (events: readonly TaskEvent[]): Promise<InMemoryEventStore> => {
  const store = getInMemoryEventStore();
  for (const [taskId, stream] of byTask(events))
    await store.appendToStream(emmettStreamName(taskId), stream as EmmettTaskEvent[]);
  return store;
};

/** Rebuilds every task with `aggregateStream`, Emmett's way of loading state. */
export const emmettRebuild = async (
  store: InMemoryEventStore,
  taskIds: readonly string[],
): Promise<Map<string, TaskState>> => {
  const states = new Map<string, TaskState>();
  for (const taskId of taskIds) {
    const { state } = await store.aggregateStream<TaskState, EmmettTaskEvent>(emmettStreamName(taskId), {
      evolve: emmettEvolve,
      initialState: initialTaskState,
    });
    states.set(taskId, state);
  }
  return states;
};

/** Emmett's CommandHandler: load (aggregateStream), decide, append. */
export const emmettCommandPath = (ctx: DomainContext) => {
  const store = getInMemoryEventStore();
  const handle = CommandHandler<TaskState, EmmettTaskEvent>({
    evolve: emmettEvolve,
    initialState: initialTaskState,
    mapToStreamId: emmettStreamName,
  });
  return async (command: TaskCommand): Promise<number> => {
    const result = await handle(store, command.data.taskId, (state) => {
      const decision = decideTask(command, state, ctx);
      if (isLeft(decision)) throw new Error(`${command.type} rejected: ${decision.left.message}`);
      return decision.right as EmmettTaskEvent[];
    });
    return result.newEvents.length;
  };
};

// —— Castore ——

type CastoreTask = TaskState & { aggregateId: string };

interface CastoreDetail {
  aggregateId: string;
  version: number;
  type: string;
  timestamp: string;
  payload: unknown;
}

const castoreReducer = (aggregate: CastoreTask | undefined, event: CastoreDetail): CastoreTask =>
  evolveImmutable(
    aggregate ?? { ...initialTaskState(), aggregateId: event.aggregateId },
    event.type,
    event.payload,
  );

const castoreEventTypes = Object.keys(TaskEvents).map((type) => new CastoreEventType({ type }));

const castoreStore = (adapter: InMemoryEventStorageAdapter): CastoreEventStore =>
  new CastoreEventStore({
    eventStoreId: 'TASKS',
    eventTypes: castoreEventTypes,
    reducer: castoreReducer as unknown as CastoreEventStore['reducer'],
    eventStorageAdapter: adapter,
  });

const castoreDetails = (events: readonly TaskEvent[]): CastoreDetail[] => {
  const versions = new Map<string, number>();
  return events.map((e) => {
    const version = (versions.get(e.data.taskId) ?? 0) + 1;
    versions.set(e.data.taskId, version);
    return { aggregateId: e.data.taskId, version, type: e.type, timestamp: e.data.at, payload: e.data };
  });
};

/** A Castore event store on its in-memory adapter, seeded with the history (setup, not timed). */
export const castoreStoreWith = (events: readonly TaskEvent[]) =>
  castoreStore(new InMemoryEventStorageAdapter({ initialEvents: castoreDetails(events) as never }));

/** Rebuilds every task with `getAggregate`, Castore's way of loading state. */
export const castoreRebuild = async (
  store: CastoreEventStore,
  taskIds: readonly string[],
): Promise<Map<string, TaskState>> => {
  const states = new Map<string, TaskState>();
  for (const taskId of taskIds) {
    const { aggregate } = await store.getAggregate(taskId);
    states.set(taskId, aggregate as unknown as CastoreTask);
  }
  return states;
};

/** Castore's command path: a `Command` whose handler gets the aggregate, decides, pushes each event. */
export const castoreCommandPath = (ctx: DomainContext) => {
  const store = castoreStore(new InMemoryEventStorageAdapter());
  const command = new CastoreCommand({
    commandId: 'HANDLE_TASK_COMMAND',
    requiredEventStores: [store],
    handler: async (input: TaskCommand, [tasks]: CastoreEventStore[]): Promise<number> => {
      const taskId = input.data.taskId;
      const { aggregate } = await tasks!.getAggregate(taskId);
      let current = aggregate as unknown as CastoreTask | undefined;
      const decision = decideTask(input, current ?? initialTaskState(), ctx);
      if (isLeft(decision)) throw new Error(`${input.type} rejected: ${decision.left.message}`);
      let version = current?.version ?? 0;
      for (const event of decision.right) {
        const { nextAggregate } = await tasks!.pushEvent(
          {
            aggregateId: taskId,
            version: ++version,
            type: event.type,
            payload: event.data,
            timestamp: input.at,
          },
          current ? { prevAggregate: current as never } : {},
        );
        current = nextAggregate as unknown as CastoreTask | undefined;
      }
      return decision.right.length;
    },
  });
  return (input: TaskCommand): Promise<number> => command.handler(input, [store]);
};

// —— shared ——

/** Events grouped by task, in first-appearance order. */
export const byTask = (events: readonly TaskEvent[]): Map<string, TaskEvent[]> => {
  const streams = new Map<string, TaskEvent[]>();
  for (const e of events) {
    const stream = streams.get(e.data.taskId);
    if (stream) stream.push(e);
    else streams.set(e.data.taskId, [e]);
  }
  return streams;
};
