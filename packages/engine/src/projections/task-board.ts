import {
  dueTimes,
  lightOf,
  sameInstant,
  suggestGrade,
  type DomainContext,
  type Grade,
  type Light,
  type TaskState,
} from '@duban/domain';
import { readableTask, type ReadAs } from './read-as';
import type { SupervisionModel } from './supervision-model';
import { tasksById } from './task-order';

/** 台账: one line per task, as a supervisor's board shows it at a given instant. */
export interface TaskCard {
  readonly taskId: string;
  readonly title: string;
  readonly source: string;
  readonly key: boolean;
  readonly status: TaskState['status'];
  readonly leadUnit: string;
  readonly coUnits: readonly string[];
  readonly supervisor: string;
  readonly deadline: string;
  readonly originalDeadline: string;
  readonly extended: boolean;
  readonly light: Light;
  readonly percentComplete: number;
  readonly urges: number;
  readonly openRectifications: readonly string[];
  /** The work plan's dated milestones (工作矩阵图节点): due, and when met. */
  readonly milestones: ReadonlyArray<{
    readonly name: string;
    readonly due: string;
    readonly metAt?: string;
  }>;
  readonly suggestedGrade: Grade;
  readonly finalGrade?: Grade;
  readonly closedAt?: string;
}

export const taskCard = (state: TaskState, now: string, ctx: DomainContext): TaskCard => {
  // An open task's time limits, worked out once for its light and its suggested grade.
  const times = state.status === 'none' || state.closed ? undefined : dueTimes(state, ctx);
  const card: { -readonly [K in keyof TaskCard]: TaskCard[K] } = {
    taskId: state.taskId,
    title: state.title,
    source: state.source,
    key: state.key,
    status: state.status,
    leadUnit: state.leadUnit,
    coUnits: state.coUnits,
    supervisor: state.supervisor.kind === 'section' ? state.supervisor.sectionId : 'inspection-office',
    deadline: state.deadline,
    originalDeadline: state.originalDeadline,
    // The same text is the same instant: parsed only when an extension wrote the deadline anew.
    extended:
      state.deadline !== state.originalDeadline && !sameInstant(state.deadline, state.originalDeadline),
    light: lightOf(state, now, ctx, times),
    percentComplete: state.percentComplete,
    urges: state.urges.length,
    openRectifications: state.rectifications.filter((r) => r.status !== 'passed').map((r) => r.id),
    milestones: state.planMilestones.map((m) =>
      m.met ? { name: m.name, due: m.due, metAt: m.met.at } : { name: m.name, due: m.due },
    ),
    // For a closed task the suggestion is the one made at closure; for an open one, as of now.
    suggestedGrade: state.closed ? state.closed.suggestedGrade : suggestGrade(state, now, ctx, times).grade,
  };
  // Set after the rest, as the card lists them (no object spread per card).
  if (state.grade) card.finalGrade = state.grade;
  if (state.closed) card.closedAt = state.closed.at;
  return card;
};

/**
 * The tasks of the board, in its order: every assigned task by deadline, then by id; with `as`, those
 * the reader may read. For a board written a card at a time (`taskCard` each), never held whole.
 */
export const boardOrder = (model: SupervisionModel, options: ReadAs = {}): TaskState[] =>
  // From the id order every view shares (kept while nothing is folded in), a stable sort by deadline:
  // ties stay in id order without comparing ids again.
  tasksById(model)
    .filter((t) => t.status !== 'none' && readableTask(options, t))
    // Each deadline parsed once, not in every comparison.
    .map((t) => ({ t, due: Date.parse(t.deadline) }))
    .sort((a, b) => a.due - b.due)
    .map(({ t }) => t);

/** Every assigned task, ordered by deadline, then by id; with `as`, those the reader may read. */
export const taskBoard = (
  model: SupervisionModel,
  now: string,
  ctx: DomainContext,
  options: ReadAs = {},
): TaskCard[] => boardOrder(model, options).map((t) => taskCard(t, now, ctx));
