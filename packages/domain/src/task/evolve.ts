import { produce } from 'immer';
import type { TaskEvent, TaskEventOf, TaskEventType } from './events';
import { appended, noMilestones, NOTHING_SIGNALLED, replacedAt, type Fact, type TaskState } from './state';
import { shared, sharedData, sharedFact, sharedInstant, sharedRecent, sharedText } from './shared-values';
import type { Origin, Supervisor } from './vocabulary';

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
// Every instant kept goes through `sharedInstant`, every plain fact through `sharedFact`: a fact's
// time is most of what a task holds, and many tasks hold the same fact.
const fact = (draft: TaskState, at: string): Fact => sharedFact(draft.version, at);
const instant = sharedInstant;

/** The task's own record of signals, made on its first signal (the one a new task starts with is shared). */
const signalled = (s: TaskState): TaskState['signalled'] =>
  s.signalled === NOTHING_SIGNALLED ? (s.signalled = { ...NOTHING_SIGNALLED }) : s.signalled;

// Shared values are keyed by their content, parts joined by NUL (no id or evidence kind holds one; a
// free text that may is placed last or preceded by its length).
const originOf = (o: Origin): Origin =>
  shared(`origin\u0000${o.kind}\u0000${o.leaderId}`, () => ({ kind: o.kind, leaderId: o.leaderId }));
const supervisorOf = (v: Supervisor): Supervisor =>
  v.kind === 'section'
    ? shared(`section\u0000${v.sectionId}`, () => ({ kind: v.kind, sectionId: v.sectionId }))
    : shared('inspection-office', () => ({ kind: v.kind }));

