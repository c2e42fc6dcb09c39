import type { Either } from 'fp-ts/Either';
import type { DomainError } from './errors';

/**
 * A decider: the pure heart of an aggregate. `decide` turns a command and the current state into the
 * events it produces (none when the state already holds) or the rule it breaks; `evolve` folds one
 * event into a new immutable state; `apply` folds it in place into a state the caller owns (replay).
 */
export interface Decider<Command, Event, State> {
  readonly initialState: () => State;
  readonly decide: (command: Command, state: State) => Either<DomainError, Event[]>;
  readonly evolve: (state: State, event: Event) => State;
  readonly apply: (state: State, event: Event) => State;
  readonly isTerminal: (state: State) => boolean;
}

/** Folds events into a fresh state, in place: the fast path for replay. */
export const fold = <C, E, S>(
  decider: Decider<C, E, S>,
  events: Iterable<E>,
  state: S = decider.initialState(),
): S => {
  for (const e of events) decider.apply(state, e);
  return state;
};
