import { isRight } from 'fp-ts/Either';
import { taskStreamId } from '@duban/domain';
import { taskFixture } from '@duban/testing';
import {
  createEngine,
  createInMemoryEventStore,
  createUpcasterRegistry,
  hashEvent,
  progressReportedV1,
  rebuild,
  supervisionProjection,
  verifyStream,
} from '@duban/engine';
import { executeOrThrow } from '@duban/testing';
import type { Engine } from '@duban/engine';
import type { TaskCommand } from '@duban/domain';

let n = 0;
const exec = (engine: Engine, c: TaskCommand) => executeOrThrow(engine, c, `c-${++n}`);

describe('schema evolution (upcasting on read)', () => {
  it('replays a v1 ProgressReported written before percentComplete existed', async () => {
    const store = createInMemoryEventStore();
    const engine = createEngine({ store });
    const f = taskFixture({ taskId: 'U1' });
    await exec(engine, f.assign());
    const accepted = await exec(engine, f.accept());
    // An event as version 1 of the schema wrote it: no percentComplete, hash over that stored form.
    const streamId = taskStreamId('U1');
    const v1 = {
      type: 'ProgressReported',
      data: {
        taskId: 'U1',
        at: f.day(2),
        unitId: 'bureau-of-commerce',
        role: 'lead',
        status: 'on-track',
        summary: 'Half done',
      },
      metadata: {
        ...accepted.events[0]!.metadata,
        eventId: '0b6d5e0a-8a4f-4c39-9d4e-0f2a64c5b7a1',
        revision: 2,
        at: f.day(2),
        commandId: 'legacy-1',
        schemaVersion: 1,
        prevHash: accepted.events[0]!.metadata.hash,
      } as Record<string, unknown>,
    };
    v1.metadata.hash = hashEvent(v1);
    expect(
      isRight(
        await store.appendToStream(streamId, [{ eventId: v1.metadata.eventId as string, ...v1 }], {
          expectedRevision: 1n,
        }),
      ),
    ).toBe(true);

    const read = await engine.readStream(streamId);
    expect(read[2]!.data).toMatchObject({ percentComplete: 0, summary: 'Half done' });
    expect(read[2]!.metadata.schemaVersion).toBe(1); // the envelope says what was stored
    // The chain verifies on the stored form, so upcasting never looks like tampering.
    const raw = [];
    for await (const e of store.readStream(streamId)) raw.push(e);
    expect(verifyStream(raw).ok).toBe(true);
    // New commands decide on the upcast history; new reports are written as v2.
    const next = await exec(engine, f.report({ percentComplete: 70 }, f.day(3)));
    expect(next.events[0]!.metadata).toMatchObject({
      schemaVersion: 2,
      revision: 3,
      prevHash: v1.metadata.hash,
    });
    const model = await rebuild(supervisionProjection, engine.readAll());
    expect(model.tasks.U1).toMatchObject({ leadReports: 2, percentComplete: 70 });
  });

  it('refuses a registry with a gap in a chain when it is built, not halfway through a replay', () => {
    expect(() => createUpcasterRegistry([], { ProgressReported: 2 })).toThrow(
      /ProgressReported from schema version 1/,
    );
    expect(() => createUpcasterRegistry([progressReportedV1], { ProgressReported: 2 })).not.toThrow();
  });
});
