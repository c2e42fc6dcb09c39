export { createEventStoreDbStore, DEFAULT_MAX_APPEND_SIZE, type EventStoreDbStoreOptions } from './store';
export {
  CHECKPOINT_EVENT_TYPE,
  checkpointStreamId,
  createStreamCheckpoints,
  type CheckpointStore,
} from './checkpoints';
