import { MAYOR } from './office';
import type { TaskPlan } from './plans';
import { act, type Action, type Runner } from './run';
import type { Clock } from './clock';
import type { Plan } from './task-view';

/**
 * 立项交办 (09:00): the section in charge hands out the day's tasks, approved by the mayor, naming the
 * deputy mayor in charge of the lead unit (分管领导) and each co-unit's part. The deadline is 17:00 on a
 * working day of the office's calendar.
 */
export const assignmentActions = (run: Runner, clock: Clock, plans: readonly Plan[], day: number): Action[] =>
  plans
    .filter((p) => p.assignDay === day)
    .map((p) =>
      act(async (instant) => {
        const year = clock.days[day]!.slice(0, 4);
        await run.exec(
          'AssignTask',
          {
            taskId: p.taskId,
            title: p.title,
            source: p.source,
            leadUnit: p.lead,
            coUnits: [...p.coUnits],
            ...(p.coUnits.length > 0
              ? {
                  coUnitDuties: p.coUnits.map((unitId) => ({
                    unitId,
                    duty: '配合牵头单位落实相关工作，按期报送配合情况',
                  })),
                }
              : {}),
            deadline: clock.dueAfter(instant, p.deadlineDays),
            approval: { ref: `长政办字〔${year}〕${Number(p.taskId.slice(-3))}号`, by: MAYOR.id },
            origin: p.originMain
              ? { kind: 'main-leader', leaderId: MAYOR.id }
              : { kind: 'deputy-leader', leaderId: p.portfolio.deputy.id },
            ...(p.originMain ? { deputyInCharge: p.portfolio.deputy.id } : {}),
            sectionId: p.portfolio.section.unitId!,
            requirements: '按“13710”要求办理：1天内研究部署，3天内反馈办理情况，每周报送进展',
            ...(p.key ? { key: true } : {}),
          },
          p.portfolio.section,
          instant,
        );
      }),
    );

/**
 * A periodic report falls due on the same date each month after assignment (跟踪到底), whatever day that
 * is; the office hands a task out on a day whose monthly report dates are working days, so nothing falls
 * due in a holiday. A task is moved to a later working day of its quarter until that holds (as far as
 * its deadline, and ten working days more for an extension).
 */
export const settleOnWorkingDays = (plans: readonly TaskPlan[], clock: Clock): TaskPlan[] =>
  plans.map((p) => {
    const quarterDays = clock.daysOf(p.quarter);
    const fine = (day: number) => {
      const assigned = clock.at(day, 9 * 3600);
      const end = Date.parse(clock.dueAfter(assigned, p.deadlineDays + 10));
      for (let n = 1; ; n++) {
        const due = clock.calendar.addMonths(assigned, n);
        if (Date.parse(due) >= end) return true;
        if (!clock.calendar.isWorkingDay(clock.calendar.localDate(due))) return false;
      }
    };
    for (let day = p.assignDay; day <= p.assignDay + 5 && quarterDays.includes(day); day++)
      if (fine(day)) return day === p.assignDay ? p : { ...p, assignDay: day };
    return p;
  });
