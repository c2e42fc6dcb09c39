export * from './event-store';
export * from './in-memory-store';
export * from './serialized-event';
export * from './append-errors';
