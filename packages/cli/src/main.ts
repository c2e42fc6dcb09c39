import { promises as fs } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { demoCommand, DEMO_DEFAULTS } from './demo';
import { explainCommand } from './explain';
import { exportCommand } from './export';
import { importCommand } from './import';
import { CliError, EXIT, resolvePath, usageError, writeLine, type CliIO } from './io';
import { DEFAULT_SCORING_POLICY, type ScoringPolicy } from '@duban/engine';
import type { UnitNames } from './labels';
import { replayCommand } from './replay';
import { REPORT_FORMATS, reportCommand, type ReportFormat } from './report';
import { OFFICE_UNIT_NAMES } from './simulation/office';
import { LOCATION_HELP } from './source';
import { verifyCommand } from './verify';

/**
 * The `duban` command line. `run(argv, io)` parses `argv` (without `node` and the script), runs one
 * command against `io` and resolves to the exit code; it never calls `process.exit`, so tests run it
 * in-process. `main()` is what bin/duban.js calls.
 */
export const run = async (argv: readonly string[], io: CliIO = processIO()): Promise<number> => {
  let exitCode: number = EXIT.ok;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; anything commander refused is a usage error.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof CliError) {
      writeLine(io.stderr, `duban: ${error.message}`);
      return error.exitCode;
    }
    if ((error as NodeJS.ErrnoException)?.code === 'EPIPE') return exitCode; // the reader went away (| head)
    writeLine(io.stderr, `duban: ${error instanceof Error ? error.message : String(error)}`);
    if (process.env.DUBAN_DEBUG && error instanceof Error && error.stack) writeLine(io.stderr, error.stack);
    return EXIT.failed;
  }
};

export const processIO = (): CliIO => ({
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
});

const integer = (value: string): number => {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('must be a whole number');
  return Number(value);
};

const loadNames = async (io: CliIO, file: string | undefined): Promise<UnitNames> => {
  if (file === undefined) return OFFICE_UNIT_NAMES;
  let parsed: unknown;
  try {
    parsed = JSON.parse(await fs.readFile(resolvePath(io, file), 'utf8'));
  } catch (error) {
    throw usageError(`--unit-names ${file}: ${(error as Error).message}`);
  }
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    Array.isArray(parsed) ||
    Object.values(parsed).some((v) => typeof v !== 'string')
  )
    throw usageError(`--unit-names ${file}: must be a JSON object of unit id → name`);
  return parsed as UnitNames;
};

/** A scoring policy file: any part of DEFAULT_SCORING_POLICY, merged onto it (numbers only). */
const loadPolicy = async (io: CliIO, file: string | undefined): Promise<ScoringPolicy | undefined> => {
  if (file === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(await fs.readFile(resolvePath(io, file), 'utf8'));
  } catch (error) {
    throw usageError(`--policy ${file}: ${(error as Error).message}`);
  }
  const merge = (base: unknown, over: unknown, at: string): unknown => {
    if (typeof base === 'number') {
      if (typeof over !== 'number' || !Number.isFinite(over))
        throw usageError(`--policy ${file}: ${at} must be a number`);
      return over;
    }
    if (typeof over !== 'object' || over === null || Array.isArray(over))
      throw usageError(`--policy ${file}: ${at || '(root)'} must be an object`);
    const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
    for (const [key, value] of Object.entries(over)) {
      if (!(key in out))
        throw usageError(`--policy ${file}: ${at ? `${at}.` : ''}${key} is not part of a scoring policy`);
      out[key] = merge(out[key], value, at ? `${at}.${key}` : key);
    }
    return out;
  };
  return merge(DEFAULT_SCORING_POLICY, parsed, '') as ScoringPolicy;
};

const unitNamesOption = () =>
  new Option(
    '--unit-names <file>',
    "JSON object of unit id → display name (default: the demo office's names)",
  );

