export * from './decider-spec';
export * from './task-fixture';
export * from './store-contract';
export * from './scenarios';
