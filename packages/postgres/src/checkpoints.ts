import type { PoolClient } from 'pg';
import type { Position, ReadModelStore } from '@duban/engine';
import { PostgresStoreError } from './errors';
import type { PostgresEventStore } from './store';

/**
 * Where a named reader of the global order got to, kept in the same database as the events, so that a
 * read model kept in PostgreSQL can write its rows and its checkpoint in one transaction (pass the
 * transaction's client to `save`).
 */
export interface PostgresCheckpoints {
  readonly name: string;
  /** The last position saved, or undefined when none was. */
  load(client?: PoolClient): Promise<Position | undefined>;
  /** Saves the position reached, in the caller's transaction when a client is given. */
  save(position: Position, client?: PoolClient): Promise<void>;
  /** Forgets it (a rebuild starts from the beginning). */
  reset(client?: PoolClient): Promise<void>;
}

type Queryable = Pick<PoolClient, 'query'>;

const positionOf = (row: { commit_position: string; prepare_position: string }): Position => ({
  commit: BigInt(row.commit_position),
  prepare: BigInt(row.prepare_position),
});

export const createPostgresCheckpoints = (store: PostgresEventStore, name: string): PostgresCheckpoints => {
  const { db } = store.internals;
  const table = db.names.checkpoints;
  const run = async <R extends object>(
    what: string,
    client: Queryable | undefined,
    text: string,
    values: unknown[],
  ): Promise<R[]> => {
    await db.ensureMigrated();
    if (!client) return db.query<R & Record<string, unknown>>(what, text, values);
    try {
      return (await client.query(text, values)).rows as R[];
    } catch (error) {
      throw db.failure(error, what);
    }
  };
  return {
    name,
    load: async (client) => {
      const rows = await run<{ commit_position: string; prepare_position: string }>(
        `loading checkpoint ${name}`,
        client,
        `SELECT commit_position::text AS commit_position, prepare_position::text AS prepare_position FROM ${table} WHERE name = $1`,
        [name],
      );
      return rows[0] ? positionOf(rows[0]) : undefined;
    },
    save: async (position, client) => {
      await run(
        `saving checkpoint ${name}`,
        client,
        `INSERT INTO ${table} (name, commit_position, prepare_position) VALUES ($1, $2, $3)
         ON CONFLICT (name) DO UPDATE SET commit_position = EXCLUDED.commit_position,
           prepare_position = EXCLUDED.prepare_position, updated_at = now()`,
        [name, position.commit.toString(), position.prepare.toString()],
      );
    },
    reset: async (client) => {
      await run(`resetting checkpoint ${name}`, client, `DELETE FROM ${table} WHERE name = $1`, [name]);
    },
  };
};

export interface PostgresReadModelStoreOptions {
  /** How long a save keeps retrying while the database is unreachable (a restart). Default 60 s. */
  readonly retryForMs?: number;
}

/**
 * The engine's ReadModelStore on PostgreSQL: a projection's model (JSON) and the position it reflects,
 * written in one statement, so the engine's projection runner resumes exactly after what it saved.
 * A save that fails because the database is briefly away is retried (it is idempotent), so a runner
 * following live events survives a restart.
 */
export const createPostgresReadModelStore = <Model>(
  store: PostgresEventStore,
  options: PostgresReadModelStoreOptions = {},
): ReadModelStore<Model> => {
  const { db } = store.internals;
  const table = db.names.readModels;
  const retryForMs = options.retryForMs ?? 60_000;
  return {
    async load(name) {
      await db.ensureMigrated();
      const rows = await db.query<{ model: Model; commit_position: string; prepare_position: string }>(
        `loading read model ${name}`,
        `SELECT model, commit_position::text AS commit_position, prepare_position::text AS prepare_position FROM ${table} WHERE name = $1`,
        [name],
      );
      return rows[0] ? { model: rows[0].model, checkpoint: positionOf(rows[0]) } : undefined;
    },
    async save(name, model, checkpoint) {
      const json = JSON.stringify(model);
      const started = Date.now();
      for (let delay = 50; ; delay = Math.min(delay * 2, 2_000)) {
        try {
          await db.ensureMigrated();
          await db.query(
            `saving read model ${name}`,
            `INSERT INTO ${table} (name, model, commit_position, prepare_position) VALUES ($1, $2::json, $3, $4)
             ON CONFLICT (name) DO UPDATE SET model = EXCLUDED.model, commit_position = EXCLUDED.commit_position,
               prepare_position = EXCLUDED.prepare_position, updated_at = now()`,
            [name, json, checkpoint.commit.toString(), checkpoint.prepare.toString()],
          );
          return;
        } catch (error) {
          const transient =
            error instanceof PostgresStoreError &&
            (error.code === 'StoreUnavailable' || error.code === 'PoolExhausted');
          if (!transient || Date.now() - started >= retryForMs) throw error;
          db.log({
            level: 'warn',
            event: 'read-model-retry',
            message: `${error.message}; saving read model ${name} again in ${delay} ms`,
          });
          await new Promise((resolve) => setTimeout(resolve, delay));
        }
      }
    },
  };
};
