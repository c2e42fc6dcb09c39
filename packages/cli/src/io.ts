import * as path from 'node:path';

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

/** Writes and waits when the stream asks to (a pipe that is full), so large exports stay in constant memory. */
export const writeAll = async (stream: OutputStream, chunk: string): Promise<void> => {
  if (stream.write(chunk) || !stream.once) return;
  await new Promise<void>((resolve) => stream.once!('drain', resolve));
};

export const writeLine = (stream: OutputStream, line = ''): void => {
  stream.write(`${line}\n`);
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
