import type { Either } from 'fp-ts/Either';
import { decodeTagged, type ValidationError } from '../codec';
import type { Decider } from '../decider';
import { defaultContext, type DomainContext } from '../policy';
import { OfficeCommands, type OfficeCommand } from './commands';
import { decideOffice, type OfficeFacts } from './decide';
import { OfficeEvents, type OfficeEvent } from './events';
import { applyOffice, evolveOffice, initialOfficeState, type OfficeState } from './state';

export * from './vocabulary';
export * from './commands';
export * from './events';
export * from './state';
export * from './rules';
export * from './organisation-view';
export * from './state-council-calendars';
export * from './actors';
export * from './seal';
export * from './actor-keys';
export { decideOffice, type OfficeDecision, type OfficeFacts } from './decide';

export type OfficeDecider = Decider<OfficeCommand, OfficeEvent, OfficeState>;

/**
 * The office decider. `facts` carries what only the engine can compute from the whole history (the
 * ranking of a quarter, the year's evaluation); without them a publication is refused.
 */
export const createOfficeDecider = (
  ctx: DomainContext = defaultContext(),
  facts: OfficeFacts = {},
): OfficeDecider => ({
  initialState: initialOfficeState,
  decide: (command, state) => decideOffice(command, state, ctx, facts),
  evolve: evolveOffice,
  apply: applyOffice,
  isTerminal: () => false,
});

export const officeDecider: OfficeDecider = createOfficeDecider();

/** One office per history: its record is the stream `office`. */
export const OFFICE_STREAM_ID = 'office';

export const decodeOfficeCommand = (input: unknown): Either<ValidationError, OfficeCommand> =>
  decodeTagged(OfficeCommands, input, 'office command');

export const decodeOfficeEvent = (input: unknown): Either<ValidationError, OfficeEvent> =>
  decodeTagged(OfficeEvents, input, 'office event');
