import { isLeft, type Either } from 'fp-ts/Either';

/** The Right value, or a thrown Error naming the Left (for tests, where a Left is a failed test). */
export const orThrow = <E, A>(result: Either<E, A>): A => {
  if (isLeft(result)) {
    const e = result.left as { message?: unknown };
    throw new Error(
      `expected Right, got Left: ${typeof e?.message === 'string' ? e.message : JSON.stringify(result.left)}`,
    );
  }
  return result.right;
};
