import { createHash } from 'node:crypto';
import { isLeft } from 'fp-ts/Either';
import { createEngine, createInMemoryEventStore, verifyStream, type CommandMeta } from '@duban/engine';

/**
 * Four commands of one task, written out literally, and what the engine committed for them when this
 * test was written: command digests, event ids, chain hashes, and the stored JSON (key order included).
 * Any change to how the engine serialises, digests or hashes, however fast, must leave these alone, or
 * histories and seals already written would stop verifying and retried appends stop deduplicating.
 */
const COMMANDS: ReadonlyArray<{ type: string; data: unknown; meta: CommandMeta }> = [
  {
    type: 'AssignTask',
    meta: {
      commandId: 'cmd-T-000012-00',
      actor: { id: 'clerk-7', kind: 'section', unitId: 'section-7' },
      at: '2022-01-04T09:20:00.000+08:00',
    },
    data: {
      taskId: 'T-000012',
      title: '落实减税降费政策，确保应享尽享（T-000012）',
      source: 'central-decisions',
      leadUnit: 'unit-035',
      coUnits: ['unit-044'],
      coUnitDuties: [{ unitId: 'unit-044', duty: '配合做好相关工作，按时报送配合情况' }],
      deadline: '2022-02-02T17:00:00.000+08:00',
      approval: { ref: 'CZ-GOV-2022-012', by: 'vice-mayor-3' },
      origin: { kind: 'deputy-leader', leaderId: 'vice-mayor-3' },
      sectionId: 'section-7',
      requirements: '按时保质完成，每周五反馈进展',
    },
  },
  {
    type: 'AcceptTask',
    meta: {
      commandId: 'cmd-T-000012-01',
      correlationId: 'corr-1',
      causationId: 'cause-1',
      actor: { id: 'head-unit-035', kind: 'unit', unitId: 'unit-035' },
      at: '2022-01-04T09:49:00.000+08:00',
    },
    data: { taskId: 'T-000012', deployment: '党组会研究部署，成立工作专班' },
  },
  {
    type: 'SubmitWorkPlan',
    meta: {
      commandId: 'cmd-T-000012-02',
      actor: { id: 'head-unit-035', kind: 'unit', unitId: 'unit-035' },
      at: '2022-01-05T14:46:00.000+08:00',
    },
    data: {
      taskId: 'T-000012',
      checklist: [
        { task: '制定实施方案', responsible: '分管副局长', measures: '专班推进、周调度', result: '按期完成' },
        { task: '组织实施', responsible: '业务科室', measures: '挂图作战', result: '群众满意' },
      ],
      matrix: {
        goals: [{ goal: '按期办结', indicator: '完成率', target: 100, unit: '%' }],
        initiatives: ['周调度', '现场督导'],
        policies: ['督办工作制度'],
      },
      milestones: [],
    },
  },
  {
    type: 'IssueWarning',
    meta: {
      commandId: 'cmd-T-000012-03',
      actor: { id: 'clerk-7', kind: 'section', unitId: 'section-7' },
      at: '2022-01-05T15:54:00.000+08:00',
    },
    data: { taskId: 'T-000012', level: 'yellow', reason: '进度明显滞后于工作方案' },
  },
];

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe('the bytes the engine commits (pinned)', () => {
  it('gives the same digests, ids, hashes and stored JSON as when the chain was first written', async () => {
    const engine = createEngine({ store: createInMemoryEventStore() });
    for (const c of COMMANDS) {
      const result = await engine.execute({ type: c.type, data: c.data }, c.meta);
      if (isLeft(result)) throw new Error(`${c.type} refused: ${result.left.message}`);
    }
    const events = await engine.readStream('task-T-000012');
    expect(verifyStream(events).ok).toBe(true);
    expect(
      events.map((e) => [e.type, e.metadata.commandDigest, e.metadata.eventId, e.metadata.hash]),
    ).toEqual(PINNED);
    // The stored form, key order included (the store gives back what it keeps).
    const stored = [];
    for await (const r of engine.store.readStream('task-T-000012'))
      stored.push(`${r.eventId} ${r.type} ${JSON.stringify(r.data)} ${JSON.stringify(r.metadata)}`);
    expect(sha256(stored.join('\n'))).toBe(STORED_SHA256);
  });
});

const PINNED = [
  [
    'TaskAssigned',
    'acf3eb386605eb9854a69da2286ef5c83a7694b527b25dce139e6c9c5a952327',
    '27ad5630-5aeb-5224-85b2-fdedf7270a93',
    'de57f19015a2e644faa659344a00bad66072ef89d401c74c59e161de0007621b',
  ],
  [
    'TaskAccepted',
    '6051b31e07b1c3ed9bb4e40ea9fb90771cfe51ecbab678ed7a7240e30fc7ff67',
    'e8354a41-d867-5351-bfd0-44f198391ebc',
    'd9c58292458a32d395a2e9d0f5757c6be9a382ed8f694cfb69bed9b7912cdc2e',
  ],
  [
    'WorkPlanSubmitted',
    '51941bc1c1fcf6fb96b54edab3dbf6760e0cbe843911c79bd16ccf8382941a82',
    '4fa19043-7553-5888-b33b-93e84db10045',
    'a8ec8e0945f859b1aa2baa6892d8f8ff21b20ac9a6e5f4293000c7542f240f37',
  ],
  [
    'WarningIssued',
    'fe59927215eecb422cfa586ca572ff21c2bfa220ea8cd4f3497182a33ebd3e61',
    'db39da48-28d3-5029-b53c-cb58d87a8ea6',
    '43060525a5ef422656d5777fd96d45081552503dca5ad90ee7d61f6a7f20e94b',
  ],
];
const STORED_SHA256 = 'a80fb6b91390d456b113ac020d3e0d44fa6b0f2c2010f09002e5cbd469dd45ef';
