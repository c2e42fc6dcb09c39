import type { TaskState } from '@duban/domain';
import type { Envelope } from '../envelope/envelope';

/** How a dated duty stands at an instant. */
export type DutyStatus = 'met-on-time' | 'met-late' | 'missed' | 'not-yet-due';

/**
 * 办理情况: what a task's timeline says about the work beside the lifecycle — the work plan's dated
 * milestones, each co-unit's duty and reports (协办单位积极配合), written notices and the replies they
 * asked for, and each difficulty the lead unit reported with the office's answer. Every entry names the
 * revision of the event behind it in the task's stream.
 */
export interface TaskWork {
  readonly milestones: ReadonlyArray<{
    readonly name: string;
    readonly due: string;
    readonly status: DutyStatus;
    /** The report that said it was met. */
    readonly met?: { readonly at: string; readonly revision: number };
  }>;
  readonly coUnits: ReadonlyArray<{
    readonly unitId: string;
    readonly duty?: string;
    readonly reports: ReadonlyArray<{
      readonly at: string;
      readonly revision: number;
      readonly summary: string;
    }>;
  }>;
  readonly notices: ReadonlyArray<{
    readonly noticeNo: string;
    readonly at: string;
    readonly revision: number;
    readonly respondBy?: string;
    /** `not-asked` when the notice set no date to reply by. */
    readonly status: DutyStatus | 'not-asked';
    readonly reply?: { readonly at: string; readonly revision: number; readonly response: string };
  }>;
  readonly difficulties: ReadonlyArray<{
    readonly at: string;
    readonly revision: number;
    readonly difficulties: string;
    readonly proposals: string;
    readonly answer?: { readonly at: string; readonly revision: number; readonly decision: string };
  }>;
}

const statusOf = (due: string, met: { at: string } | undefined, now: string): DutyStatus =>
  met
    ? Date.parse(met.at) <= Date.parse(due)
      ? 'met-on-time'
      : 'met-late'
    : Date.parse(now) > Date.parse(due)
      ? 'missed'
      : 'not-yet-due';

/**
 * The work record of one task as of `now`, from its state (what counts) and its events (the words:
 * summaries, replies, decisions). `envelopes` are the task's own events, in order.
 */
export const taskWork = (state: TaskState, envelopes: readonly Envelope[], now: string): TaskWork => {
  const data = (e: Envelope) => e.data as Record<string, unknown>;
  const text = (e: Envelope | undefined, key: string) => String((e && data(e)[key]) ?? '');
  const byRevision = new Map(envelopes.map((e) => [e.metadata.revision, e]));
  const of = (type: string) => envelopes.filter((e) => e.type === type);
  const reports = of('ProgressReported');
  const answers = of('DifficultyAnswered');
  const replies = of('NoticeResponded');
  const coUnitIds = [...state.coUnits, ...state.coUnitReports.map((r) => r.unitId)].filter(
    (u, i, all) => all.indexOf(u) === i,
  );
  return {
    milestones: state.planMilestones.map((m) => ({
      name: m.name,
      due: m.due,
      status: statusOf(m.due, m.met, now),
      ...(m.met ? { met: { at: m.met.at, revision: m.met.revision } } : {}),
    })),
    coUnits: coUnitIds.map((unitId) => {
      const duty = state.coUnitDuties.find((d) => d.unitId === unitId)?.duty;
      return {
        unitId,
        ...(duty === undefined ? {} : { duty }),
        reports: reports
          .filter((e) => data(e).role === 'co-unit' && data(e).unitId === unitId)
          .map((e) => ({ at: e.metadata.at, revision: e.metadata.revision, summary: text(e, 'summary') })),
      };
    }),
    notices: state.notices.map((n) => {
      const reply = replies.find((e) => data(e).noticeNo === n.noticeNo);
      return {
        noticeNo: n.noticeNo,
        at: n.at,
        revision: n.revision,
        ...(n.respondBy === undefined ? {} : { respondBy: n.respondBy }),
        status: n.respondBy === undefined ? 'not-asked' : statusOf(n.respondBy, n.responded, now),
        ...(reply
          ? {
              reply: {
                at: reply.metadata.at,
                revision: reply.metadata.revision,
                response: text(reply, 'response'),
              },
            }
          : {}),
      };
    }),
    difficulties: state.difficulties.map((d) => {
      const report = byRevision.get(d.revision);
      const answer = answers.find((e) => data(e).reportRevision === d.revision);
      return {
        at: d.at,
        revision: d.revision,
        difficulties: text(report, 'difficulties'),
        proposals: text(report, 'proposals'),
        ...(answer
          ? {
              answer: {
                at: answer.metadata.at,
                revision: answer.metadata.revision,
                decision: text(answer, 'decision'),
              },
            }
          : {}),
      };
    }),
  };
};
