/**
 * @duban/cli — the `duban` command line for auditors and operators: demo, replay, verify, report,
 * explain, export, import, migrate. `run(argv, io)` runs it in-process; the rest is exported for embedding
 * (reading and checking NDJSON histories, the HTML report, the office simulation).
 */
export { run, main, buildProgram } from './main';
export { captureStream, CliError, EXIT, type CliIO, type OutputStream } from './io';
export { createHistoryChecker, formatProblem, type Problem, type CheckedEvent } from './checked';
export { readLines, MAX_LINE_BYTES } from './ndjson';
export { openSource, parseLocation, type HistorySource, type Location } from './source';
export type { PostgresLocation } from './postgres';
export { loadHistory, type LoadedHistory } from './history';
export {
  buildReport,
  buildAnnualReport,
  buildProjectReport,
  projectsOf,
  type ProjectReport,
  type ReportData,
  type QuarterReport,
  type RulesSource,
  type AnnualReport,
} from './reporting';
export { renderHtmlReport } from './html-report';
export { reportCsv, reportJson, reportTable, annualText, annualCsv, projectText, projectCsv } from './report';
export { parseReader, READER_HELP } from './reader';
export { envelopeLine } from './export';
export { simulateOffice, type SimulationOptions, type SimulationResult } from './simulation/simulate';
export { OFFICE_UNIT_NAMES } from './simulation/office';
export { createRandom } from './simulation/prng';