export const buildProgram = (io: CliIO, setExit: (code: number) => void): Command => {
  const program = new Command('duban')
    .description(
      'Duban 督办: replay, verify, report on and move the history of government task supervision.\n' +
        `SOURCE and STORE are ${LOCATION_HELP}.`,
    )
    .version('0.1.0')
    .exitOverride()
    .showHelpAfterError('(duban --help lists the commands)')
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });
  // Subcommands share the program's output and error handling.
  const command = (name: string) =>
    program
      .command(name)
      .exitOverride()
      .configureOutput({
        writeOut: (s) => io.stdout.write(s),
        writeErr: (s) => io.stderr.write(s),
      });

  command('demo')
    .description(
      'simulate a municipal office for a quarter (and the one before), print the ranking, warnings and flags, write history.ndjson and report.html',
    )
    .option('--store <url>', 'store to run on: memory: or esdb://…', DEMO_DEFAULTS.store)
    .option('--units <n>', 'units (departments and counties), 2 to 25', integer, DEMO_DEFAULTS.units)
    .option('--tasks <n>', 'tasks assigned per quarter', integer, DEMO_DEFAULTS.tasks)
    .option('--seed <s>', 'seed: the same seed gives the same history', DEMO_DEFAULTS.seed)
    .option('--quarters <n>', 'quarters simulated, ending with --until', integer, DEMO_DEFAULTS.quarters)
    .option('--until <quarter>', 'the last quarter simulated: the one ranked', DEMO_DEFAULTS.until)
    .option('--out <dir>', 'directory for history.ndjson and report.html', DEMO_DEFAULTS.out)
    .action(
      async (o: {
        store: string;
        units: number;
        tasks: number;
        seed: string;
        quarters: number;
        until: string;
        out: string;
      }) => {
        setExit(await demoCommand(io, o));
      },
    );

  command('replay')
    .description(
      "fold the history again: the task board, or with --task one task's audit timeline (who, when, what, state after)",
    )
    .argument('<source>', 'history to read')
    .option('--task <id>', 'one task: its audit timeline')
    .option(
      '--as-of <instant>',
      'business time to stop at: ISO-8601 with zone, or a date (end of that day, UTC+8)',
    )
    .addOption(new Option('--format <format>', 'output').choices(['table', 'json']).default('table'))
    .addOption(unitNamesOption())
    .action(
      async (
        source: string,
        o: { task?: string; asOf?: string; format: 'table' | 'json'; unitNames?: string },
      ) => {
        setExit(await replayCommand(io, source, { ...o, names: await loadNames(io, o.unitNames) }));
      },
    );

  command('verify')
    .description(
      'check every hash chain and read every event; exit 0 when intact, 1 naming the first broken stream, revision and problem',
    )
    .argument('<source>', 'history to verify')
    .option('--json', 'machine-readable result')
    .option(
      '--heads',
      "also print each stream's last revision and hash (to compare with a copy kept elsewhere)",
    )
    .option('--limit <n>', 'problems to list', integer, 20)
    .action(async (source: string, o: { json?: boolean; heads?: boolean; limit: number }) => {
      setExit(await verifyCommand(io, source, o));
    });

  command('report')
    .description(
      'quarterly scorecard and ranking (通报) with every score explained, warnings and accountability flags',
    )
    .argument('<source>', 'history to read')
    .option('--quarter <quarter>', 'e.g. 2022Q1 (default: the last quarter with a closure)')
    .addOption(new Option('--format <format>', 'output').choices([...REPORT_FORMATS]).default('table'))
    .option('--out <file>', 'write to a file instead of stdout')
    .option('--as-of <instant>', 'read the history up to this business time')
    .option(
      '--policy <file>',
      'JSON scoring policy: any part of the default, e.g. {"deductions":{"lateClosure":5}}',
    )
    .addOption(unitNamesOption())
    .action(
      async (
        source: string,
        o: {
          quarter?: string;
          format: ReportFormat;
          out?: string;
          asOf?: string;
          unitNames?: string;
          policy?: string;
        },
      ) => {
        const { policy: policyFile, ...rest } = o;
        const policy = await loadPolicy(io, policyFile);
        setExit(
          await reportCommand(io, source, {
            ...rest,
            names: await loadNames(io, o.unitNames),
            ...(policy ? { policy } : {}),
          }),
        );
      },
    );

  command('explain')
    .description(
      "one task's suggested and final grade, each reason with the events behind it, its time limits and its score lines",
    )
    .argument('<source>', 'history to read')
    .argument('<task>', 'task id (stream task-<id>)')
    .option('--as-of <instant>', 'read the history up to this business time')
    .addOption(new Option('--format <format>', 'output').choices(['table', 'json']).default('table'))
    .addOption(unitNamesOption())
    .action(
      async (
        source: string,
        task: string,
        o: { asOf?: string; format: 'table' | 'json'; unitNames?: string },
      ) => {
        setExit(await explainCommand(io, source, task, { ...o, names: await loadNames(io, o.unitNames) }));
      },
    );

  command('export')
    .description(
      'write every event of a store as NDJSON, one envelope per line with its hashes (stdout unless --out)',
    )
    .argument('<store>', 'store (or file) to read')
    .option('--out <file>', 'write to this file (atomically) instead of stdout')
    .action(async (store: string, o: { out?: string }) => {
      setExit(await exportCommand(io, store, o));
    });

  command('import')
    .description(
      'load an NDJSON history into a store, all or nothing: every line decoded and every chain verified before anything is written',
    )
    .argument('<file>', 'NDJSON history')
    .argument('<store>', 'memory: (a dry run) or esdb://…')
    .option('--skip-invalid', 'import the valid streams, leave out the invalid ones and report them')
    .option('--limit <n>', 'problems to list', integer, 20)
    .action(async (file: string, store: string, o: { skipInvalid?: boolean; limit: number }) => {
      setExit(await importCommand(io, file, store, o));
    });

  return program;
};

/** Entry point of bin/duban.js. */
export const main = (): void => {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
  run(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`duban: ${String(error)}\n`);
      process.exitCode = EXIT.failed;
    },
  );
};
