/**
 * Duban on EventStoreDB: the same engine, the production store. Run against a server with
 *   ESDB_CONNECTION_STRING='esdb://localhost:2113?tls=false' pnpm tsx examples/eventstoredb.ts
 * (a cluster: esdb+discover://node1:2113,node2:2113,node3:2113?tls=true). It assigns a task, follows the
 * engine's filtered $all subscription into the task board, and prints what EventStoreDB now holds.
 */
import { isLeft } from 'fp-ts/Either';
import {
  createEngine,
  createInMemoryReadModelStore,
  createProjectionRunner,
  supervisionProjection,
  taskBoard,
  type SupervisionModel,
} from '@duban/engine';
import { createEventStoreDbStore } from '@duban/eventstoredb';

export async function main(connectionString: string, taskId = `T-${Date.now()}`): Promise<void> {
  const engine = createEngine({ store: createEventStoreDbStore(connectionString) });
  const board = createProjectionRunner({
    engine,
    projection: supervisionProjection,
    store: createInMemoryReadModelStore<SupervisionModel>(),
  });
  try {
    await board.start(); // catch up from $all, then live
    const assigned = await engine.execute(
      {
        type: 'AssignTask',
        data: {
          taskId,
          title: 'Publish the 2022 list of government services online',
          source: 'work-report-targets',
          leadUnit: 'bureau-of-data',
          coUnits: [],
          deadline: '2022-06-30T17:00:00+08:00',
          approval: { ref: 'CZ-GOV-2022-031', by: 'mayor' },
          origin: { kind: 'main-leader', leaderId: 'mayor' },
          sectionId: 'section-1',
        },
      },
      {
        actor: { id: 'clerk-li', kind: 'section', unitId: 'section-1' },
        at: '2022-04-01T09:00:00+08:00',
        commandId: `assign-${taskId}`,
      },
    );
    if (isLeft(assigned)) throw new Error(assigned.left.message);
    const [event] = assigned.right.events;
    console.log(
      `appended ${event!.type} to stream ${assigned.right.streamId} (revision ${event!.metadata.revision})`,
    );
    const all = [];
    for await (const e of engine.readAll()) all.push(e);
    await board.waitFor(all.at(-1)!.position!);
    const card = taskBoard(board.current(), '2022-04-02T09:00:00+08:00', engine.context).find(
      (c) => c.taskId === taskId,
    );
    console.log(
      `task board: ${card?.taskId} ${card?.status}, supervised by ${card?.supervisor}, light ${card?.light}`,
    );
  } finally {
    await board.stop();
    await engine.store.close();
  }
}

if (require.main === module) {
  const connection = process.env.ESDB_CONNECTION_STRING ?? process.argv[2];
  if (!connection) {
    console.error('Give a connection string: ESDB_CONNECTION_STRING=esdb://localhost:2113?tls=false');
    process.exit(2);
  }
  main(connection).catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