export const taskRecipes: { readonly [K in TaskEventType]: Recipe<K> } = {
  TaskAssigned(s, { data }) {
    s.status = 'assigned';
    s.taskId = data.taskId;
    s.title = data.title;
    s.source = data.source;
    s.key = data.key;
    s.complexity = data.complexity;
    s.leadUnit = data.leadUnit;
    // Alike in many tasks (the same few co-units, their duties, the cadence): one frozen copy each.
    if (data.coUnits.length > 0) s.coUnits = sharedData(data.coUnits);
    if (data.taskForceId !== undefined) s.taskForceId = data.taskForceId;
    // One of a few leaders: one copy of the name.
    if (data.deputyInCharge !== undefined) s.deputyInCharge = sharedText(data.deputyInCharge);
    if (data.timeLimits !== undefined)
      s.timeLimits = data.timeLimits.map((l) => ({
        id: sharedText(l.id),
        // The profile's words and evidence kinds: alike in every task assigned under the same profile.
        // The English label's length first: a text may hold NUL, so the parts alone could be read two ways.
        label: shared(`label\u0000${l.label.en.length}\u0000${l.label.en}\u0000${l.label.zh}`, () => ({
          en: l.label.en,
          zh: l.label.zh,
        })),
        due: instant(l.due),
        metBy: shared(`metBy\u0000${l.metBy.join('\u0000')}`, () => [...l.metBy]),
      }));
    if (data.reportingCadence !== undefined) s.reportingCadence = sharedData(data.reportingCadence);
    if (data.coUnitDuties !== undefined)
      s.coUnitDuties = sharedRecent(`duties${JSON.stringify(data.coUnitDuties)}`, () =>
        // Each duty shared on its own too: tasks with other co-units still share most of them.
        data.coUnitDuties!.map((d) =>
          shared(`duty\u0000${d.unitId}\u0000${d.duty}`, () => ({ unitId: d.unitId, duty: d.duty })),
        ),
      );
    if (data.project !== undefined) s.project = data.project;
    s.origin = originOf(data.origin);
    s.sectionId = data.sectionId;
    s.supervisor = supervisorOf(data.supervisor);
    s.assigned = fact(s, data.at);
    s.deadline = instant(data.deadline);
    s.originalDeadline = s.deadline;
  },
  TaskAccepted(s, { data }) {
    s.status = 'in-progress';
    s.accepted = fact(s, data.at);
  },
  WorkPlanSubmitted(s, { data }) {
    const datedMilestones = data.milestones.length > 0;
    s.workPlan = { revision: s.version, at: instant(data.at), version: data.version, datedMilestones };
    if (datedMilestones && !s.planWithMilestones) s.planWithMilestones = fact(s, data.at);
    // A new plan replaces the milestones; one already met under the same name stays met.
    const before = s.planMilestones;
    const metBefore = data.milestones.map((m) => before.find((b) => b.name === m.name)?.met);
    if (data.milestones.length === 0) s.planMilestones = noMilestones();
    else if (metBefore.some((met) => met !== undefined))
      s.planMilestones = data.milestones.map((m, i) => {
        const met = metBefore[i];
        const due = instant(m.due);
        return met ? { name: m.name, due, met } : { name: m.name, due };
      });
    // Plans with nothing met yet are alike in many tasks (the same stages, due the same days): one
    // frozen copy, keyed by its JSON (names are free text); a report meeting a milestone copies it.
    else
      s.planMilestones = sharedRecent(
        `plan${JSON.stringify(data.milestones.map((m) => [m.name, m.due]))}`,
        () => data.milestones.map((m) => Object.freeze({ name: m.name, due: instant(m.due) })),
      );
  },
  ProgressReported(s, { data }) {
    const f = fact(s, data.at);
    if (data.role === 'co-unit') {
      s.contributions += 1;
      const own = s.coUnitReports.find((r) => r.unitId === data.unitId);
      if (own) {
        own.last = f;
        own.count += 1;
      } else
        s.coUnitReports = appended(s.coUnitReports, { unitId: data.unitId, first: f, last: f, count: 1 });
      return;
    }
    s.leadReports += 1;
    s.leadReportTimes = appended(s.leadReportTimes, f);
    if (!s.firstLeadReport) s.firstLeadReport = f;
    s.lastLeadReport = { revision: f.revision, at: f.at, status: data.status };
    s.percentComplete = data.percentComplete;
    if (data.status === 'difficulty') {
      s.openDifficulty = f;
      // A copy, not the shared fact: its answer is written into it later.
      s.difficulties = appended(s.difficulties, { revision: f.revision, at: f.at });
    } else s.openDifficulty = undefined;
    for (const name of data.milestonesMet ?? []) {
      const i = s.planMilestones.findIndex((x) => x.name === name);
      const m = s.planMilestones[i];
      // Replaced, not written into: the plan may be shared with other tasks.
      if (m && !m.met)
        s.planMilestones = replacedAt(s.planMilestones, i, { name: m.name, due: m.due, met: f });
    }
  },
  TaskUrged(s, { data }) {
    s.urges = appended(s.urges, fact(s, data.at));
  },
  WarningIssued(s, { data }) {
    s.warnings = appended(s.warnings, { revision: s.version, at: instant(data.at), level: data.level });
  },
  SupervisionNoticeIssued(s, { data }) {
    s.notices = appended(s.notices, {
      revision: s.version,
      at: instant(data.at),
      noticeNo: data.noticeNo,
      ...(data.respondBy === undefined ? {} : { respondBy: instant(data.respondBy) }),
    });
  },
  NoticeResponded(s, { data }) {
    const n = s.notices.find((x) => x.noticeNo === data.noticeNo);
    if (n && !n.responded) n.responded = fact(s, data.at);
  },
  NoticeResponseMissed(s, { data }) {
    const sig = signalled(s);
    sig.noticeResponses = appended(sig.noticeResponses, data.noticeNo);
  },
  DifficultyAnswered(s, { data }) {
    const d = s.difficulties.find((x) => x.revision === data.reportRevision);
    if (d && !d.answered) d.answered = fact(s, data.at);
    if (s.openDifficulty?.revision === data.reportRevision) s.openDifficulty = undefined;
  },
  ExtensionReplyOverdue(s) {
    if (s.pendingExtension) {
      const sig = signalled(s);
      sig.replies = appended(sig.replies, s.pendingExtension.revision);
    }
  },
  TaskEscalated(s, { data }) {
    s.supervisor = supervisorOf(data.to);
    s.escalation = fact(s, data.at);
  },
  ExtensionRequested(s, { data }) {
    s.pendingExtension = {
      revision: s.version,
      at: instant(data.at),
      requestedDeadline: instant(data.requestedDeadline),
      currentDeadline: instant(data.currentDeadline),
    };
  },
  ExtensionApproved(s, { data }) {
    s.pendingExtension = undefined;
    s.extensions = appended(s.extensions, { revision: s.version, at: instant(data.at), outcome: 'approved' });
    s.deadline = instant(data.newDeadline);
  },
  ExtensionRejected(s, { data }) {
    s.pendingExtension = undefined;
    s.extensions = appended(s.extensions, { revision: s.version, at: instant(data.at), outcome: 'rejected' });
    // A reply that came late gives back the time the timely request waited (不计入单位办理时间).
    s.deadline = instant(data.deadline);
  },
  ClosureRequested(s, { data }) {
    s.status = 'closure-requested';
    s.closureRequest = fact(s, data.at);
    s.partialClosure = data.partial !== undefined ? true : undefined;
    if (!s.firstClosureRequest) s.firstClosureRequest = s.closureRequest;
  },
  ClosureReviewed(s, { data }) {
    s.status = 'closure-reviewed';
    s.closureReview = { revision: s.version, at: instant(data.at), proposedGrade: data.proposedGrade };
  },
  TaskClosed(s, { data }) {
    s.status = 'closed';
    s.closed = {
      revision: s.version,
      at: instant(data.at),
      suggestedGrade: data.suggestedGrade,
      grade: data.grade,
      // Each co-unit's grade is one frozen copy for every task closed with the same (mostly alike).
      ...(data.coUnitGrades === undefined ? {} : { coUnitGrades: data.coUnitGrades.map(sharedData) }),
    };
    s.grade = data.grade;
  },
  ClosureRejected(s, { data }) {
    s.status = 'in-progress';
    s.closureRequest = undefined;
    s.partialClosure = undefined;
    s.closureReview = undefined;
    s.closureRejections = appended(s.closureRejections, fact(s, data.at));
  },
  DeadlineApproaching(s, { data }) {
    const sig = signalled(s);
    sig.approaching = appended(sig.approaching, instant(data.deadline));
  },
  DeadlineMissed(s, { data }) {
    const sig = signalled(s);
    const deadline = instant(data.deadline);
    sig.missed = appended(sig.missed, deadline);
    s.deadlinesMissed = appended(s.deadlinesMissed, {
      revision: s.version,
      at: instant(data.at),
      deadline,
    });
  },
  MilestoneMissed(s, { data }) {
    const sig = signalled(s);
    sig.milestones = appended(sig.milestones, data.milestone);
    s.milestonesMissed = appended(s.milestonesMissed, {
      revision: s.version,
      at: instant(data.at),
      milestone: data.milestone,
    });
  },
  RectificationOpened(s, { data }) {
    s.rectifications = appended(s.rectifications, {
      id: data.rectificationId,
      status: 'open',
      dueBy: instant(data.dueBy),
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
      r.lookBacks = appended(r.lookBacks, { revision: f.revision, at: f.at, result: data.result });
    }
    if (data.result === 'failed') s.lookBacksFailed = appended(s.lookBacksFailed, f);
  },
  RecognitionRecorded(s, { data }) {
    s.recognitions = appended(s.recognitions, {
      revision: s.version,
      at: instant(data.at),
      id: data.recognitionId,
    });
  },
  CriticismRecorded(s, { data }) {
    s.criticisms = appended(s.criticisms, {
      revision: s.version,
      at: instant(data.at),
      id: data.criticismId,
    });
  },
  FalsificationFound(s, { data }) {
    s.falsifications = appended(s.falsifications, {
      revision: s.version,
      at: instant(data.at),
      id: data.findingId,
    });
  },
  TaskRegraded(s, { data }) {
    s.grade = data.to;
    s.regrades = appended(s.regrades, {
      revision: s.version,
      at: instant(data.at),
      from: data.from,
      to: data.to,
    });
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
