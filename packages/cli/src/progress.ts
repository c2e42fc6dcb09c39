import { Presets, SingleBar } from 'cli-progress';
import type { OutputStream } from './io';

/**
 * A progress bar (cli-progress) drawn on stderr when it is a terminal, and not at all when it is
 * piped or redirected, so logs, CI output and tests stay clean. Over a history file it shows the bytes
 * read of the file's size and, when the caller counts them, the events read and their rate: a
 * province's 10M events take minutes, and a bar that only moves says nothing of how many.
 */
export interface Progress {
  /** `value` of the total (bytes, days); `events`: the records read so far, when counted. */
  update(value: number, events?: number): void;
  /** Done: with `events`, the last drawing shows them all (the file read whole). */
  stop(events?: number): void;
}

const NONE: Progress = { update: () => undefined, stop: () => undefined };

/** 950, 31.5k, 1.2M: a count that stays short as it grows. */
export const shortCount = (n: number): string =>
  n < 1_000
    ? String(Math.round(n))
    : n < 1_000_000
      ? `${(n / 1_000).toFixed(1)}k`
      : `${(n / 1_000_000).toFixed(1)}M`;

/** `unit: 'bytes'` counts bytes and shows KiB; otherwise values are shown as they are, e.g. days. */
export const progressBar = (
  stream: OutputStream,
  label: string,
  total: number | undefined,
  unit: 'bytes' | string = 'bytes',
  clock: () => number = Date.now,
): Progress => {
  if (!stream.isTTY || total === undefined || total === 0) return NONE;
  const scale = unit === 'bytes' ? (n: number) => Math.ceil(n / 1024) : (n: number) => n;
  const bar = new SingleBar(
    {
      stream: stream as unknown as NodeJS.WritableStream,
      format: `${label} {bar} {percentage}% | {value}/{total} ${unit === 'bytes' ? 'KiB' : unit}{events}`,
      hideCursor: true,
      clearOnComplete: true,
    },
    Presets.shades_classic,
  );
  const started = clock();
  bar.start(scale(total), 0, { events: '' });
  let running = true;
  const update = (value: number, events?: number) => {
    if (!running) return;
    const seconds = (clock() - started) / 1000;
    const payload =
      events === undefined
        ? { events: '' }
        : {
            events: ` | ${events.toLocaleString('en')} events${seconds > 0 ? `, ${shortCount(events / seconds)} events/s` : ''}`,
          };
    bar.update(Math.min(scale(value), scale(total)), payload);
  };
  return {
    update,
    stop: (events) => {
      if (events !== undefined) update(total, events);
      if (running) bar.stop();
      running = false;
    },
  };
};
