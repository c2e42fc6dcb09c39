import { produce } from 'immer';
import type { TaskEvent, TaskEventOf, TaskEventType } from './events';
import type { Fact, TaskState } from './state';

/**
 * How each event changes the task, written as immer recipes `(draft, event) => void`.
 * `evolveTask` runs them through `produce` (an immutable snapshot per event, for callers who keep
 * states around); `applyTask` runs the same recipes directly on a state the caller owns privately,
 * which is how replay and projection rebuilds fold long histories without immer's per-event cost.
 * Recipes copy arrays and objects out of events, never alias them: a state built in place must not
 * share structure with the (frozen) events it came from.
 */
type Recipe<K extends TaskEventType> = (draft: TaskState, event: TaskEventOf<K>) => void;

// Facts are written as literals, not spread: replay folds millions of them (a spread costs ~3× as much).
const fact = (draft: TaskState, at: string): Fact => ({ revision: draft.version, at });

export const taskRecipes: { readonly [K in TaskEventType]: Recipe<K> } = {
  TaskAssigned(s, { data }) {
    s.status = 'assigned';
    s.taskId = data.taskId;
    s.title = data.title;
    s.source = data.source;
    s.key = data.key;
    s.complexity = data.complexity;
    s.leadUnit = data.leadUnit;
    s.coUnits = [...data.coUnits];
    if (data.taskForceId !== undefined) s.taskForceId = data.taskForceId;
    if (data.deputyInCharge !== undefined) s.deputyInCharge = data.deputyInCharge;
    if (data.timeLimits !== undefined)
      s.timeLimits = data.timeLimits.map((l) => ({
        id: l.id,
        label: { ...l.label },
        due: l.due,
        metBy: [...l.metBy],
      }));
    if (data.reportingCadence !== undefined)
      s.reportingCadence = { every: { ...data.reportingCadence.every } };
    if (data.coUnitDuties !== undefined)
      s.coUnitDuties = data.coUnitDuties.map((d) => ({ unitId: d.unitId, duty: d.duty }));
    if (data.project !== undefined) s.project = data.project;
    s.origin = { ...data.origin };
    s.sectionId = data.sectionId;
    s.supervisor = { ...data.supervisor };
    s.assigned = fact(s, data.at);
    s.deadline = data.deadline;
    s.originalDeadline = data.deadline;
  },
  TaskAccepted(s, { data }) {
    s.status = 'in-progress';
    s.accepted = fact(s, data.at);
  },
  WorkPlanSubmitted(s, { data }) {
    const datedMilestones = data.milestones.length > 0;
    s.workPlan = { revision: s.version, at: data.at, version: data.version, datedMilestones };
    if (datedMilestones && !s.planWithMilestones) s.planWithMilestones = fact(s, data.at);
    // A new plan replaces the milestones; one already met under the same name stays met.
    const before = s.planMilestones;
    s.planMilestones = data.milestones.map((m) => {
      const met = before.find((b) => b.name === m.name)?.met;
      return met ? { name: m.name, due: m.due, met } : { name: m.name, due: m.due };
    });
  },
  ProgressReported(s, { data }) {
    const f = fact(s, data.at);
    if (data.role === 'co-unit') {
      s.contributions += 1;
      const own = s.coUnitReports.find((r) => r.unitId === data.unitId);
      if (own) {
        own.last = f;
        own.count += 1;
      } else s.coUnitReports.push({ unitId: data.unitId, first: f, last: f, count: 1 });
      return;
    }
    s.leadReports += 1;
    s.leadReportTimes.push(f);
    if (!s.firstLeadReport) s.firstLeadReport = f;
    s.lastLeadReport = { revision: f.revision, at: f.at, status: data.status };
    s.percentComplete = data.percentComplete;
    if (data.status === 'difficulty') {
      s.openDifficulty = f;
      s.difficulties.push({ revision: f.revision, at: f.at });
    } else s.openDifficulty = undefined;
    for (const name of data.milestonesMet ?? []) {
      const m = s.planMilestones.find((x) => x.name === name);
      if (m && !m.met) m.met = { revision: f.revision, at: f.at };
    }
  },
  TaskUrged(s, { data }) {
    s.urges.push(fact(s, data.at));
  },
  WarningIssued(s, { data }) {
    s.warnings.push({ revision: s.version, at: data.at, level: data.level });
  },
  SupervisionNoticeIssued(s, { data }) {
    s.notices.push({
      revision: s.version,
      at: data.at,
      noticeNo: data.noticeNo,
      ...(data.respondBy === undefined ? {} : { respondBy: data.respondBy }),
    });
  },
  NoticeResponded(s, { data }) {
    const n = s.notices.find((x) => x.noticeNo === data.noticeNo);
    if (n && !n.responded) n.responded = fact(s, data.at);
  },
  NoticeResponseMissed(s, { data }) {
    s.signalled.noticeResponses.push(data.noticeNo);
  },
  DifficultyAnswered(s, { data }) {
    const d = s.difficulties.find((x) => x.revision === data.reportRevision);
    if (d && !d.answered) d.answered = fact(s, data.at);
    if (s.openDifficulty?.revision === data.reportRevision) s.openDifficulty = undefined;
  },
  ExtensionReplyOverdue(s) {
    if (s.pendingExtension) s.signalled.replies.push(s.pendingExtension.revision);
  },
  TaskEscalated(s, { data }) {
    s.supervisor = { ...data.to };
    s.escalation = fact(s, data.at);
  },
  ExtensionRequested(s, { data }) {
    s.pendingExtension = {
      revision: s.version,
      at: data.at,
      requestedDeadline: data.requestedDeadline,
      currentDeadline: data.currentDeadline,
    };
  },
  ExtensionApproved(s, { data }) {
    s.pendingExtension = undefined;
    s.extensions.push({ revision: s.version, at: data.at, outcome: 'approved' });
    s.deadline = data.newDeadline;
  },
  ExtensionRejected(s, { data }) {
    s.pendingExtension = undefined;
    s.extensions.push({ revision: s.version, at: data.at, outcome: 'rejected' });
    // A reply that came late gives back the time the timely request waited (不计入单位办理时间).
    s.deadline = data.deadline;
  },
  ClosureRequested(s, { data }) {
    s.status = 'closure-requested';
    s.closureRequest = fact(s, data.at);
    s.partialClosure = data.partial !== undefined ? true : undefined;
    if (!s.firstClosureRequest) s.firstClosureRequest = s.closureRequest;
  },
  ClosureReviewed(s, { data }) {
    s.status = 'closure-reviewed';
    s.closureReview = { revision: s.version, at: data.at, proposedGrade: data.proposedGrade };
  },
  TaskClosed(s, { data }) {
    s.status = 'closed';
    s.closed = {
      revision: s.version,
      at: data.at,
      suggestedGrade: data.suggestedGrade,
      grade: data.grade,
      ...(data.coUnitGrades === undefined
        ? {}
        : { coUnitGrades: data.coUnitGrades.map((g) => structuredClone(g)) }),
    };
    s.grade = data.grade;
  },
  ClosureRejected(s, { data }) {
    s.status = 'in-progress';
    s.closureRequest = undefined;
    s.partialClosure = undefined;
    s.closureReview = undefined;
    s.closureRejections.push(fact(s, data.at));
  },
  DeadlineApproaching(s, { data }) {
    s.signalled.approaching.push(data.deadline);
  },
  DeadlineMissed(s, { data }) {
    s.signalled.missed.push(data.deadline);
    s.deadlinesMissed.push({ revision: s.version, at: data.at, deadline: data.deadline });
  },
  MilestoneMissed(s, { data }) {
    s.signalled.milestones.push(data.milestone);
    s.milestonesMissed.push({ revision: s.version, at: data.at, milestone: data.milestone });
  },
  RectificationOpened(s, { data }) {
    s.rectifications.push({
      id: data.rectificationId,
      status: 'open',
      dueBy: data.dueBy,
      opened: fact(s, data.at),
      lookBacks: [],
    });
  },
  RectificationPlanSubmitted(s, { data }) {
    const r = s.rectifications.find((x) => x.id === data.rectificationId);
    if (r) r.status = 'planned';
  },
  RectificationCompleted(s, { data }) {
    const r = s.rectifications.find((x) => x.id === data.rectificationId);
    if (r) {
      r.status = 'completed';
      r.completed = fact(s, data.at);
    }
  },
  LookBackReviewed(s, { data }) {
    const r = s.rectifications.find((x) => x.id === data.rectificationId);
    const f = fact(s, data.at);
    if (r) {
      r.status = data.result;
      r.lookBacks.push({ revision: f.revision, at: f.at, result: data.result });
    }
    if (data.result === 'failed') s.lookBacksFailed.push(f);
  },
  RecognitionRecorded(s, { data }) {
    s.recognitions.push({ revision: s.version, at: data.at, id: data.recognitionId });
  },
  CriticismRecorded(s, { data }) {
    s.criticisms.push({ revision: s.version, at: data.at, id: data.criticismId });
  },
  FalsificationFound(s, { data }) {
    s.falsifications.push({ revision: s.version, at: data.at, id: data.findingId });
  },
  TaskRegraded(s, { data }) {
    s.grade = data.to;
    s.regrades.push({ revision: s.version, at: data.at, from: data.from, to: data.to });
  },
};

/** Applies one event to a state the caller owns, in place. Returns the same object. */
export const applyTask = (state: TaskState, event: TaskEvent): TaskState => {
  (taskRecipes[event.type] as Recipe<TaskEventType>)(state, event as never);
  state.version += 1;
  return state;
};

/** Pure evolve: a new immutable state per event; the input state is never changed. */
export const evolveTask = (state: TaskState, event: TaskEvent): TaskState =>
  produce(state, (draft) => {
    applyTask(draft, event);
  });
