import {
  applyOffice,
  applyTask,
  applyUnit,
  contextAt,
  initialOfficeState,
  OFFICE_STREAM_ID,
  idRecord,
  toIdRecord,
  initialTaskState,
  initialUnitState,
  type DomainContext,
  type OfficeEvent,
  type OfficeState,
  type TaskEvent,
  type TaskState,
  type UnitEvent,
  type UnitState,
} from '@duban/domain';
import type { Envelope } from '../envelope/envelope';
import type { Projection } from './projection';

/**
 * One fold, many views: every task's state and every unit's record, folded with the domain's own
 * recipes (in place). The task board, scorecards, warnings and accountability flags are queries on it,
 * so they can never disagree with each other or with the deciders about what happened.
 */
export interface SupervisionModel {
  tasks: Record<string, TaskState>;
  units: Record<string, UnitState & { interviewsHeld: Array<{ id: string; at: string; revision: number }> }>;
  /** The office's record: organisation, calendars, rules, published 通报 (empty when the history keeps none). */
  office: OfficeState;
  /** Events folded, for reports. */
  events: number;
  /** Business time of the latest event folded (by time, not by order): how far the history goes. */
  lastAt?: string;
}

/**
 * The rules in force at `instant` as the model's office record has them (its calendar as known then, the
 * profile and policy effective that day, the organisation): what every query as of `instant` uses.
 */
export const contextOf = (model: SupervisionModel, instant: string, defaults: DomainContext): DomainContext =>
  contextAt(model.office, instant, defaults);

/**
 * The instant last parsed as a model's `lastAt`: every event is compared with it, and parsing it again
 * each time cost a quarter of a microsecond an event. A memo keyed by the text, so any model (or a
 * `lastAt` set from outside) gets the same answer Date.parse would give.
 */
let memoText = '';
let memoMs = Date.parse(memoText);
const msOf = (instant: string): number => {
  if (instant !== memoText) {
    memoText = instant;
    memoMs = Date.parse(instant);
  }
  return memoMs;
};

export const supervisionProjection: Projection<SupervisionModel> = {
  name: 'supervision',
  // Keyed by outside ids: records with no prototype (a task may be called `constructor`).
  init: () => ({ tasks: idRecord(), units: idRecord(), office: initialOfficeState(), events: 0 }),
  revive: (saved) => ({
    ...saved,
    tasks: toIdRecord(saved.tasks),
    units: toIdRecord(saved.units),
    office: reviveOffice(saved.office),
  }),
  apply(model, envelope: Envelope) {
    model.events += 1;
    const at = envelope.metadata.at;
    if (model.lastAt === undefined) model.lastAt = at;
    else {
      const ms = Date.parse(at);
      if (ms > msOf(model.lastAt)) {
        model.lastAt = at;
        memoText = at;
        memoMs = ms;
      }
    }
    // An envelope is a domain event with metadata beside it: recipes read only `type` and `data`, so it
    // is folded as it is (no copy per event). Ids come from the data, not by slicing the stream id.
    const data = envelope.data as { taskId?: string; unitId?: string };
    if (data.taskId !== undefined && envelope.metadata.streamId.startsWith('task-')) {
      const state = (model.tasks[data.taskId] ??= initialTaskState());
      applyTask(state, envelope as unknown as TaskEvent);
    } else if (data.unitId !== undefined && envelope.metadata.streamId.startsWith('unit-')) {
      const unit = (model.units[data.unitId] ??= {
        ...initialUnitState(),
        unitId: data.unitId,
        interviewsHeld: [],
      });
      if (envelope.type === 'InterviewRecorded')
        unit.interviewsHeld.push({
          id: (envelope.data as { interviewId: string }).interviewId,
          at: envelope.metadata.at,
          revision: unit.version,
        });
      applyUnit(unit, envelope as unknown as UnitEvent);
    } else if (envelope.metadata.streamId === OFFICE_STREAM_ID) {
      applyOffice(model.office, envelope as unknown as OfficeEvent);
    }
  },
};

/** An office state read back from JSON: its records keyed by ids get no prototype again. */
const reviveOffice = (saved: OfficeState | undefined): OfficeState => {
  if (!saved) return initialOfficeState();
  return {
    ...saved,
    units: toIdRecord(saved.units),
    sections: toIdRecord(saved.sections),
    leaders: toIdRecord(saved.leaders),
    staff: toIdRecord(saved.staff),
    rankings: toIdRecord(saved.rankings),
    annual: toIdRecord(saved.annual),
  };
};
