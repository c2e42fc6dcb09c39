import { createHash } from 'node:crypto';

/**
 * The database schema, as numbered migrations. `migrate()` applies the missing ones, each in its own
 * transaction together with its row in `schema_migrations`; `migrationSql()` prints the same SQL for a
 * DBA who applies it by hand. A migration, once released, is never edited: a change is a new one.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  /** The SQL for a given PostgreSQL schema name. */
  readonly sql: (names: SchemaNames) => string;
}

export const DEFAULT_SCHEMA = 'duban';

/** Schema names are plain identifiers, so they can be written into SQL without surprises. */
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

export const checkSchemaName = (schema: string): string => {
  if (!IDENTIFIER.test(schema))
    throw new RangeError(
      `schema must be a lower-case PostgreSQL identifier (letters, digits, _; at most 63), got ${JSON.stringify(schema)}`,
    );
  return schema;
};

/** Qualified names and lock keys of one Duban schema. */
export interface SchemaNames {
  readonly schema: string;
  /** `"duban".events`, etc. */
  readonly events: string;
  readonly sequence: string;
  readonly migrations: string;
  readonly appendEvents: string;
  readonly checkpoints: string;
  readonly readModels: string;
  readonly taskBoard: string;
  readonly unitScores: string;
  readonly taskStates: string;
  readonly unitStates: string;
  /** Channel that appends NOTIFY after they commit. */
  readonly channel: string;
  /**
   * Advisory lock class ids (the two-int4 key space, apart from single-bigint keys): appends hold
   * `(appendersClass, 0)` shared while they run, so a reader can wait for those in flight; one append
   * per stream at a time holds `(streamClass, hashtext(stream_id))`.
   */
  readonly appendersClass: number;
  readonly streamClass: number;
}

export const schemaNames = (schema: string): SchemaNames => {
  const s = checkSchemaName(schema);
  const q = (table: string) => `"${s}".${table}`;
  // Derived from the schema name, so two Duban schemas in one database do not wait for each other.
  const base = createHash('sha256').update(`duban:${s}`).digest().readInt32BE(0) & ~1;
  return {
    schema: s,
    events: q('events'),
    sequence: q('event_sequence'),
    migrations: q('schema_migrations'),
    appendEvents: q('append_events'),
    checkpoints: q('checkpoints'),
    readModels: q('read_models'),
    taskBoard: q('task_board'),
    unitScores: q('unit_scores'),
    taskStates: q('projection_task_states'),
    unitStates: q('projection_unit_states'),
    channel: `${s}_events`,
    appendersClass: base,
    streamClass: base | 1,
  };
};

