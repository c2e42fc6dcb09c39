/**
 * The server's single writer. EventStoreDB commits appends one after another (one writer, each write
 * flushed to disk before it is acknowledged); a delay per append models that flush, so a test can load the
 * server until it is the bottleneck and watch how a client copes. Appends wait their turn in arrival
 * order. Without a delay, each is written as soon as it is complete, in the same turn.
 *
 * It also keeps count of the appends in flight (received, not yet answered) and of the most there ever
 * were at once, which is how a test sees a client's bound on concurrent appends.
 */
export interface Writer {
  /** Writes in turn, then answers. */
  submit<T>(write: () => T, answer: (result: T) => void): void;
  /** An append began to arrive; the returned function marks it answered (once, whatever the path). */
  begin(): () => void;
  inFlight(): number;
  maxInFlight(): number;
  /** Drops appends still waiting for the writer (the server is going away). */
  stop(): void;
}

export const createWriter = (delayMs: number): Writer => {
  // Each append is committed `delayMs` after the one before it (or after it arrived, when the writer was
  // idle). Commit times are kept on the clock, not counted in timer callbacks: when this process is busy
  // and a timer fires late, every append already due is committed then, as a server running on its own
  // machine would have done meanwhile. One timer per append would slow the writer with this process.
  const queue: Array<{ readonly due: number; readonly job: () => void }> = [];
  let lastDue = 0;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let inFlight = 0;
  let maxInFlight = 0;

  const schedule = (): void => {
    if (timer || stopped || queue.length === 0) return;
    timer = setTimeout(commitDue, Math.max(0, queue[0]!.due - Date.now()));
  };
  const commitDue = (): void => {
    timer = undefined;
    const now = Date.now();
    while (!stopped && queue.length > 0 && queue[0]!.due <= now) queue.shift()!.job();
    schedule();
  };

  return {
    submit: (write, answer) => {
      if (stopped) return;
      if (delayMs <= 0) return answer(write());
      lastDue = Math.max(Date.now(), lastDue) + delayMs;
      queue.push({ due: lastDue, job: () => answer(write()) });
      schedule();
    },
    begin: () => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      let ended = false;
      return () => {
        if (ended) return;
        ended = true;
        inFlight--;
      };
    },
    inFlight: () => inFlight,
    maxInFlight: () => maxInFlight,
    stop: () => {
      stopped = true;
      clearTimeout(timer);
      queue.length = 0;
    },
  };
};
