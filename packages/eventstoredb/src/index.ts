export { createEventStoreDbStore, type EventStoreDbStoreOptions } from './store';
/** Re-exported for callers who configure the adapter alone; one value for every store of the port. */
export { DEFAULT_MAX_APPEND_SIZE } from '@duban/engine';
export {
  CHECKPOINT_EVENT_TYPE,
  checkpointStreamId,
  createStreamCheckpoints,
  type CheckpointStore,
} from './checkpoints';