const eventStore: Migration = {
  version: 1,
  name: 'event store',
  sql: (n) => `
-- Every event, once. Its place in the global order is (transaction_id, sequence): the id of the
-- transaction that appended it, then a sequence within it. Readers of the global order only read below
-- the oldest transaction still running (pg_snapshot_xmin), so an append that commits late can never land
-- behind a position a reader has already passed. See docs/postgres.md, "Global order".
CREATE SEQUENCE ${n.sequence} AS bigint;

CREATE TABLE ${n.events} (
  transaction_id xid8 NOT NULL,
  sequence bigint NOT NULL,
  stream_id text NOT NULL,
  revision bigint NOT NULL CHECK (revision >= 0),
  event_id uuid NOT NULL,
  type text NOT NULL,
  -- json, not jsonb: the text is kept byte for byte (key order included), so an export is identical.
  data json NOT NULL,
  metadata json NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT events_position PRIMARY KEY (transaction_id, sequence),
  CONSTRAINT events_stream_revision UNIQUE (stream_id, revision)
);

COMMENT ON TABLE ${n.events} IS 'Duban: every event of every stream, never updated nor deleted; global order (transaction_id, sequence), per stream revision from 0';

-- One append, atomically: expected-revision check, idempotent re-append by event id, insert.
-- p_mode: any | no-stream | exists | exact (with p_revision). p_events: a JSON array of
-- {"i": event id, "t": type, "d": data, "m": metadata}.
-- outcome: written | duplicate (retry of events already there; position of the last of them) |
-- conflict (revision is then the stream's last revision, -1 for no stream).
CREATE FUNCTION ${n.appendEvents}(p_stream_id text, p_mode text, p_revision bigint, p_events json)
RETURNS TABLE (outcome text, revision bigint, transaction_id xid8, sequence bigint)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_count int := json_array_length(p_events);
  v_current bigint;
  v_start bigint;
  v_matched int;
  v_xid xid8;
BEGIN
  -- Readers rely on every append getting its transaction id after announcing itself (below).
  IF pg_current_xact_id_if_assigned() IS NOT NULL THEN
    RAISE EXCEPTION 'duban: append_events must run in a transaction of its own (this one has written already)';
  END IF;
  PERFORM pg_advisory_xact_lock_shared(${n.appendersClass}, 0);
  PERFORM pg_advisory_xact_lock(${n.streamClass}, hashtext(p_stream_id));

  SELECT e.revision INTO v_current FROM ${n.events} e
    WHERE e.stream_id = p_stream_id ORDER BY e.revision DESC LIMIT 1;
  v_current := coalesce(v_current, -1);

  IF p_mode IN ('any', 'exists') THEN
    IF p_mode = 'exists' AND v_current = -1 THEN
      RETURN QUERY SELECT 'conflict', v_current, NULL::xid8, NULL::bigint; RETURN;
    END IF;
    IF v_count > 0 THEN
      SELECT min(e.revision) INTO v_start FROM ${n.events} e
        WHERE e.stream_id = p_stream_id AND e.event_id = (p_events -> 0 ->> 'i')::uuid;
    END IF;
  ELSE
    IF p_mode = 'no-stream' THEN p_revision := -1; END IF;
    IF p_revision <> v_current THEN
      IF p_revision > v_current OR p_revision < -1 OR v_count = 0 THEN
        RETURN QUERY SELECT 'conflict', v_current, NULL::xid8, NULL::bigint; RETURN;
      END IF;
      v_start := p_revision + 1;
    END IF;
  END IF;

  IF v_start IS NOT NULL THEN
    -- A retry: the batch must be exactly the events written from v_start on, id by id.
    SELECT count(*) INTO v_matched
      FROM json_array_elements(p_events) WITH ORDINALITY AS x(e, k)
      JOIN ${n.events} e ON e.stream_id = p_stream_id AND e.revision = v_start + x.k - 1
        AND e.event_id = (x.e ->> 'i')::uuid;
    IF v_matched <> v_count THEN
      RETURN QUERY SELECT 'conflict', v_current, NULL::xid8, NULL::bigint; RETURN;
    END IF;
    RETURN QUERY SELECT 'duplicate', e.revision, e.transaction_id, e.sequence FROM ${n.events} e
      WHERE e.stream_id = p_stream_id AND e.revision = v_start + v_count - 1;
    RETURN;
  END IF;

  IF v_count = 0 THEN
    RETURN QUERY SELECT 'written', v_current,
      coalesce((SELECT e.transaction_id FROM ${n.events} e WHERE e.stream_id = p_stream_id AND e.revision = v_current), '0'::xid8),
      coalesce((SELECT e.sequence FROM ${n.events} e WHERE e.stream_id = p_stream_id AND e.revision = v_current), 0);
    RETURN;
  END IF;

  v_xid := pg_current_xact_id();
  INSERT INTO ${n.events} (transaction_id, sequence, stream_id, revision, event_id, type, data, metadata)
    SELECT v_xid, nextval('${n.sequence}'), p_stream_id, v_current + x.k, (x.e ->> 'i')::uuid, x.e ->> 't', x.e -> 'd', x.e -> 'm'
    FROM json_array_elements(p_events) WITH ORDINALITY AS x(e, k)
    ORDER BY x.k;
  RETURN QUERY SELECT 'written', e.revision, e.transaction_id, e.sequence FROM ${n.events} e
    WHERE e.stream_id = p_stream_id AND e.revision = v_current + v_count;
END
$fn$;
`,
};

