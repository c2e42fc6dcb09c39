import { evolveTask, initialTaskState, type TaskEvent, type TaskState } from '@duban/domain';
import { eventOf, type Envelope } from '../envelope/envelope';
import { readableTask, type ReadAs } from './read-as';

/** One line of a task's history as an auditor reads it: who did what, when, and the state after it. */
export interface TimelineEntry {
  readonly revision: number;
  readonly at: string;
  readonly actor: Envelope['metadata']['actor'];
  readonly type: string;
  readonly data: unknown;
  readonly commandId: string;
  readonly hash: string;
  /** An immutable snapshot (immer): entries share unchanged parts, so a long timeline stays small. */
  readonly stateAfter: TaskState;
}

/**
 * Every event of a task's stream, in order, with the state after each. With `as`, nothing unless the
 * reader may read the task (judged on its state after the last event): a caller that must tell a refusal
 * from an empty stream asks `canRead` itself, as the CLI does.
 */
export const auditTimeline = (envelopes: readonly Envelope[], options: ReadAs = {}): TimelineEntry[] => {
  let state = initialTaskState();
  const timeline = envelopes.map((e) => {
    state = evolveTask(state, eventOf(e) as TaskEvent);
    return {
      revision: e.metadata.revision,
      at: e.metadata.at,
      actor: e.metadata.actor,
      type: e.type,
      data: e.data,
      commandId: e.metadata.commandId,
      hash: e.metadata.hash,
      stateAfter: state,
    };
  });
  return timeline.length > 0 && !readableTask(options, state) ? [] : timeline;
};

/** Time travel: the task as it stood at `instant` (business time), from its events up to then. */
export const stateAsOf = (envelopes: readonly Envelope[], instant: string): TaskState => {
  const limit = Date.parse(instant);
  let state = initialTaskState();
  for (const e of envelopes) {
    if (Date.parse(e.metadata.at) > limit) break;
    state = evolveTask(state, eventOf(e) as TaskEvent);
  }
  return state;
};
