export * from './decider-spec';
export * from './task-fixture';
export * from './store-contract';
export * from './engine-contract';
export * from './faulty-store';
export * from './scenarios';
export * from './or-throw';
export * from './office-fixture';
