import type { Either } from 'fp-ts/Either';
import { decodeTagged, type ValidationError } from './codec';
import { TaskCommands, TaskEvents, type TaskCommand, type TaskEvent } from './task';
import { UnitCommands, UnitEvents, type UnitCommand, type UnitEvent } from './unit';
import { OfficeCommands, OfficeEvents, type OfficeCommand, type OfficeEvent } from './office';

/** Every command and event of the public contract, by type name, as runtime values. */
export const Commands = { ...TaskCommands, ...UnitCommands, ...OfficeCommands };
export const Events = { ...TaskEvents, ...UnitEvents, ...OfficeEvents };

export type Command = TaskCommand | UnitCommand | OfficeCommand;
export type Event = TaskEvent | UnitEvent | OfficeEvent;
export type CommandType = Command['type'];
export type EventType = Event['type'];

const has = (o: object, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key);

export type Aggregate = 'task' | 'unit' | 'office';

/** Which aggregate a command or event belongs to (own keys only: `constructor` is no event type). */
export const aggregateOf = (type: string): Aggregate | undefined =>
  has(TaskCommands, type) || has(TaskEvents, type)
    ? 'task'
    : has(UnitCommands, type) || has(UnitEvents, type)
      ? 'unit'
      : has(OfficeCommands, type) || has(OfficeEvents, type)
        ? 'office'
        : undefined;

export const isTaskCommand = (c: Command): c is TaskCommand => has(TaskCommands, c.type);

/**
 * The stream a command or event of the contract belongs to: `task-<taskId>`, `unit-<unitId>`, or the
 * office's record `office`; undefined for a type outside the contract.
 */
export const streamIdOf = (type: string, data: unknown): string | undefined => {
  const d = (typeof data === 'object' && data !== null ? data : {}) as { taskId?: unknown; unitId?: unknown };
  switch (aggregateOf(type)) {
    case 'task':
      return `task-${String(d.taskId)}`;
    case 'unit':
      return `unit-${String(d.unitId)}`;
    case 'office':
      return 'office';
    default:
      return undefined;
  }
};

/** Decodes any command of the contract, reporting every problem with its path. */
export const decodeCommand = (input: unknown): Either<ValidationError, Command> =>
  decodeTagged(Commands, input, 'command');

/** Decodes any event of the contract (history read from outside). */
export const decodeEvent = (input: unknown): Either<ValidationError, Event> =>
  decodeTagged(Events, input, 'event');
