import { decodePartialScoringPolicy, type ScoringPolicy } from '@duban/domain';
import { promises as fs } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { demoCommand, DEMO_DEFAULTS } from './demo';
import { explainCommand } from './explain';
import { exportCommand } from './export';
import { importCommand } from './import';
import { migrateCommand } from './migrate';
import {
  CliError,
  EXIT,
  OutputError,
  resolvePath,
  standardOutput,
  systemError,
  usageError,
  writeLine,
  type CliIO,
} from './io';
import { AS_OF_HELP } from './history';
import { parseStrictJson } from './json';
import type { UnitNames } from './labels';
import { READER_HELP } from './reader';
import { replayCommand } from './replay';
import { REPORT_FORMATS, REPORT_FORMAT_HELP, reportCommand, type ReportFormat } from './report';
import { OFFICE_UNIT_NAMES } from './simulation/office';
import { LOCATION_HELP } from './source';
import { inline, terminalText } from './terminal';
import { verifyCommand } from './verify';
import { sealCommand } from './seal';
import { proveCommand, verifyProofCommand } from './prove';
// The build inlines the version from this package's manifest (a changed manifest rebuilds dist/), so
// the binary reports the version of the package it was built and shipped in, wherever it is installed.
import { version } from '../package.json';

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
  let failure: unknown;
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    failure = error;
  }
  // What was written must reach its target, whatever happened: a full disk is a failure too.
  const output = await (io.stdout.finish?.() ?? Promise.resolve()).then(
    () => undefined,
    (error: unknown) => error,
  );
  if (failure === undefined && output === undefined) return exitCode;
  // When a write failed, the output's own report says most (what was cut back): it replaces the
  // failure the command met while writing.
  const error =
    failure instanceof OutputError && output instanceof OutputError ? output : (failure ?? output);
  if (error instanceof CommanderError) {
    // Help and version exit 0; anything commander refused is a usage error.
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if ((error as NodeJS.ErrnoException)?.code === 'EPIPE') return exitCode; // the reader went away (| head)
  if (error instanceof CliError) {
    writeLine(io.stderr, `duban: ${error.message}`);
    // The output's own failure, when the command failed for another reason first.
    if (output instanceof OutputError && output !== error) writeLine(io.stderr, `duban: ${output.message}`);
    return error.exitCode;
  }
  writeLine(io.stderr, `duban: ${error instanceof Error ? systemError(error) : String(error)}`);
  if (process.env.DUBAN_DEBUG && error instanceof Error && error.stack) writeLine(io.stderr, error.stack);
  return EXIT.failed;
};

export const processIO = (): CliIO => ({
  stdout: standardOutput(),
  stderr: process.stderr,
  cwd: process.cwd(),
});

/**
 * `verify --heads` takes the FILE of heads to check against. Alone it is a mistake for `--print-heads`;
 * before SOURCE (`verify --heads history.ndjson`) it took the history as the heads file.
 */
const headsUsage = (message: string, options: { heads?: unknown }): string | undefined => {
  if (message.includes("option '--heads <file>' argument missing"))
    return 'error: --heads needs FILE, the heads kept earlier to check against (duban verify SOURCE --heads FILE); to print the heads, use --print-heads\n';
  if (message.includes("missing required argument 'source'") && typeof options.heads === 'string')
    return `error: missing required argument 'source': --heads takes a FILE, so ${inline(options.heads)} was read as the heads to check against; write duban verify SOURCE --heads FILE, or duban verify SOURCE --print-heads to print them\n`;
  return undefined;
};

/** A repeatable option: every value, in order. */
const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

const integer = (value: string): number => {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('must be a whole number');
  return Number(value);
};

