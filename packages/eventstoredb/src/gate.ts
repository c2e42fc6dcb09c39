/**
 * Back-pressure: at most `limit` calls of one kind in flight (handed to the client and not yet settled);
 * the others wait their turn, unsent, in arrival order. Without it a burst of thousands of commands puts
 * thousands of calls on one connection at once, the process spends seconds on each turn of its event loop
 * handling their answers, and an append's answer arrives after its timeout although the server is healthy.
 */
export interface Gate {
  /** Resolves when the call may be sent, with the function to call once it settled; or with why not. */
  enter(): Promise<Turn | Refused>;
  readonly inFlight: () => number;
  readonly waiting: () => number;
  /** Refuses every call waiting now or later (the store closed). */
  close(why: string): void;
}

export interface Turn {
  readonly refused?: undefined;
  /** Frees the place for the next call waiting; calling it again does nothing. */
  leave(): void;
}

export interface Refused {
  readonly refused: string;
}

export const createGate = (limit: number): Gate => {
  // A FIFO of waiting calls; `head` moves forward instead of shifting the array at every turn.
  let queue: Array<((turn: Turn | Refused) => void) | undefined> = [];
  let head = 0;
  let inFlight = 0;
  let closedBecause: string | undefined;

  const turn = (): Turn => {
    inFlight++;
    let left = false;
    return {
      leave: () => {
        if (left) return;
        left = true;
        inFlight--;
        if (head === queue.length) return;
        const next = queue[head]!;
        queue[head++] = undefined;
        if (head > 1024 && head * 2 > queue.length) {
          queue = queue.slice(head);
          head = 0;
        }
        next(turn());
      },
    };
  };

  const enter = async (): Promise<Turn | Refused> => {
    if (closedBecause !== undefined) return { refused: closedBecause };
    if (inFlight < limit && head === queue.length) return turn();
    return new Promise((resolve) => queue.push(resolve));
  };

  return {
    enter,
    inFlight: () => inFlight,
    waiting: () => queue.length - head,
    close: (why) => {
      closedBecause = why;
      const waiting = queue.slice(head);
      queue = [];
      head = 0;
      for (const resolve of waiting) resolve!({ refused: why });
    },
  };
};
