/**
 * @duban/domain — the pure rules of the supervision workflow (督查督办 / 抓落实): codecs for every
 * command and event, the task and unit deciders, grading, lights and the business calendar.
 * No I/O, no clock, no randomness: time and ids come in with the commands.
 */
export * from './actor';
export * from './read-scope';
export * from './calendar';
export * from './codec';
export * from './instant';
export * from './decider';
export * from './errors';
export * from './grade';
export * from './limits';
export * from './id-record';
export * from './policy';
export * from './scoring-policy';
export * from './time-limits';
export * from './task';
export * from './unit';
export * from './office';
export * from './contract';
