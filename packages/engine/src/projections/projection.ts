import type { Envelope } from '../envelope/envelope';

/**
 * A projection is a pure fold over envelopes in global order. `apply` changes the model in place: the
 * runner owns the model privately, so a rebuild costs one mutation per event, not one copy.
 * Models are plain JSON data, so a read-model store can persist them with their checkpoint.
 */
export interface Projection<Model> {
  readonly name: string;
  readonly init: () => Model;
  readonly apply: (model: Model, envelope: Envelope) => void;
  /**
   * Turns a model read back from JSON into a working one (e.g. maps keyed by outside ids back into
   * null-prototype records). Absent: the parsed JSON is the model.
   */
  readonly revive?: (saved: Model) => Model;
}

/** Folds a whole history from scratch: the reference a live, checkpointed model must equal. */
export const rebuild = async <Model>(
  projection: Projection<Model>,
  envelopes: AsyncIterable<Envelope> | Iterable<Envelope>,
): Promise<Model> => {
  const model = projection.init();
  for await (const e of envelopes) projection.apply(model, e);
  return model;
};
