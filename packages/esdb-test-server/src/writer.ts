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
  const queue: Array<() => void> = [];
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let inFlight = 0;
  let maxInFlight = 0;

  const next = (): void => {
    timer = undefined;
    const job = queue.shift();
    if (!job || stopped) return;
    timer = setTimeout(() => {
      job();
      next();
    }, delayMs);
  };

  return {
    submit: (write, answer) => {
      if (stopped) return;
      if (delayMs <= 0) return answer(write());
      queue.push(() => answer(write()));
      if (!timer) next();
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
