import type { Fact, TaskEvent, TaskEventOf, TaskEventType, TaskState } from '@duban/domain';

/**
 * The task fold written twice more, by hand, for the rows that are not Duban:
 * - `baselineApply`: a mutable `switch` over plain objects, every field present from the start (one
 *   hidden class), nothing deleted — the practical limit of a fold in JavaScript;
 * - `evolveImmutable`: the same logic in the style Emmett's and Castore's docs use, a new object per
 *   event built with spreads.
 * Both produce exactly the state Duban's `applyTask` does (generate.ts checks it on the workload).
 */

/** Every TaskState field present from the start, optional ones as `undefined`: one shape for V8. */
export const baselineInitial = (): TaskState => ({
  status: 'none',
  version: 0,
  taskId: '',
  title: '',
  source: 'other',
  key: false,
  complexity: 'ordinary',
  leadUnit: '',
  coUnits: [],
  taskForceId: undefined,
  deputyInCharge: undefined,
  timeLimits: undefined,
  reportingCadence: undefined,
  project: undefined,
  partialClosure: undefined,
  coUnitDuties: [],
  coUnitReports: [],
  planMilestones: [],
  leadReportTimes: [],
  difficulties: [],
  origin: { kind: 'main-leader', leaderId: '' },
  sectionId: '',
  supervisor: { kind: 'inspection-office' },
  assigned: undefined,
  deadline: '',
  originalDeadline: '',
  accepted: undefined,
  workPlan: undefined,
  planWithMilestones: undefined,
  firstLeadReport: undefined,
  lastLeadReport: undefined,
  leadReports: 0,
  contributions: 0,
  percentComplete: 0,
  openDifficulty: undefined,
  urges: [],
  warnings: [],
  notices: [],
  escalation: undefined,
  pendingExtension: undefined,
  extensions: [],
  closureRequest: undefined,
  firstClosureRequest: undefined,
  closureReview: undefined,
  closureRejections: [],
  closed: undefined,
  grade: undefined,
  signalled: { approaching: [], missed: [], milestones: [], replies: [], noticeResponses: [] },
  deadlinesMissed: [],
  milestonesMissed: [],
  rectifications: [],
  recognitions: [],
  criticisms: [],
  falsifications: [],
  lookBacksFailed: [],
  regrades: [],
});

