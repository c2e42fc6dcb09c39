import {
  closeSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import * as path from 'node:path';
import { inline, jsonText, terminalText } from './terminal';

/**
 * What a command may touch of the outside world: two output streams and a working directory. `run`
 * takes them as arguments, so tests drive the CLI in-process and read what it printed.
 */
export interface OutputStream {
  write(chunk: string): boolean;
  /** A terminal: progress bars are drawn only there. */
  readonly isTTY?: boolean;
  readonly columns?: number;
  /** Node streams say when a full buffer drained; capture buffers in tests need not. */
  once?(event: 'drain', listener: () => void): unknown;
  /** The first write that failed, as soon as it is known: long writers stop early. */
  readonly failure?: Error;
  /** Writes out what is buffered; rejects with an `OutputError` if any write failed. */
  finish?(): Promise<void>;
  /**
   * The output will not be complete (the command failed half-way): make it not look complete. A
   * regular file is cut back to the size it had before; a pipe gets a last line saying so.
   */
  abandon?(reason: string): string | undefined;
}

export interface CliIO {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  /** Relative paths on the command line resolve against this directory. */
  readonly cwd: string;
}

/** Exit codes: 0 all good, 1 the input or history is bad (or a check failed), 2 the command line is. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** An expected failure: printed as `duban: message` (no stack), exits with `exitCode`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failed,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export const usageError = (message: string): CliError => new CliError(message, EXIT.usage);

/** A write that did not reach its target (a full disk, a closed pipe): the output is incomplete. */
export class OutputError extends CliError {
  constructor(
    message: string,
    /** The system's error code, e.g. ENOSPC, EPIPE. */
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'OutputError';
  }
}

/** `no space left on device (ENOSPC)` from Node's `ENOSPC: no space left on device, write`. */
export const systemError = (error: unknown): string => {
  const e = error as NodeJS.ErrnoException;
  if (!(error instanceof Error)) return String(error);
  const text = e.code
    ? e.message.replace(new RegExp(`^${e.code}: `), '').replace(/, \w+( '.*')?$/, '')
    : e.message;
  return e.code ? `${text} (${e.code})` : text;
};

const failedWriting = (target: string, error: Error) =>
  new OutputError(`writing ${target} failed: ${systemError(error)}`, (error as NodeJS.ErrnoException).code);

/** Writes and waits when the stream asks to (a pipe that is full), so large exports stay in constant memory. */
export const writeAll = async (stream: OutputStream, chunk: string): Promise<void> => {
  if (stream.failure) throw stream.failure;
  if (!stream.write(chunk) && stream.once)
    await new Promise<void>((resolve) => stream.once!('drain', resolve));
  if (stream.failure) throw stream.failure;
};

/** Text for a person: control characters from the history are escaped (terminal.ts). */
export const writeText = (stream: OutputStream, text: string): Promise<void> =>
  writeAll(stream, terminalText(text));

/** A writer that gathers small pieces and passes them on in chunks, waiting when the stream asks to. */
export interface ChunkedWriter {
  write(text: string): Promise<void>;
  /** Passes on what is gathered; the writer may be used again after. */
  flush(): Promise<void>;
}

const CHUNK = 64 * 1024;

/**
 * Output that grows with the history (a 75k-row board, a CSV of every warning) written as it is
 * formatted: memory holds one chunk, not the whole text, and a slow reader (a pipe, a pager) holds
 * the writer back instead of the text piling up in the stream's buffer. `escape` is applied to each
 * chunk (`terminalText` for text a person reads; identity for JSON, CSV and HTML, which escape on their own).
 */
export const chunkedWriter = (
  stream: OutputStream,
  escape: (text: string) => string = terminalText,
): ChunkedWriter => {
  let pending: string[] = [];
  let size = 0;
  const flush = async () => {
    if (size === 0) return;
    const text = pending.join('');
    pending = [];
    size = 0;
    await writeAll(stream, escape(text));
  };
  return {
    async write(text) {
      pending.push(text);
      size += text.length;
      if (size >= CHUNK) await flush();
    },
    flush,
  };
};

export const writeLine = (stream: OutputStream, line = ''): void => {
  stream.write(`${terminalText(line)}\n`);
};

/** A value as indented JSON on its own line, safe for a terminal and still the same JSON. */
export const writeJson = (stream: OutputStream, value: unknown): void => {
  stream.write(`${jsonText(value)}\n`);
};

export const resolvePath = (io: CliIO, file: string): string => path.resolve(io.cwd, file);

/** A stream that keeps what is written, for tests and for rendering into strings. */
export const captureStream = (isTTY = false): OutputStream & { text(): string } => {
  const chunks: string[] = [];
  return {
    isTTY,
    columns: 120,
    write(chunk: string) {
      chunks.push(chunk);
      return true;
    },
    text: () => chunks.join(''),
  };
};

const FLUSH_AT = 256 * 1024;

/**
 * Output to a file descriptor with every write checked: buffered, written with `writeSync` until every
 * byte is taken (a short write is not an error yet; the next one says why), the first failure kept.
 * Node's own stdout on a file ignores short writes, so a disk that fills during the last write would
 * pass unnoticed there.
 */
const fdOutput = (
  fd: number,
  target: string,
  options: { cutBackTo?: number } = {},
): OutputStream & Required<Pick<OutputStream, 'finish' | 'abandon'>> => {
  let pending: string[] = [];
  let pendingLength = 0;
  let failure: OutputError | undefined;
  const flush = () => {
    if (failure || pendingLength === 0) return;
    const buffer = Buffer.from(pending.join(''));
    pending = [];
    pendingLength = 0;
    try {
      for (let done = 0; done < buffer.length;) done += writeSync(fd, buffer, done, buffer.length - done);
    } catch (error) {
      failure = failedWriting(target, error as Error);
    }
  };
  const cutBack = (): string | undefined => {
    if (options.cutBackTo === undefined) return undefined;
    try {
      ftruncateSync(fd, options.cutBackTo);
      return `${target} was cut back to its ${options.cutBackTo} bytes from before this command`;
    } catch (error) {
      return `${target} could not be cut back (${systemError(error)}): it holds a partial output`;
    }
  };
  return {
    isTTY: false,
    write(chunk) {
      if (failure) return true;
      pending.push(chunk);
      pendingLength += chunk.length;
      if (pendingLength >= FLUSH_AT) flush();
      return true;
    },
    get failure() {
      return failure;
    },
    finish() {
      flush();
      if (!failure) return Promise.resolve();
      const cut = cutBack();
      return Promise.reject(cut ? new OutputError(`${failure.message}; ${cut}`, failure.code) : failure);
    },
    abandon() {
      pending = [];
      pendingLength = 0;
      return cutBack();
    },
  };
};

/** A Node stream (a terminal, a pipe): errors arrive as events; a last empty write tells when all is out. */
const streamOutput = (stream: NodeJS.WriteStream, target: string): OutputStream => {
  let failure: OutputError | undefined;
  const waiting = new Set<() => void>();
  stream.on('error', (error) => {
    failure ??= failedWriting(target, error);
    for (const wake of [...waiting]) wake();
  });
  return {
    get isTTY() {
      return stream.isTTY;
    },
    get columns() {
      return stream.columns;
    },
    write: (chunk) => (failure ? true : stream.write(chunk)),
    once(_event, listener) {
      if (failure) return listener();
      // A stream that fails never drains: wake the writer on either.
      const wake = () => {
        waiting.delete(wake);
        stream.off('drain', wake);
        listener();
      };
      waiting.add(wake);
      stream.once('drain', wake);
    },
    get failure() {
      return failure;
    },
    finish: () =>
      new Promise<void>((resolve, reject) => {
        if (failure) return reject(failure);
        stream.write('', (error) => {
          if (error) failure ??= failedWriting(target, error);
          if (failure) reject(failure);
          else resolve();
        });
      }),
    abandon(reason) {
      if (failure || stream.isTTY) return undefined;
      // Whatever reads this pipe must not take a cut at a line boundary for a complete history.
      stream.write(`\n# duban: ${inline(reason)}: this output is INCOMPLETE\n`);
      return 'a last line saying the output is incomplete was written';
    },
  };
};

const sameFile = (a: number, b: number): boolean => {
  try {
    const x = fstatSync(a);
    const y = fstatSync(b);
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
};

/** Standard output with every write checked, whatever it is connected to. */
export const standardOutput = (): OutputStream => {
  if (process.stdout.isTTY) return streamOutput(process.stdout, 'standard output');
  try {
    const stat = fstatSync(1);
    if (stat.isFile())
      // Cut back on failure, unless standard error writes to the same file (2>&1): its message would
      // land past the end.
      return fdOutput(1, 'standard output', sameFile(1, 2) ? {} : { cutBackTo: stat.size });
    if (stat.isCharacterDevice() || stat.isBlockDevice()) return fdOutput(1, 'standard output');
  } catch {
    // not a descriptor we can inspect: Node's stream will do
  }
  return streamOutput(process.stdout, 'standard output');
};

/**
 * Writes a file whole or not at all: into `FILE.partial-PID` beside it, every write checked, synced to
 * disk, then renamed over FILE. On any failure the partial file is removed, FILE is left as it was, and
 * the error names the file and the system's reason.
 */
export const writeFileAtomically = async (
  target: string,
  label: string,
  produce: (out: OutputStream) => Promise<void>,
): Promise<void> => {
  const partial = `${target}.partial-${process.pid}`;
  let fd: number | undefined;
  try {
    fd = openSync(partial, 'wx');
  } catch (error) {
    throw new OutputError(
      `cannot write ${inline(label)}: ${systemError(error)}`,
      (error as NodeJS.ErrnoException).code,
    );
  }
  try {
    const out = fdOutput(fd, inline(label));
    try {
      await produce(out);
    } finally {
      await out.finish().catch(() => undefined); // the failure, if any, is out.failure
    }
    if (out.failure) throw out.failure;
    try {
      fsyncSync(fd);
      closeSync(fd);
      fd = undefined;
      renameSync(partial, target);
    } catch (error) {
      throw failedWriting(inline(label), error as Error);
    }
  } catch (error) {
    if (fd !== undefined)
      try {
        closeSync(fd);
      } catch {
        // closing a descriptor that failed to write may fail too; the file is removed below
      }
    rmSync(partial, { force: true });
    if (error instanceof OutputError)
      throw new OutputError(
        `${error.message}; nothing was written to ${inline(label)} (the partial file was removed)`,
        error.code,
      );
    throw error;
  }
};
