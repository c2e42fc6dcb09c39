import { Presets, SingleBar } from 'cli-progress';
import type { OutputStream } from './io';

/**
 * A progress bar (cli-progress) drawn on stderr when it is a terminal, and not at all when it is
 * piped or redirected, so logs and CI output stay clean.
 */
export interface Progress {
  update(value: number): void;
  stop(): void;
}

const NONE: Progress = { update: () => undefined, stop: () => undefined };

/** `unit: 'bytes'` counts bytes and shows KiB; otherwise values are shown as they are, e.g. days. */
export const progressBar = (
  stream: OutputStream,
  label: string,
  total: number | undefined,
  unit: 'bytes' | string = 'bytes',
): Progress => {
  if (!stream.isTTY || total === undefined || total === 0) return NONE;
  const scale = unit === 'bytes' ? (n: number) => Math.ceil(n / 1024) : (n: number) => n;
  const bar = new SingleBar(
    {
      stream: stream as unknown as NodeJS.WritableStream,
      format: `${label} {bar} {percentage}% | {value}/{total} ${unit === 'bytes' ? 'KiB' : unit}`,
      hideCursor: true,
      clearOnComplete: true,
    },
    Presets.shades_classic,
  );
  bar.start(scale(total), 0);
  let running = true;
  return {
    update: (value) => {
      if (running) bar.update(Math.min(scale(value), scale(total)));
    },
    stop: () => {
      if (running) bar.stop();
      running = false;
    },
  };
};
