import { GRADE_LABELS, type DomainContext, type Grade } from '@duban/domain';
import { inline } from './terminal';

/**
 * Chinese labels shown beside the English names in tables and the HTML report. They are looked up by
 * values read from a history, so each table has no prototype: `constructor` or `toString` find nothing.
 */
const labels = (entries: Record<string, string>): Readonly<Record<string, string>> =>
  Object.freeze(Object.assign(Object.create(null) as Record<string, string>, entries));

export const EVENT_LABELS = labels({
  TaskAssigned: '立项交办',
  TaskAccepted: '签收',
  WorkPlanSubmitted: '报送工作矩阵图',
  ProgressReported: '反馈进展',
  TaskUrged: '催办',
  WarningIssued: '预警',
  SupervisionNoticeIssued: '书面督办通知书',
  TaskEscalated: '督查室立项督办',
  ExtensionRequested: '申请延期',
  ExtensionApproved: '同意延期',
  ExtensionRejected: '不同意延期',
  ClosureRequested: '申请办结',
  ClosureReviewed: '初审',
  TaskClosed: '审定办结',
  ClosureRejected: '不予办结',
  DeadlineApproaching: '临近期限',
  DeadlineMissed: '逾期',
  MilestoneMissed: '节点逾期',
  RectificationOpened: '问题整改',
  RectificationPlanSubmitted: '报送整改方案',
  RectificationCompleted: '整改完成',
  LookBackReviewed: '回头看',
  RecognitionRecorded: '表扬肯定',
  CriticismRecorded: '点名批评',
  FalsificationFound: '弄虚作假',
  TaskRegraded: '重新评定等级',
  InspectionRecorded: '重点督查',
  InterviewScheduled: '安排约谈',
  InterviewRecorded: '约谈',
  ReferredToDiscipline: '移交纪检监察机关',
  CommendationPublished: '通报表扬',
  CriticismPublished: '通报批评',
  NoticeResponded: '回复督办通知书',
  NoticeResponseMissed: '督办通知书逾期未回复',
  DifficultyAnswered: '答复困难和问题',
  ExtensionReplyOverdue: '延期批复逾期',
});

/** The stages of a major special project's task (重大专项实施阶段), in order. */
export const STAGE_LABELS = labels({
  assigned: '已交办',
  accepted: '已签收',
  planned: '已报送工作矩阵图',
  'closure-requested': '申请办结',
  closed: '已办结',
});

export const STATUS_LABELS = labels({
  none: '未立项',
  assigned: '已交办',
  'in-progress': '办理中',
  'closure-requested': '申请办结',
  'closure-reviewed': '已初审',
  closed: '已办结',
});

export const LIGHT_LABELS = labels({
  green: '绿灯',
  yellow: '黄灯',
  red: '红灯',
  none: '—',
});

export const ACTOR_LABELS = labels({
  'main-leader': '市政府主要领导',
  'deputy-leader': '市政府分管领导',
  section: '科室',
  'inspection-office': '督查室',
  unit: '承办单位',
  auditor: '审计',
  system: '督办系统',
});

export const SOURCE_LABELS = labels({
  'central-instructions': '总书记重要讲话重要指示批示精神',
  'central-decisions': '党中央、国务院重大决策部署',
  'provincial-decisions': '省委、省政府重大决策部署',
  'municipal-party-decisions': '市委决策由市政府承办事项',
  'work-report-targets': '《政府工作报告》目标任务',
  'government-meeting-decisions': '市政府会议决定事项',
  'leader-instructions': '市政府领导批示',
  other: '其他重要事项',
});

export const WARNING_LABELS = labels({
  overdue: '逾期',
  approaching: '临近期限',
  'repeatedly-urged': '多次催办',
  'difficulty-unanswered': '困难未答复',
  'reply-overdue': '延期批复逾期',
});

export const FLAG_LABELS = labels({
  interview: '约谈',
  referral: '移交纪检监察机关',
  'ranked-low': '排名靠后',
  'seriously-behind': '进度严重滞后',
  'rectification-not-done': '整改不到位',
  'ranked-low-repeatedly': '多次排名靠后',
  'interviewed-repeatedly': '多次被约谈',
  'long-unrectified': '久拖不改',
});

export const gradeLabel = (g: Grade | undefined): string =>
  g === undefined
    ? '—'
    : `${inline(g)} ${Object.prototype.hasOwnProperty.call(GRADE_LABELS, g) ? GRADE_LABELS[g].zh : ''}`.trim();

export const eventLabel = (type: string): string =>
  EVENT_LABELS[type] ? `${inline(type)} ${EVENT_LABELS[type]}` : inline(type);

/** `2022-03-01 09:00` in the deployment's zone: how the office reads its own clock. */
export const localTime = (instant: string, ctx: DomainContext): string => {
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) return instant;
  const d = new Date(ms + ctx.calendar.utcOffsetMinutes * 60_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
};

export const localDate = (instant: string, ctx: DomainContext): string =>
  localTime(instant, ctx).slice(0, 10);

/**
 * Display names of units, where known. History keeps ids only; the demo's office and an embedding
 * system's directory supply names. A Map: unit ids come from outside and may be any identifier.
 */
export type UnitNames = ReadonlyMap<string, string>;

export const NO_NAMES: UnitNames = new Map();

/** `市商务局 bureau-of-commerce`, or the id alone; safe to print (names come from a file). */
export const unitLabel = (unitId: string, names: UnitNames): string => {
  const name = names.get(unitId);
  return inline(name ? `${name} ${unitId}` : unitId);
};
