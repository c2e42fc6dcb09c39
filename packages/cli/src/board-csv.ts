import type { DomainContext } from '@duban/domain';
import type { TaskCard } from '@duban/engine';
import { writeCsv } from './csv';
import type { OutputStream } from './io';
import { localDate } from './labels';
import type { UnitNames } from './labels';

const HEADER = [
  'task',
  'key',
  'title',
  'status',
  'lead_unit',
  'lead_unit_name',
  'co_units',
  'deadline',
  'original_deadline',
  'light',
  'percent_complete',
  'urges',
  'final_grade',
  'suggested_grade',
  'closed_at',
];

/**
 * `duban replay --format csv`: the board one row per task, for a spreadsheet (UTF-8 with a BOM, CRLF
 * rows, as the report's CSV). What a board of a province reads best as: a boxed table of 750k tasks
 * is millions of lines. Dates are the office's local dates, instants as recorded.
 */
export const writeBoardCsv = (
  stream: OutputStream,
  board: Iterable<TaskCard>,
  names: UnitNames,
  ctx: DomainContext,
): Promise<void> => writeCsv(stream, HEADER, boardRows(board, names, ctx));

function* boardRows(board: Iterable<TaskCard>, names: UnitNames, ctx: DomainContext) {
  for (const c of board)
    yield [
      c.taskId,
      c.key ? 'yes' : '',
      c.title,
      c.status,
      c.leadUnit,
      names.get(c.leadUnit) ?? '',
      c.coUnits.join(' '),
      localDate(c.deadline, ctx),
      localDate(c.originalDeadline, ctx),
      c.light === 'none' ? '' : c.light,
      c.percentComplete,
      c.urges,
      c.finalGrade ?? '',
      c.suggestedGrade,
      c.closedAt ?? '',
    ];
}
