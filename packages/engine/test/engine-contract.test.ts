import { createInMemoryEventStore } from '@duban/engine';
import { describeEngineContract } from '@duban/testing';

describeEngineContract('the in-memory store', async () => ({ store: createInMemoryEventStore() }), {
  rounds: 200,
});
