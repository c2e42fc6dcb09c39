import { dueTimes, metOnTime, type DomainContext, type TaskState } from '@duban/domain';
import { readable, type ReadAs } from './read-as';
import type { SupervisionModel } from './supervision-model';

/** How far a task of a major special project (重大专项) has come, in the order of the seed's workflow. */
export const STAGES = ['assigned', 'accepted', 'planned', 'closure-requested', 'closed'] as const;
export type Stage = (typeof STAGES)[number];

/** One unit's place in a project's staged 通报 (对重大专项工作落实情况按实施阶段排队通报). */
export interface ProjectStanding {
  readonly unitId: string;
  readonly rank: number;
  /** The tasks the unit leads in the project, with the stage each reached. */
  readonly tasks: ReadonlyArray<{
    readonly taskId: string;
    readonly stage: Stage;
    readonly milestonesMet: number;
    readonly milestonesDue: number;
    readonly milestonesTotal: number;
  }>;
  /** Mean stage reached, 0 (assigned) to 4 (closed). */
  readonly stage: number;
  /** Work-plan milestones met on time, of those due by `now`. */
  readonly milestonesMetOnTime: number;
  readonly milestonesDue: number;
  readonly text: string;
}

const stageOf = (t: TaskState): Stage =>
  t.status === 'closed'
    ? 'closed'
    : t.status === 'closure-requested' || t.status === 'closure-reviewed'
      ? 'closure-requested'
      : t.workPlan
        ? 'planned'
        : t.accepted
          ? 'accepted'
          : 'assigned';

const round2 = (n: number) => Math.round(n * 100) / 100;

/**
 * The staged 通报 of a major special project: its lead units ranked by the stage their tasks reached
 * (mean of the stage numbers), then by work-plan milestones met on time of those due by `now`, then by
 * unit id. Every line names the tasks behind it. With `as`, the standings the reader may read: an
 * assessment not published, so a unit reads its own line only (ranked among all, as computed).
 */
export const projectStages = (
  model: SupervisionModel,
  project: string,
  now: string,
  ctx: DomainContext,
  options: ReadAs = {},
): ProjectStanding[] => {
  const nowMs = Date.parse(now);
  const byUnit = new Map<string, TaskState[]>();
  for (const t of Object.values(model.tasks))
    if (t.project === project && t.assigned && Date.parse(t.assigned.at) <= nowMs)
      byUnit.set(t.leadUnit, [...(byUnit.get(t.leadUnit) ?? []), t]);
  const rows = [...byUnit.entries()].map(([unitId, tasks]) => {
    const lines = tasks
      .sort((a, b) => a.taskId.localeCompare(b.taskId))
      .map((t) => {
        const plan = dueTimes(t, ctx).filter((d) => d.kind === 'plan-milestone');
        const due = plan.filter((d) => Date.parse(d.due) <= nowMs);
        return {
          taskId: t.taskId,
          stage: stageOf(t),
          milestonesMet: due.filter(metOnTime).length,
          milestonesDue: due.length,
          milestonesTotal: plan.length,
        };
      });
    const stage = round2(lines.reduce((sum, l) => sum + STAGES.indexOf(l.stage), 0) / lines.length);
    const met = lines.reduce((sum, l) => sum + l.milestonesMet, 0);
    const due = lines.reduce((sum, l) => sum + l.milestonesDue, 0);
    return {
      unitId,
      tasks: lines,
      stage,
      milestonesMetOnTime: met,
      milestonesDue: due,
      text: `${lines.map((l) => `${l.taskId} ${l.stage} (${l.milestonesMet}/${l.milestonesDue} milestones on time)`).join('; ')}: mean stage ${stage} of 4`,
    };
  });
  rows.sort(
    (a, b) =>
      b.stage - a.stage ||
      b.milestonesMetOnTime / (b.milestonesDue || 1) - a.milestonesMetOnTime / (a.milestonesDue || 1) ||
      a.unitId.localeCompare(b.unitId),
  );
  const ranked = rows.map((r, i, all) => {
    let rank = i + 1;
    for (
      let j = i - 1;
      j >= 0 &&
      all[j]!.stage === r.stage &&
      all[j]!.milestonesMetOnTime / (all[j]!.milestonesDue || 1) ===
        r.milestonesMetOnTime / (r.milestonesDue || 1);
      j--
    )
      rank = j + 1;
    return { ...r, rank };
  });
  return ranked.filter((r) => readable(options, { kind: 'assessment', unitId: r.unitId, published: false }));
};
