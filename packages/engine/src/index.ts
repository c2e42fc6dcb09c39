/**
 * @duban/engine — what a developer embeds: command handling over an event store port, hash-chained
 * envelopes, upcasting on read, and projections that rebuild read models from the log.
 */
export * from './store';
export * from './envelope/envelope';
export * from './envelope/hash-chain';
export * from './envelope/event-ids';
export * from './envelope/seal';
export * from './envelope/upcasters';
export * from './errors';
export * from './engine';
export * from './projections';
export * from './sweeper';
export * from './evidence';
export * from './history';
