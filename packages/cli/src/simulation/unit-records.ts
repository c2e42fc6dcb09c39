import type { Clock } from './clock';
import { INSPECTION_OFFICE, MAYOR } from './office';
import type { Random } from './prng';
import { act, type Action, type Runner } from './run';
import { outstanding, type Plan } from './task-view';

/**
 * What the office records about units (16:00): a key inspection (重点督查) of the unit with the most
 * tasks standing late, about mid-quarter, approved by the mayor; and the mayor's interview (约谈) of the
 * principal of the unit ranked last in the previous quarter's published 通报, scheduled early in the
 * quarter and held two working days later.
 */
export interface UnitRecords {
  actions(day: number): Action[];
}

export const createUnitRecords = (
  run: Runner,
  clock: Clock,
  rnd: Random,
  plans: readonly Plan[],
  unitIds: readonly string[],
  quarters: readonly string[],
): UnitRecords => {
  const interviews = new Map<string, { unitId: string; day: number }>();
  return {
    actions(day) {
      const actions: Action[] = [];
      const qi = clock.quarterOfDay[day]!;
      const date = clock.days[day]!;
      const year = date.slice(0, 4);
      const quarterDays = clock.daysOf(qi);
      const qStart = quarterDays[0]!;
      if (day === qStart + Math.floor((quarterDays.length * 9) / 20)) {
        const now = clock.at(day, 16 * 3600);
        const ctx = run.ctxAt(now);
        const late = new Map<string, string[]>();
        for (const p of plans) {
          const s = run.model.tasks[p.taskId];
          if (s && s.status !== 'closed' && s.status !== 'none' && outstanding(s, now, ctx).length > 0)
            late.set(p.lead, [...(late.get(p.lead) ?? []), p.taskId]);
        }
        const [unitId, taskIds] = [...late.entries()].sort(
          (a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]),
        )[0] ?? [rnd.pick(unitIds), []];
        actions.push(
          act((i) =>
            run.exec(
              'RecordInspection',
              {
                unitId,
                inspectionId: `DC-${year}-${qi + 1}`,
                approval: { ref: `市长批准派出督查组（${date}）`, by: MAYOR.id },
                methods: rnd
                  .shuffle([
                    'hear-reports',
                    'review-documents',
                    'on-site-supervision',
                    'interviews-and-visits',
                    'questionnaires',
                    'unannounced-visits',
                  ])
                  .slice(0, 3),
                findings:
                  taskIds.length > 0
                    ? `${taskIds.length}项任务超过时限未落实，台账更新不及时`
                    : '重点任务推进总体有序，个别台账不完整',
                opinion: '限期补齐短板，每周向督查室报送进展',
                taskIds,
              },
              INSPECTION_OFFICE,
              i,
            ),
          ),
        );
      }
      const previous = qi > 0 ? quarters[qi - 1]! : undefined;
      const published = previous ? run.model.office.rankings[previous] : undefined;
      const bottom = published?.units.at(-1);
      if (previous && bottom && day === qStart + 3) {
        interviews.set(`YT-${previous}`, { unitId: bottom.unitId, day: day + 2 });
        actions.push(
          act((i) =>
            run.exec(
              'ScheduleInterview',
              {
                unitId: bottom.unitId,
                interviewId: `YT-${previous}`,
                interviewee: 'principal',
                reason: `${previous}抓落实评分排名末位（${previous}通报）`,
                scheduledFor: `${clock.laterDay(i, 2).slice(0, 10)}T10:00:00${clock.zone}`,
              },
              MAYOR,
              i,
            ),
          ),
        );
      }
      for (const [interviewId, interview] of interviews)
        if (day >= interview.day) {
          interviews.delete(interviewId);
          actions.push(
            act((i) =>
              run.exec(
                'RecordInterview',
                {
                  unitId: interview.unitId,
                  interviewId,
                  summary: '市长约谈主要负责人，听取情况说明，提出限期整改要求',
                },
                MAYOR,
                i,
              ),
            ),
          );
        }
      return actions;
    },
  };
};
