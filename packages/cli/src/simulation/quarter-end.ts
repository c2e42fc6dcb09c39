import { scoringPolicyFor } from '@duban/domain';
import { accountabilityFlags } from '@duban/engine';
import { INSPECTION_OFFICE, MAYOR, OFFICE_ID } from './office';
import { act, type Action, type Runner } from './run';

/**
 * 按季度通报, once the quarter has ended (the first working morning after it, 08:00): the inspection
 * office publishes the quarter's ranking with the mayor's approval — the engine freezes it as the
 * history scores it, under the office's scoring policy for the quarter — then the mayor commends the
 * unit ranked first and criticises the last when it scored below "basic". After the last quarter
 * simulated, the units the accountability rules flag for referral are referred, with the evidence.
 * When the quarter closes a year, the year's evaluation (年度评价) is published and sent to the
 * organisation and personnel department (组织人事部门) and the party's assessment office (市委考核部门).
 */
export const endQuarter = async (
  run: Runner,
  options: {
    readonly quarter: string;
    /** The instant `seconds` after midnight of the day it is done on. */
    readonly at: (seconds: number) => string;
    /** The last quarter simulated: referrals follow its 通报. */
    readonly last: boolean;
    /** Which of the simulated quarters it is (numbers the accountability document). */
    readonly index: number;
  },
): Promise<void> => {
  const { quarter } = options;
  const year = Number(quarter.slice(0, 4));
  const approval = (what: string) => ({ ref: `市长审签${what}`, by: MAYOR.id });
  await run.runPhase(options.at, 8 * 3600, [
    act((i) =>
      run.exec(
        'PublishQuarterlyRanking',
        { officeId: OFFICE_ID, quarter, approval: approval(`${quarter}抓落实情况通报`) },
        INSPECTION_OFFICE,
        i,
      ),
    ),
  ]);

  const published = run.model.office.rankings[quarter];
  const ranked = [...(published?.units ?? [])].sort((a, b) => a.rank - b.rank);
  const { policy } = scoringPolicyFor(run.model.office, quarter);
  const actions: Action[] = [];
  const top = ranked[0];
  const bottom = ranked.length > 1 ? ranked.at(-1) : undefined;
  if (top)
    actions.push(
      act((i) =>
        run.exec(
          'PublishCommendation',
          {
            unitId: top.unitId,
            commendationId: `TB-${quarter}`,
            reason: `${quarter}抓落实评分排名第一，予以通报表扬`,
          },
          MAYOR,
          i,
        ),
      ),
    );
  if (bottom && bottom.score < policy.gradePoints.basic)
    actions.push(
      act((i) =>
        run.exec(
          'PublishCriticism',
          {
            unitId: bottom.unitId,
            criticismId: `TP-${quarter}`,
            reason: `${quarter}抓落实评分排名末位、落实不力，予以通报批评`,
          },
          MAYOR,
          i,
        ),
      ),
    );
  if (options.last) {
    const ctx = run.ctxAt(options.at(8 * 3600 + 600));
    for (const flag of accountabilityFlags(run.model, quarter, policy, ctx).filter(
      (f) => f.action === 'referral',
    ))
      actions.push(
        act((i) =>
          run.exec(
            'ReferToDiscipline',
            {
              unitId: flag.unitId,
              referralId: `YJ-${quarter}-${flag.reason}`,
              to: 'discipline-inspection',
              reason: flag.text,
              approval: { ref: `长政办字〔${year}〕问责${options.index + 1}号`, by: MAYOR.id },
              // Every flag names its evidence: the 通报, the interviews, the graded events, the missed deadlines.
              evidence: flag.evidence.map((e) => ({
                streamId: e.streamId,
                revision: e.revision,
                type: e.type,
              })),
            },
            MAYOR,
            i,
          ),
        ),
      );
  }
  await run.runPhase(options.at, 8 * 3600 + 600, actions);

  if (!quarter.endsWith('Q4')) return;
  await run.runPhase(options.at, 8 * 3600 + 1200, [
    act((i) =>
      run.exec(
        'PublishAnnualEvaluation',
        { officeId: OFFICE_ID, year, approval: approval(`${year}年度抓落实工作评价`) },
        INSPECTION_OFFICE,
        i,
      ),
    ),
  ]);
  await run.runPhase(
    options.at,
    8 * 3600 + 1500,
    (['organization-personnel', 'party-assessment'] as const).map((recipient, k) =>
      act((i) =>
        run.exec(
          'RecordAnnualResultsSent',
          { officeId: OFFICE_ID, year, recipient, reference: `长政办函〔${year + 1}〕${k + 1}号` },
          INSPECTION_OFFICE,
          i,
        ),
      ),
    ),
  );
};