/** The hand-written mutable fold. `percentComplete ?? 0` reads v1 progress reports (NDJSON rows). */
export const baselineApply = (s: TaskState, e: TaskEvent): TaskState => {
  const revision = s.version;
  switch (e.type) {
    case 'TaskAssigned': {
      const d = e.data;
      s.status = 'assigned';
      s.taskId = d.taskId;
      s.title = d.title;
      s.source = d.source;
      s.key = d.key;
      s.complexity = d.complexity;
      s.leadUnit = d.leadUnit;
      s.coUnits = d.coUnits.slice();
      if (d.taskForceId !== undefined) s.taskForceId = d.taskForceId;
      if (d.deputyInCharge !== undefined) s.deputyInCharge = d.deputyInCharge;
      if (d.timeLimits !== undefined)
        s.timeLimits = d.timeLimits.map((l) => ({
          id: l.id,
          label: { en: l.label.en, zh: l.label.zh },
          due: l.due,
          metBy: l.metBy.slice(),
        }));
      if (d.reportingCadence !== undefined) s.reportingCadence = { every: { ...d.reportingCadence.every } };
      if (d.coUnitDuties !== undefined)
        s.coUnitDuties = d.coUnitDuties.map((x) => ({ unitId: x.unitId, duty: x.duty }));
      if (d.project !== undefined) s.project = d.project;
      s.origin = { kind: d.origin.kind, leaderId: d.origin.leaderId };
      s.sectionId = d.sectionId;
      s.supervisor = { ...d.supervisor };
      s.assigned = { revision, at: d.at };
      s.deadline = d.deadline;
      s.originalDeadline = d.deadline;
      break;
    }
    case 'TaskAccepted':
      s.status = 'in-progress';
      s.accepted = { revision, at: e.data.at };
      break;
    case 'WorkPlanSubmitted': {
      const dated = e.data.milestones.length > 0;
      s.workPlan = { revision, at: e.data.at, version: e.data.version, datedMilestones: dated };
      if (dated && !s.planWithMilestones) s.planWithMilestones = { revision, at: e.data.at };
      const before = s.planMilestones;
      s.planMilestones = e.data.milestones.map((m) => {
        const met = before.find((b) => b.name === m.name)?.met;
        return met ? { name: m.name, due: m.due, met } : { name: m.name, due: m.due };
      });
      break;
    }
    case 'ProgressReported': {
      const d = e.data;
      const f = { revision, at: d.at };
      if (d.role === 'co-unit') {
        s.contributions += 1;
        const own = s.coUnitReports.find((r) => r.unitId === d.unitId);
        if (own) {
          own.last = f;
          own.count += 1;
        } else s.coUnitReports.push({ unitId: d.unitId, first: f, last: f, count: 1 });
        break;
      }
      s.leadReports += 1;
      s.leadReportTimes.push(f);
      if (!s.firstLeadReport) s.firstLeadReport = f;
      s.lastLeadReport = { revision, at: d.at, status: d.status };
      s.percentComplete = d.percentComplete ?? 0;
      s.openDifficulty = d.status === 'difficulty' ? f : undefined;
      if (d.status === 'difficulty') s.difficulties.push({ revision, at: d.at });
      for (const name of d.milestonesMet ?? []) {
        const m = s.planMilestones.find((x) => x.name === name);
        if (m && !m.met) m.met = { revision, at: d.at };
      }
      break;
    }
    case 'TaskUrged':
      s.urges.push({ revision, at: e.data.at });
      break;
    case 'WarningIssued':
      s.warnings.push({ revision, at: e.data.at, level: e.data.level });
      break;
    case 'SupervisionNoticeIssued':
      s.notices.push({
        revision,
        at: e.data.at,
        noticeNo: e.data.noticeNo,
        ...(e.data.respondBy === undefined ? {} : { respondBy: e.data.respondBy }),
      });
      break;
    case 'NoticeResponded': {
      const n = s.notices.find((x) => x.noticeNo === e.data.noticeNo);
      if (n && !n.responded) n.responded = { revision, at: e.data.at };
      break;
    }
    case 'NoticeResponseMissed':
      s.signalled.noticeResponses.push(e.data.noticeNo);
      break;
    case 'DifficultyAnswered': {
      const x = s.difficulties.find((d) => d.revision === e.data.reportRevision);
      if (x && !x.answered) x.answered = { revision, at: e.data.at };
      if (s.openDifficulty?.revision === e.data.reportRevision) s.openDifficulty = undefined;
      break;
    }
    case 'ExtensionReplyOverdue':
      if (s.pendingExtension) s.signalled.replies.push(s.pendingExtension.revision);
      break;
    case 'TaskEscalated':
      s.supervisor = { ...e.data.to };
      s.escalation = { revision, at: e.data.at };
      break;
    case 'ExtensionRequested':
      s.pendingExtension = {
        revision,
        at: e.data.at,
        requestedDeadline: e.data.requestedDeadline,
        currentDeadline: e.data.currentDeadline,
      };
      break;
    case 'ExtensionApproved':
      s.pendingExtension = undefined;
      s.extensions.push({ revision, at: e.data.at, outcome: 'approved' });
      s.deadline = e.data.newDeadline;
      break;
    case 'ExtensionRejected':
      s.pendingExtension = undefined;
      s.extensions.push({ revision, at: e.data.at, outcome: 'rejected' });
      s.deadline = e.data.deadline;
      break;
    case 'ClosureRequested':
      s.status = 'closure-requested';
      s.closureRequest = { revision, at: e.data.at };
      s.partialClosure = e.data.partial !== undefined ? true : undefined;
      if (!s.firstClosureRequest) s.firstClosureRequest = s.closureRequest;
      break;
    case 'ClosureReviewed':
      s.status = 'closure-reviewed';
      s.closureReview = { revision, at: e.data.at, proposedGrade: e.data.proposedGrade };
      break;
    case 'TaskClosed':
      s.status = 'closed';
      s.closed = {
        revision,
        at: e.data.at,
        suggestedGrade: e.data.suggestedGrade,
        grade: e.data.grade,
        ...(e.data.coUnitGrades === undefined ? {} : { coUnitGrades: structuredClone(e.data.coUnitGrades) }),
      };
      s.grade = e.data.grade;
      break;
    case 'ClosureRejected':
      s.status = 'in-progress';
      s.closureRequest = undefined;
      s.partialClosure = undefined;
      s.closureReview = undefined;
      s.closureRejections.push({ revision, at: e.data.at });
      break;
    case 'DeadlineApproaching':
      s.signalled.approaching.push(e.data.deadline);
      break;
    case 'DeadlineMissed':
      s.signalled.missed.push(e.data.deadline);
      s.deadlinesMissed.push({ revision, at: e.data.at, deadline: e.data.deadline });
      break;
    case 'MilestoneMissed':
      s.signalled.milestones.push(e.data.milestone);
      s.milestonesMissed.push({ revision, at: e.data.at, milestone: e.data.milestone });
      break;
    case 'RectificationOpened':
      s.rectifications.push({
        id: e.data.rectificationId,
        status: 'open',
        dueBy: e.data.dueBy,
        opened: { revision, at: e.data.at },
        completed: undefined,
        lookBacks: [],
      });
      break;
    case 'RectificationPlanSubmitted': {
      for (const r of s.rectifications) if (r.id === e.data.rectificationId) r.status = 'planned';
      break;
    }
    case 'RectificationCompleted': {
      for (const r of s.rectifications)
        if (r.id === e.data.rectificationId) {
          r.status = 'completed';
          r.completed = { revision, at: e.data.at };
        }
      break;
    }
    case 'LookBackReviewed': {
      const d = e.data;
      for (const r of s.rectifications)
        if (r.id === d.rectificationId) {
          r.status = d.result;
          r.lookBacks.push({ revision, at: d.at, result: d.result });
        }
      if (d.result === 'failed') s.lookBacksFailed.push({ revision, at: d.at });
      break;
    }
    case 'RecognitionRecorded':
      s.recognitions.push({ revision, at: e.data.at, id: e.data.recognitionId });
      break;
    case 'CriticismRecorded':
      s.criticisms.push({ revision, at: e.data.at, id: e.data.criticismId });
      break;
    case 'FalsificationFound':
      s.falsifications.push({ revision, at: e.data.at, id: e.data.findingId });
      break;
    case 'TaskRegraded':
      s.grade = e.data.to;
      s.regrades.push({ revision, at: e.data.at, from: e.data.from, to: e.data.to });
      break;
  }
  s.version = revision + 1;
  return s;
};

