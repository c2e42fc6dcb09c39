import {
  applyTask,
  applyUnit,
  initialTaskState,
  initialUnitState,
  type TaskEvent,
  type TaskState,
  type UnitEvent,
  type UnitState,
} from '@duban/domain';
import { eventOf, type Envelope } from '../envelope/envelope';
import type { Projection } from './projection';

/**
 * One fold, many views: every task's state and every unit's record, folded with the domain's own
 * recipes (in place). The task board, scorecards, warnings and accountability flags are queries on it,
 * so they can never disagree with each other or with the deciders about what happened.
 */
export interface SupervisionModel {
  tasks: Record<string, TaskState>;
  units: Record<string, UnitState & { interviewsHeld: Array<{ id: string; at: string; revision: number }> }>;
  /** Events folded, for reports. */
  events: number;
}

export const supervisionProjection: Projection<SupervisionModel> = {
  name: 'supervision',
  init: () => ({ tasks: {}, units: {}, events: 0 }),
  apply(model, envelope: Envelope) {
    model.events += 1;
    const streamId = envelope.metadata.streamId;
    if (streamId.startsWith('task-')) {
      const taskId = streamId.slice(5);
      const state = (model.tasks[taskId] ??= initialTaskState());
      applyTask(state, eventOf(envelope) as TaskEvent);
    } else if (streamId.startsWith('unit-')) {
      const unitId = streamId.slice(5);
      const unit = (model.units[unitId] ??= { ...initialUnitState(), unitId, interviewsHeld: [] });
      if (envelope.type === 'InterviewRecorded')
        unit.interviewsHeld.push({
          id: (envelope.data as { interviewId: string }).interviewId,
          at: envelope.metadata.at,
          revision: unit.version,
        });
      applyUnit(unit, eventOf(envelope) as UnitEvent);
    }
  },
};
