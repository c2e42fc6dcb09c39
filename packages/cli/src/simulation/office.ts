import type { Actor, TaskSource } from '@duban/domain';

/**
 * The simulated office: Changzhi's municipal government (长治市人民政府) as the seed describes it —
 * the mayor, deputy mayors with their portfolios, the general office's sections, the inspection office,
 * and the departments and county governments that carry tasks out.
 */
export const UNITS: ReadonlyArray<readonly [id: string, name: string]> = [
  ['development-reform', '市发展改革委'],
  ['industry-it', '市工信局'],
  ['finance', '市财政局'],
  ['commerce', '市商务局'],
  ['housing', '市住建局'],
  ['transport', '市交通运输局'],
  ['ecology', '市生态环境局'],
  ['agriculture', '市农业农村局'],
  ['education', '市教育局'],
  ['health', '市卫健委'],
  ['market-regulation', '市市场监管局'],
  ['emergency', '市应急管理局'],
  ['luzhou-district', '潞州区政府'],
  ['shangdang-district', '上党区政府'],
  ['tunliu-district', '屯留区政府'],
  ['lucheng-district', '潞城区政府'],
  ['xiangyuan-county', '襄垣县政府'],
  ['pingshun-county', '平顺县政府'],
  ['licheng-county', '黎城县政府'],
  ['huguan-county', '壶关县政府'],
  ['zhangzi-county', '长子县政府'],
  ['wuxiang-county', '武乡县政府'],
  ['qinxian-county', '沁县政府'],
  ['qinyuan-county', '沁源县政府'],
  ['high-tech-zone', '长治高新区管委会'],
];

/** Names of every unit the demo can field, for reports. */
export const OFFICE_UNIT_NAMES: ReadonlyMap<string, string> = new Map(UNITS);

export const OFFICE_ID = 'changzhi';
export const OFFICE_NAME = '长治市人民政府办公室';
/** China Standard Time, UTC+8. */
export const OFFICE_UTC_OFFSET = 480;

export const MAYOR: Actor = { id: 'mayor', kind: 'main-leader' };
export const INSPECTION_OFFICE: Actor = { id: 'inspector-sun', kind: 'inspection-office' };

/** What kind of unit each is, for the office's record (市直部门, 区, 县, 开发区). */
export const unitKind = (unitId: string): 'department' | 'district' | 'county' | 'development-zone' =>
  unitId.endsWith('-district')
    ? 'district'
    : unitId.endsWith('-county')
      ? 'county'
      : unitId === 'high-tech-zone'
        ? 'development-zone'
        : 'department';

export interface Portfolio {
  readonly deputy: Actor;
  readonly name: string;
  readonly section: Actor;
  readonly sectionName: string;
  /** The units this deputy mayor is in charge of (分管). */
  readonly units: readonly string[];
}

/**
 * 分管: each deputy mayor is in charge of one section of the general office, which hands out and
 * supervises the tasks of their units, and of a share of the departments, districts and counties.
 */
export const PORTFOLIOS: readonly Portfolio[] = [
  {
    deputy: { id: 'vice-mayor-li', kind: 'deputy-leader' },
    name: '李副市长',
    section: { id: 'clerk-zhao', kind: 'section', unitId: 'section-1' },
    sectionName: '市政府办秘书一科',
    units: [
      'development-reform',
      'industry-it',
      'finance',
      'commerce',
      'market-regulation',
      'high-tech-zone',
      'luzhou-district',
      'shangdang-district',
    ],
  },
  {
    deputy: { id: 'vice-mayor-wang', kind: 'deputy-leader' },
    name: '王副市长',
    section: { id: 'clerk-qian', kind: 'section', unitId: 'section-2' },
    sectionName: '市政府办秘书二科',
    units: [
      'housing',
      'transport',
      'ecology',
      'emergency',
      'tunliu-district',
      'lucheng-district',
      'xiangyuan-county',
      'pingshun-county',
    ],
  },
  {
    deputy: { id: 'vice-mayor-chen', kind: 'deputy-leader' },
    name: '陈副市长',
    section: { id: 'clerk-zhou', kind: 'section', unitId: 'section-3' },
    sectionName: '市政府办秘书三科',
    units: [
      'agriculture',
      'education',
      'health',
      'licheng-county',
      'huguan-county',
      'zhangzi-county',
      'wuxiang-county',
      'qinxian-county',
      'qinyuan-county',
    ],
  },
];

/** The deputy mayor in charge of a unit, with their section. */
export const portfolioOf = (unitId: string): Portfolio => {
  const found = PORTFOLIOS.find((p) => p.units.includes(unitId));
  if (!found) throw new Error(`no deputy mayor is in charge of ${unitId}`);
  return found;
};

/** Each unit's liaison (联络员), who acts for it in the 13710 system. */
export const unitActor = (unitId: string): Actor => ({ id: `${unitId}-liaison`, kind: 'unit', unitId });

export const SOURCES: readonly TaskSource[] = [
  'central-instructions',
  'central-decisions',
  'provincial-decisions',
  'municipal-party-decisions',
  'work-report-targets',
  'government-meeting-decisions',
  'leader-instructions',
  'other',
];

export const TITLES: Readonly<Record<TaskSource, readonly string[]>> = {
  'central-instructions': [
    '贯彻总书记视察山西重要讲话精神，推进能源革命综合改革试点',
    '落实黄河流域生态保护和高质量发展重要指示，完成浊漳河治理',
    '贯彻安全生产重要指示批示精神，开展重大隐患排查整治',
  ],
  'central-decisions': [
    '落实国务院稳经济一揽子政策措施',
    '贯彻《优化营商环境条例》，压减企业开办时间',
    '落实减税降费政策，确保应享尽享',
  ],
  'provincial-decisions': [
    '落实省政府“承诺制+标准地+全代办”改革要求',
    '完成省下达的城镇老旧小区改造任务',
    '推进省级重点工程项目开工建设',
  ],
  'municipal-party-decisions': [
    '落实市委全会关于城市更新行动的部署',
    '推进市委确定的乡村振兴示范村建设',
    '落实市委常委会关于太行一号旅游公路的决定',
  ],
  'work-report-targets': [
    '完成《政府工作报告》确定的城镇新增就业目标',
    '办好政府工作报告民生实事：新建改扩建公办幼儿园',
    '实现规上工业增加值增长目标',
  ],
  'government-meeting-decisions': [
    '落实市政府常务会议关于企业开办1个工作日办结的决定',
    '落实市长办公会议关于城区停车难治理的决定',
    '落实专题会议关于冬季清洁取暖的安排',
  ],
  'leader-instructions': [
    '办理市长关于群众反映供暖不热问题的批示',
    '办理分管副市长关于农贸市场改造提升的批示',
    '办理市长关于12345热线重复投诉件的批示',
  ],
  other: [
    '做好春节期间市场保供稳价工作',
    '开展“13710”督办系统数据质量专项整治',
    '做好重要节日期间安全稳定工作',
  ],
};
