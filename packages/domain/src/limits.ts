/**
 * Bounds on input that costs time or memory. Every command and event codec enforces them, so a
 * hostile or broken client (or history file) is refused with the field and the limit named, before
 * anything is decided or folded. They are far above what an office needs: a task with fifty co-units
 * or a ten-thousand-character summary is already unusual.
 */
export const LIMITS = {
  /** Identifiers: letters, digits, `-`, `_`, `.`, `:`, at most this long (see `Id`). */
  idLength: 128,
  /** Command ids (idempotency keys), correlation and causation ids: printable text, at most this long. */
  commandIdLength: 256,
  /** Titles, labels, references. */
  shortTextLength: 500,
  /** Summaries, findings, opinions, reasons, requirements. */
  textLength: 10_000,
  /** Items of any list in a command or event (checklists, goals, evidence, measures, tasks named). */
  listItems: 200,
  /** Co-units of one task (协办单位). */
  coUnits: 50,
  /** Instants lie within these years (inclusive): business time of a municipal office, not geology. */
  firstYear: 2000,
  lastYear: 2099,
  /** A due time a command sets (deadline, new deadline, milestone, due-by, respond-by, interview) lies within this many days of the command. */
  horizonDays: 5 * 366,
} as const;
