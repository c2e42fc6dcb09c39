import { isDeepStrictEqual } from 'node:util';
import { isLeft } from 'fp-ts/Either';
import { diff } from 'jest-diff';
import { decodeEvent, type Decider, type DomainErrorCode } from '@duban/domain';

/**
 * Given / when / then for deciders, so a test reads like the business rule:
 *
 *   spec(taskDecider).given([assigned]).when(acceptTask).then([accepted])
 *
 * `given` events are folded with the decider's `evolve`; `then…` runs `decide` and asserts. Every
 * event a decider produces must also decode under its codec: a test fails when the contract is broken.
 * Failures throw an AssertionError-like Error with a readable diff, which jest prints.
 */
export interface DeciderSpecification<C, E, S> {
  given(events: readonly E[]): When<C, E, S>;
}

export interface When<C, E, S> {
  when(command: C): Then<E, S>;
}

export interface Then<E, S> {
  /** The command produces exactly these events, in this order. */
  then(expected: readonly E[]): void;
  /** The command produces events that satisfy the assertion (for partial checks). */
  thenEvents(check: (events: readonly E[], state: S) => void): void;
  /** The command is rejected with this error code (and, when given, a message containing `text`). */
  thenRejects(code: DomainErrorCode, text?: string): void;
  /** The state already holds what the command asks for: no events, no error. */
  thenNothingHappens(): void;
}

const show = (value: unknown): string => JSON.stringify(value, null, 2);

const failure = (message: string): Error => {
  const error = new Error(message);
  error.name = 'DeciderSpecificationError';
  return error;
};

export const spec = <C, E extends { type: string }, S>(
  decider: Decider<C, E, S>,
): DeciderSpecification<C, E, S> => ({
  given: (events) => ({
    when: (command) => {
      const state = events.reduce(decider.evolve, decider.initialState());
      const run = () => {
        const result = decider.decide(command, state);
        if (isLeft(result)) return result;
        for (const event of result.right) {
          const decoded = decodeEvent(event);
          if (isLeft(decoded))
            throw failure(`${event.type} does not match its codec: ${decoded.left.message}\n${show(event)}`);
        }
        return result;
      };
      const expectEvents = () => {
        const result = run();
        if (isLeft(result))
          throw failure(`Expected events, but the command was rejected:\n${show(result.left)}`);
        return result.right;
      };
      return {
        then(expected) {
          const actual = expectEvents();
          if (!isDeepStrictEqual(actual, expected))
            throw failure(
              `The command produced other events than expected.\n\n${diff(expected, actual, {
                aAnnotation: 'Expected events',
                bAnnotation: 'Produced events',
              })}`,
            );
        },
        thenEvents(check) {
          check(expectEvents(), state);
        },
        thenRejects(code, text) {
          const result = run();
          if (!isLeft(result))
            throw failure(`Expected rejection ${code}, but the command produced:\n${show(result.right)}`);
          if (result.left.code !== code || (text !== undefined && !result.left.message.includes(text)))
            throw failure(
              `Expected rejection ${code}${text ? ` mentioning "${text}"` : ''}, got:\n${show(result.left)}`,
            );
        },
        thenNothingHappens() {
          const result = run();
          if (isLeft(result))
            throw failure(`Expected no events, but the command was rejected:\n${show(result.left)}`);
          if (result.right.length > 0)
            throw failure(`Expected no events, but the command produced:\n${show(result.right)}`);
        },
      };
    },
  }),
});