type DataOf<K extends TaskEventType> = TaskEventOf<K>['data'];

const dropped = <S, K extends keyof S>(s: S, ...keys: K[]): S => {
  const out = { ...s };
  for (const k of keys) delete out[k];
  return out;
};

/** Module-level, not a closure per call: under tsx each closure creation also pays esbuild's `__name`. */
const factAt = (revision: number, at: string): Fact => ({ revision, at });

/**
 * Immutable evolve in Emmett's / Castore's style: `(state, event) => newState`, a spread per event.
 * Takes `type` and `data` apart so Emmett's `{ type, data }` and Castore's `{ type, payload }` share it.
 */
export const evolveImmutable = <S extends TaskState>(s: S, type: string, data: unknown): S => {
  const revision = s.version;
  const version = revision + 1;
  switch (type as TaskEventType) {
    case 'TaskAssigned': {
      const d = data as DataOf<'TaskAssigned'>;
      return {
        ...s,
        version,
        status: 'assigned',
        taskId: d.taskId,
        title: d.title,
        source: d.source,
        key: d.key,
        complexity: d.complexity,
        leadUnit: d.leadUnit,
        coUnits: [...d.coUnits],
        ...(d.taskForceId !== undefined ? { taskForceId: d.taskForceId } : {}),
        ...(d.deputyInCharge !== undefined ? { deputyInCharge: d.deputyInCharge } : {}),
        ...(d.timeLimits !== undefined
          ? { timeLimits: d.timeLimits.map((l) => ({ ...l, label: { ...l.label }, metBy: [...l.metBy] })) }
          : {}),
        ...(d.reportingCadence !== undefined
          ? { reportingCadence: { every: { ...d.reportingCadence.every } } }
          : {}),
        ...(d.coUnitDuties !== undefined ? { coUnitDuties: d.coUnitDuties.map((x) => ({ ...x })) } : {}),
        ...(d.project !== undefined ? { project: d.project } : {}),
        origin: { ...d.origin },
        sectionId: d.sectionId,
        supervisor: { ...d.supervisor },
        assigned: factAt(revision, d.at),
        deadline: d.deadline,
        originalDeadline: d.deadline,
      };
    }
    case 'TaskAccepted':
      return {
        ...s,
        version,
        status: 'in-progress',
        accepted: factAt(revision, (data as DataOf<'TaskAccepted'>).at),
      };
    case 'WorkPlanSubmitted': {
      const d = data as DataOf<'WorkPlanSubmitted'>;
      const datedMilestones = d.milestones.length > 0;
      return {
        ...s,
        version,
        workPlan: { ...factAt(revision, d.at), version: d.version, datedMilestones },
        ...(datedMilestones && !s.planWithMilestones ? { planWithMilestones: factAt(revision, d.at) } : {}),
        planMilestones: d.milestones.map((m) => {
          const met = s.planMilestones.find((b) => b.name === m.name)?.met;
          return met ? { name: m.name, due: m.due, met } : { name: m.name, due: m.due };
        }),
      };
    }
    case 'ProgressReported': {
      const d = data as DataOf<'ProgressReported'>;
      const f = factAt(revision, d.at);
      if (d.role === 'co-unit') {
        const own = s.coUnitReports.find((r) => r.unitId === d.unitId);
        return {
          ...s,
          version,
          contributions: s.contributions + 1,
          coUnitReports: own
            ? s.coUnitReports.map((r) => (r === own ? { ...r, last: f, count: r.count + 1 } : r))
            : [...s.coUnitReports, { unitId: d.unitId, first: f, last: f, count: 1 }],
        };
      }
      const met = new Set(d.milestonesMet ?? []);
      const next: S = {
        ...s,
        version,
        leadReports: s.leadReports + 1,
        leadReportTimes: [...s.leadReportTimes, f],
        firstLeadReport: s.firstLeadReport ?? f,
        lastLeadReport: { ...f, status: d.status },
        percentComplete: d.percentComplete,
        ...(met.size > 0
          ? {
              planMilestones: s.planMilestones.map((m) => (met.has(m.name) && !m.met ? { ...m, met: f } : m)),
            }
          : {}),
      };
      return d.status === 'difficulty'
        ? { ...next, openDifficulty: f, difficulties: [...s.difficulties, { ...f }] }
        : dropped(next, 'openDifficulty');
    }
    case 'TaskUrged':
      return { ...s, version, urges: [...s.urges, factAt(revision, (data as DataOf<'TaskUrged'>).at)] };
    case 'WarningIssued': {
      const d = data as DataOf<'WarningIssued'>;
      return { ...s, version, warnings: [...s.warnings, { ...factAt(revision, d.at), level: d.level }] };
    }
    case 'SupervisionNoticeIssued': {
      const d = data as DataOf<'SupervisionNoticeIssued'>;
      return {
        ...s,
        version,
        notices: [
          ...s.notices,
          {
            ...factAt(revision, d.at),
            noticeNo: d.noticeNo,
            ...(d.respondBy === undefined ? {} : { respondBy: d.respondBy }),
          },
        ],
      };
    }
    case 'NoticeResponded': {
      const d = data as DataOf<'NoticeResponded'>;
      const found = s.notices.find((x) => x.noticeNo === d.noticeNo);
      const n = found?.responded ? undefined : found;
      return {
        ...s,
        version,
        notices: s.notices.map((x) => (x === n ? { ...x, responded: factAt(revision, d.at) } : x)),
      };
    }
    case 'NoticeResponseMissed': {
      const d = data as DataOf<'NoticeResponseMissed'>;
      return {
        ...s,
        version,
        signalled: { ...s.signalled, noticeResponses: [...s.signalled.noticeResponses, d.noticeNo] },
      };
    }
    case 'DifficultyAnswered': {
      const d = data as DataOf<'DifficultyAnswered'>;
      const found = s.difficulties.find((y) => y.revision === d.reportRevision);
      const x = found?.answered ? undefined : found;
      const next: S = {
        ...s,
        version,
        difficulties: s.difficulties.map((y) => (y === x ? { ...y, answered: factAt(revision, d.at) } : y)),
      };
      return s.openDifficulty?.revision === d.reportRevision ? dropped(next, 'openDifficulty') : next;
    }
    case 'ExtensionReplyOverdue':
      return s.pendingExtension
        ? {
            ...s,
            version,
            signalled: { ...s.signalled, replies: [...s.signalled.replies, s.pendingExtension.revision] },
          }
        : { ...s, version };
    case 'TaskEscalated': {
      const d = data as DataOf<'TaskEscalated'>;
      return { ...s, version, supervisor: { ...d.to }, escalation: factAt(revision, d.at) };
    }
    case 'ExtensionRequested': {
      const d = data as DataOf<'ExtensionRequested'>;
      return {
        ...s,
        version,
        pendingExtension: {
          ...factAt(revision, d.at),
          requestedDeadline: d.requestedDeadline,
          currentDeadline: d.currentDeadline,
        },
      };
    }
    case 'ExtensionApproved': {
      const d = data as DataOf<'ExtensionApproved'>;
      return dropped(
        {
          ...s,
          version,
          extensions: [...s.extensions, { ...factAt(revision, d.at), outcome: 'approved' as const }],
          deadline: d.newDeadline,
        },
        'pendingExtension',
      );
    }
    case 'ExtensionRejected': {
      const d = data as DataOf<'ExtensionRejected'>;
      return dropped(
        {
          ...s,
          version,
          extensions: [...s.extensions, { ...factAt(revision, d.at), outcome: 'rejected' as const }],
          deadline: d.deadline,
        },
        'pendingExtension',
      );
    }
    case 'ClosureRequested': {
      const d = data as DataOf<'ClosureRequested'>;
      const closureRequest = factAt(revision, d.at);
      const next: S = {
        ...s,
        version,
        status: 'closure-requested',
        closureRequest,
        firstClosureRequest: s.firstClosureRequest ?? closureRequest,
      };
      return d.partial !== undefined ? { ...next, partialClosure: true } : dropped(next, 'partialClosure');
    }
    case 'ClosureReviewed': {
      const d = data as DataOf<'ClosureReviewed'>;
      return {
        ...s,
        version,
        status: 'closure-reviewed',
        closureReview: { ...factAt(revision, d.at), proposedGrade: d.proposedGrade },
      };
    }
    case 'TaskClosed': {
      const d = data as DataOf<'TaskClosed'>;
      return {
        ...s,
        version,
        status: 'closed',
        closed: {
          ...factAt(revision, d.at),
          suggestedGrade: d.suggestedGrade,
          grade: d.grade,
          ...(d.coUnitGrades === undefined ? {} : { coUnitGrades: structuredClone(d.coUnitGrades) }),
        },
        grade: d.grade,
      };
    }
    case 'ClosureRejected': {
      const d = data as DataOf<'ClosureRejected'>;
      return dropped(
        {
          ...s,
          version,
          status: 'in-progress' as const,
          closureRejections: [...s.closureRejections, factAt(revision, d.at)],
        },
        'closureRequest',
        'closureReview',
        'partialClosure',
      );
    }
    case 'DeadlineApproaching': {
      const d = data as DataOf<'DeadlineApproaching'>;
      return {
        ...s,
        version,
        signalled: { ...s.signalled, approaching: [...s.signalled.approaching, d.deadline] },
      };
    }
    case 'DeadlineMissed': {
      const d = data as DataOf<'DeadlineMissed'>;
      return {
        ...s,
        version,
        signalled: { ...s.signalled, missed: [...s.signalled.missed, d.deadline] },
        deadlinesMissed: [...s.deadlinesMissed, { ...factAt(revision, d.at), deadline: d.deadline }],
      };
    }
    case 'MilestoneMissed': {
      const d = data as DataOf<'MilestoneMissed'>;
      return {
        ...s,
        version,
        signalled: { ...s.signalled, milestones: [...s.signalled.milestones, d.milestone] },
        milestonesMissed: [...s.milestonesMissed, { ...factAt(revision, d.at), milestone: d.milestone }],
      };
    }
    case 'RectificationOpened': {
      const d = data as DataOf<'RectificationOpened'>;
      return {
        ...s,
        version,
        rectifications: [
          ...s.rectifications,
          {
            id: d.rectificationId,
            status: 'open' as const,
            dueBy: d.dueBy,
            opened: factAt(revision, d.at),
            lookBacks: [],
          },
        ],
      };
    }
    case 'RectificationPlanSubmitted': {
      const d = data as DataOf<'RectificationPlanSubmitted'>;
      return {
        ...s,
        version,
        rectifications: s.rectifications.map((r) =>
          r.id === d.rectificationId ? { ...r, status: 'planned' as const } : r,
        ),
      };
    }
    case 'RectificationCompleted': {
      const d = data as DataOf<'RectificationCompleted'>;
      return {
        ...s,
        version,
        rectifications: s.rectifications.map((r) =>
          r.id === d.rectificationId
            ? { ...r, status: 'completed' as const, completed: factAt(revision, d.at) }
            : r,
        ),
      };
    }
    case 'LookBackReviewed': {
      const d = data as DataOf<'LookBackReviewed'>;
      const f = factAt(revision, d.at);
      return {
        ...s,
        version,
        rectifications: s.rectifications.map((r) =>
          r.id === d.rectificationId
            ? { ...r, status: d.result, lookBacks: [...r.lookBacks, { ...f, result: d.result }] }
            : r,
        ),
        lookBacksFailed: d.result === 'failed' ? [...s.lookBacksFailed, f] : s.lookBacksFailed,
      };
    }
    case 'RecognitionRecorded': {
      const d = data as DataOf<'RecognitionRecorded'>;
      return {
        ...s,
        version,
        recognitions: [...s.recognitions, { ...factAt(revision, d.at), id: d.recognitionId }],
      };
    }
    case 'CriticismRecorded': {
      const d = data as DataOf<'CriticismRecorded'>;
      return {
        ...s,
        version,
        criticisms: [...s.criticisms, { ...factAt(revision, d.at), id: d.criticismId }],
      };
    }
    case 'FalsificationFound': {
      const d = data as DataOf<'FalsificationFound'>;
      return {
        ...s,
        version,
        falsifications: [...s.falsifications, { ...factAt(revision, d.at), id: d.findingId }],
      };
    }
    case 'TaskRegraded': {
      const d = data as DataOf<'TaskRegraded'>;
      return {
        ...s,
        version,
        grade: d.to,
        regrades: [...s.regrades, { revision, at: d.at, from: d.from, to: d.to }],
      };
    }
  }
  return { ...s, version };
};