/** A JSON file named by an option, read with the same strict rules as a history line. */
const readJsonFile = async (io: CliIO, option: string, file: string): Promise<unknown> => {
  const where = `${option} ${inline(file)}`;
  let text: string;
  try {
    text = await fs.readFile(resolvePath(io, file), 'utf8');
  } catch (error) {
    throw usageError(`${where}: cannot read: ${systemError(error)}`);
  }
  const parsed = parseStrictJson(text.replace(/^\ufeff/, ''));
  if (!parsed.ok)
    throw usageError(
      `${where}: ${parsed.syntax ? `is not JSON: ${inline(parsed.message)}` : `${inline(parsed.field)}: ${parsed.message}`}`,
    );
  return parsed.value;
};

/** `--unit-names`: a JSON object of unit id → display name, kept in a Map (ids come from outside). */
const loadNames = async (io: CliIO, file: string | undefined): Promise<UnitNames> => {
  if (file === undefined) return OFFICE_UNIT_NAMES;
  const parsed = await readJsonFile(io, '--unit-names', file);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw usageError(`--unit-names ${inline(file)}: must be a JSON object of unit id → name`);
  const names = new Map<string, string>();
  for (const [unitId, name] of Object.entries(parsed)) {
    if (typeof name !== 'string')
      throw usageError(`--unit-names ${inline(file)}: ${inline(unitId)}: must be a name (a string)`);
    names.set(unitId, name);
  }
  return names;
};

/**
 * `--policy`: any part of the default scoring policy, merged onto it, every number finite and in its
 * documented range (docs/scoring-policy.md). A bad policy is refused with every field and rule, and
 * nothing is reported.
 */
const loadPolicy = async (io: CliIO, file: string | undefined): Promise<ScoringPolicy | undefined> => {
  if (file === undefined) return undefined;
  const decoded = decodePartialScoringPolicy(await readJsonFile(io, '--policy', file));
  if (decoded._tag === 'Right') return decoded.right;
  const problems = decoded.left.problems;
  throw usageError(
    `--policy ${inline(file)}: not a scoring policy (${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was reported; the ranges are in docs/scoring-policy.md)\n` +
      problems.map((p) => `  ${inline(p.path || '(root)')}: ${inline(p.message)}`).join('\n'),
  );
};

const readerOption = () => new Option('--as <actor>', READER_HELP);

const unitNamesOption = () =>
  new Option(
    '--unit-names <file>',
    "JSON object of unit id → display name (default: the demo office's names)",
  );

