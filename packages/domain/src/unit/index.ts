import type { Either } from 'fp-ts/Either';
import { decodeTagged, type ValidationError } from '../codec';
import type { Decider } from '../decider';
import { defaultContext, type DomainContext } from '../policy';
import { UnitCommands, type UnitCommand } from './commands';
import { decideUnit } from './decide';
import { UnitEvents, type UnitEvent } from './events';
import { applyUnit, evolveUnit, initialUnitState, type UnitState } from './state';

export * from './commands';
export * from './events';
export * from './state';
export { decideUnit, type UnitFacts } from './decide';

export type UnitDecider = Decider<UnitCommand, UnitEvent, UnitState>;

export const createUnitDecider = (ctx: DomainContext = defaultContext()): UnitDecider => ({
  initialState: initialUnitState,
  decide: (command, state) => decideUnit(command, state, ctx),
  evolve: evolveUnit,
  apply: applyUnit,
  isTerminal: () => false,
});

export const unitDecider: UnitDecider = createUnitDecider();

export const unitStreamId = (unitId: string): string => `unit-${unitId}`;

export const decodeUnitCommand = (input: unknown): Either<ValidationError, UnitCommand> =>
  decodeTagged(UnitCommands, input, 'unit command');

export const decodeUnitEvent = (input: unknown): Either<ValidationError, UnitEvent> =>
  decodeTagged(UnitEvents, input, 'unit event');
