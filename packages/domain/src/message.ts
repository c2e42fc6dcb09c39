import * as t from 'io-ts';
import { Actor } from './actor';
import { Instant } from './codec';

/**
 * Codec factories for the contract's two kinds of message. A command is `{ type, actor, at, data }`; an
 * event is `{ type, data }` whose data carries `at`, the business time of the fact. `key` names the
 * aggregate's id field (`taskId`, `unitId`). Unknown keys are stripped at every depth, so they never
 * reach an event.
 */
export const commandCodec =
  <K extends t.Props>(key: K) =>
  <T extends string, R extends t.Props, O extends t.Props = Record<never, never>>(
    type: T,
    required: R,
    optional?: O,
  ) =>
    t.strict(
      {
        type: t.literal(type),
        actor: Actor,
        at: Instant,
        data: t.intersection([t.strict({ ...key, ...required }), t.exact(t.partial(optional ?? ({} as O)))]),
      },
      type,
    );

export const eventCodec =
  <K extends t.Props>(key: K) =>
  <T extends string, R extends t.Props, O extends t.Props = Record<never, never>>(
    type: T,
    required: R,
    optional?: O,
  ) =>
    t.strict(
      {
        type: t.literal(type),
        data: t.intersection([
          t.strict({ ...key, at: Instant, ...required }),
          t.exact(t.partial(optional ?? ({} as O))),
        ]),
      },
      type,
    );