export const buildProgram = (io: CliIO, setExit: (code: number) => void): Command => {
  // Commander echoes what it was given (an unknown option, a bad value): escaped like any other text.
  const output = {
    writeOut: (s: string) => io.stdout.write(terminalText(s)),
    writeErr: (s: string) => io.stderr.write(terminalText(s)),
  };
  const program = new Command('duban')
    .description(
      'Duban 督办: replay, verify, report on, seal and move the history of government task supervision.\n' +
        `SOURCE and STORE are ${LOCATION_HELP}.\n` +
        'As of: every view (board, warnings, lights, grades, reports) is read at one instant: --as-of when given, ' +
        "otherwise the business time of the history's last event; never the machine's clock.",
    )
    .version(version)
    .exitOverride()
    .showHelpAfterError('(duban --help lists the commands)')
    .configureOutput(output);
  // Subcommands share the program's output and error handling.
  const command = (name: string) => program.command(name).exitOverride().configureOutput(output);

  command('demo')
    .description(
      'simulate a municipal office for a quarter (and the one before), print the ranking, warnings and flags, write history.ndjson and report.html',
    )
    .option(
      '--store <url>',
      'store to run on: memory:, esdb://… or postgres://… (migrated first: duban migrate)',
      DEMO_DEFAULTS.store,
    )
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
    .option('--task <id>', 'one task, by id or stream id: its audit timeline')
    .option('--as-of <instant>', AS_OF_HELP)
    .addOption(
      new Option(
        '--format <format>',
        'output: table; json; csv (the board, one row per task, for spreadsheets: what a board of thousands of tasks reads best as)',
      )
        .choices(['table', 'json', 'csv'])
        .default('table'),
    )
    .addOption(readerOption())
    .addOption(unitNamesOption())
    .action(
      async (
        source: string,
        o: {
          task?: string;
          asOf?: string;
          format: 'table' | 'json' | 'csv';
          unitNames?: string;
          as?: string;
        },
      ) => {
        setExit(await replayCommand(io, source, { ...o, names: await loadNames(io, o.unitNames) }));
      },
    );

  const verify = command('verify')
    .description(
      'check every hash chain and read every event; exit 0 when intact, 1 naming the first broken stream, revision and problem; with --seal, that the history is the one sealed',
    )
    .argument('<source>', 'history to verify')
    .option('--json', 'machine-readable result')
    .option(
      '--print-heads',
      "print each stream's last revision and hash as TSV on stdout (the verdict goes to stderr), to keep elsewhere",
    )
    .option('--heads <file>', 'heads kept earlier (--print-heads): check the history against them')
    .option(
      '--seal <file>',
      'a seal (duban seal): the first events must be exactly those sealed, the rest appended; twice: the newer seal must extend the older',
      collect,
    )
    .option(
      '--pubkey <file>',
      "the office's Ed25519 public key (PEM or JWK) the seal is checked with",
      collect,
    )
    .option('--limit <n>', 'problems to list', integer, 20)
    .action(
      async (
        source: string,
        o: {
          json?: boolean;
          heads?: string;
          printHeads?: boolean;
          seal?: string[];
          pubkey?: string[];
          limit: number;
        },
      ) => {
        setExit(await verifyCommand(io, source, o));
      },
    );
  // `--heads` once printed the heads when given alone; the two ways that reads wrong now are named.
  verify.configureOutput({
    ...output,
    outputError: (message, write) => write(terminalText(headsUsage(message, verify.opts()) ?? message)),
  });

  command('seal')
    .description(
      "sign the Merkle tree of the whole history with the office's Ed25519 key; on a store, record the seal on the office's stream",
    )
    .argument('<store>', 'history to seal (a store, or a file: then the seal is only written out)')
    .requiredOption('--key <file>', "the office's Ed25519 private key (PEM or JWK); never written anywhere")
    .option(
      '--out <file>',
      'write the seal here (and its index beside it: SEAL.json, SEAL.index.json) instead of stdout',
    )
    .option(
      '--office <id>',
      'the office the history belongs to (default: the office on record in the history)',
    )
    .option('--actor <kind:id>', 'who records the seal on a store: inspection-office:ID or main-leader:ID')
    .option(
      '--actor-key <file>',
      "the --actor's own Ed25519 private key (PEM or JWK), if they have a signing key on the office's record: signs the command that records the seal",
    )
    .option('--at <instant>', "when the seal is made (default: this machine's clock)")
    .option('--limit <n>', 'problems to list when the history does not verify', integer, 20)
    .action(
      async (
        store: string,
        o: {
          key: string;
          out?: string;
          office?: string;
          actor?: string;
          actorKey?: string;
          at?: string;
          limit: number;
        },
      ) => {
        setExit(await sealCommand(io, store, o));
      },
    );

  command('prove')
    .description(
      "write an inclusion proof, checkable alone, of one task's events (or of a unit's tasks and its own stream) as sealed",
    )
    .argument('<source>', 'the sealed history')
    .option('--task <id>', 'one task, by id or stream id')
    .option('--unit <id>', "every task the unit leads or co-operates on, and the unit's own stream")
    .requiredOption('--seal <file>', 'the seal the proof is made against')
    .option('--pubkey <file>', "check the seal's signature first with this public key")
    .option('--out <file>', 'write the proof here instead of stdout')
    .option('--limit <n>', 'problems to list when the history does not verify', integer, 20)
    .action(
      async (
        source: string,
        o: { task?: string; unit?: string; seal: string; pubkey?: string; out?: string; limit: number },
      ) => {
        setExit(await proveCommand(io, source, o));
      },
    );

  command('verify-proof')
    .description(
      "check an inclusion proof (duban prove) with the office's public key alone, without the history",
    )
    .argument('<proof>', 'the proof file')
    .option('--pubkey <file>', "the office's Ed25519 public key (PEM or JWK)", collect)
    .option('--json', 'machine-readable result')
    .option('--limit <n>', 'problems to list', integer, 20)
    .action(async (proof: string, o: { pubkey?: string[]; json?: boolean; limit: number }) => {
      setExit(await verifyProofCommand(io, proof, { ...o, pubkey: o.pubkey ?? [] }));
    });

  command('report')
    .description(
      'quarterly scorecard and ranking (通报) with every score explained, warnings and accountability flags',
    )
    .argument('<source>', 'history to read')
    .option(
      '--quarter <quarter>',
      'e.g. 2022Q1 (default: the last quarter with a closure); a quarter that begins after the history ends is refused',
    )
    .option(
      '--year <year>',
      "the year's evaluation (年度评价) instead: each unit's mean of its published quarterly scores, its band, and to whom it was sent",
    )
    .option(
      '--project <id>',
      "a major special project's staged 通报 (重大专项按实施阶段排队) instead: its lead units by stage reached and work-plan milestones met",
    )
    .addOption(
      new Option('--format <format>', REPORT_FORMAT_HELP).choices([...REPORT_FORMATS]).default('table'),
    )
    .option('--out <file>', 'write to this file (whole or not at all) instead of stdout')
    .option('--as-of <instant>', AS_OF_HELP)
    .option(
      '--policy <file>',
      'JSON scoring policy: any part of the default, e.g. {"deductions":{"lateClosure":5}}; every number in its range (docs/scoring-policy.md)',
    )
    .addOption(readerOption())
    .addOption(unitNamesOption())
    .action(
      async (
        source: string,
        o: {
          quarter?: string;
          year?: string;
          project?: string;
          as?: string;
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
    .argument('<task>', 'task id (DB2022-009) or its stream id (task-DB2022-009)')
    .option('--as-of <instant>', AS_OF_HELP)
    .addOption(new Option('--format <format>', 'output').choices(['table', 'json']).default('table'))
    .addOption(readerOption())
    .addOption(unitNamesOption())
    .action(
      async (
        source: string,
        task: string,
        o: { asOf?: string; format: 'table' | 'json'; unitNames?: string; as?: string },
      ) => {
        setExit(await explainCommand(io, source, task, { ...o, names: await loadNames(io, o.unitNames) }));
      },
    );

  command('export')
    .description(
      'write every event of a store as NDJSON, one envelope per line with its hashes (stdout unless --out)',
    )
    .argument('<store>', 'store (or file) to read')
    .option(
      '--out <file>',
      'write to this file, whole or not at all, instead of stdout (a failed export to stdout exits 1 and leaves no output that looks complete)',
    )
    .action(async (store: string, o: { out?: string }) => {
      setExit(await exportCommand(io, store, o));
    });

  command('import')
    .description(
      'load an NDJSON history into a store, all or nothing: every line decoded and every chain verified before anything is written',
    )
    .argument('<file>', 'NDJSON history')
    .argument('<store>', 'memory: (a dry run), esdb://… or postgres://… (migrated first: duban migrate)')
    .option('--skip-invalid', 'import the valid streams, leave out the invalid ones and report them')
    .option('--limit <n>', 'problems to list', integer, 20)
    .action(async (file: string, store: string, o: { skipInvalid?: boolean; limit: number }) => {
      setExit(await importCommand(io, file, store, o));
    });

  command('migrate')
    .description(
      "create or upgrade a PostgreSQL store's schema (each migration in its own transaction; safe to run again); --print writes the SQL for a DBA instead",
    )
    .argument('<store>', 'postgres://user:password@host:5432/db, ?schema=NAME for another schema than duban')
    .option('--print', 'print the migrations as one SQL script (psql -1 -f) and connect to nothing')
    .action(async (store: string, o: { print?: boolean }) => {
      setExit(await migrateCommand(io, store, o));
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