const readModels: Migration = {
  version: 2,
  name: 'checkpoints and read models',
  sql: (n) => `
-- Where each named reader of the global order got to: position (commit, prepare) as stored in events.
CREATE TABLE ${n.checkpoints} (
  name text PRIMARY KEY,
  commit_position numeric(20, 0) NOT NULL,
  prepare_position numeric(20, 0) NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- A projection's whole model (JSON) with the position it reflects, written together (ReadModelStore).
CREATE TABLE ${n.readModels} (
  name text PRIMARY KEY,
  model json NOT NULL,
  commit_position numeric(20, 0) NOT NULL,
  prepare_position numeric(20, 0) NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- The SQL read models: kept by one projection whose rows and checkpoint change in one transaction.
-- Task board (台账): one row per task as of as_of; card is the engine's TaskCard, exactly.
CREATE TABLE ${n.taskBoard} (
  task_id text PRIMARY KEY,
  title text NOT NULL,
  source text NOT NULL,
  key boolean NOT NULL,
  status text NOT NULL,
  lead_unit text NOT NULL,
  co_units text[] NOT NULL,
  supervisor text NOT NULL,
  deadline timestamptz NOT NULL,
  original_deadline timestamptz NOT NULL,
  extended boolean NOT NULL,
  light text NOT NULL,
  percent_complete numeric NOT NULL,
  urges integer NOT NULL,
  open_rectifications text[] NOT NULL,
  suggested_grade text NOT NULL,
  final_grade text,
  closed_at timestamptz,
  as_of timestamptz NOT NULL,
  card json NOT NULL
);

-- Quarterly unit scores (按季度通报评分排名): one row per unit and quarter; score_card is the engine's
-- UnitScore, every line explained.
CREATE TABLE ${n.unitScores} (
  quarter text NOT NULL,
  unit_id text NOT NULL,
  rank integer NOT NULL,
  score numeric NOT NULL,
  average numeric NOT NULL,
  deductions numeric NOT NULL,
  overdue integer NOT NULL,
  tasks_by_grade json NOT NULL,
  score_card json NOT NULL,
  PRIMARY KEY (quarter, unit_id)
);

-- The folded state behind those tables, per task and per unit, so the projection resumes where it
-- stopped without replaying history.
CREATE TABLE ${n.taskStates} (projection text NOT NULL, task_id text NOT NULL, state json NOT NULL, PRIMARY KEY (projection, task_id));
CREATE TABLE ${n.unitStates} (projection text NOT NULL, unit_id text NOT NULL, state json NOT NULL, PRIMARY KEY (projection, unit_id));
`,
};

export const MIGRATIONS: readonly Migration[] = [eventStore, readModels];

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** The statements that create the migrations table (idempotent). */
export const migrationsTableSql = (n: SchemaNames): string => `
CREATE SCHEMA IF NOT EXISTS "${n.schema}";
CREATE TABLE IF NOT EXISTS ${n.migrations} (
  version integer PRIMARY KEY,
  name text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
);`;

/**
 * Every migration after `fromVersion` as one script for a DBA (psql -1 -f, or step by step): each
 * migration followed by its row in schema_migrations.
 */
export const migrationSql = (options: { schema?: string; fromVersion?: number } = {}): string => {
  const n = schemaNames(options.schema ?? DEFAULT_SCHEMA);
  const from = options.fromVersion ?? 0;
  const parts = [
    `-- Duban PostgreSQL schema "${n.schema}", migrations ${from + 1} to ${LATEST_VERSION}.`,
    '-- Generated by @duban/postgres (migrationSql); apply in one transaction, e.g. psql -1 -f this.sql',
    migrationsTableSql(n).trim(),
  ];
  for (const m of MIGRATIONS.filter((x) => x.version > from))
    parts.push(
      `-- ${m.version}: ${m.name}`,
      m.sql(n).trim(),
      `INSERT INTO ${n.migrations} (version, name) VALUES (${m.version}, '${m.name}');`,
    );
  return `${parts.join('\n\n')}\n`;
};
