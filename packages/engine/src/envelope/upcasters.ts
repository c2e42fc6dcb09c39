import { toIdRecord } from '@duban/domain';
import type { Envelope } from './envelope';

/**
 * Schema evolution: an upcaster turns an event's data from one schema version into the next. They run
 * on read, so old histories replay under new code; the stored event (and its hash) never changes.
 */
export interface Upcaster {
  readonly type: string;
  /** The version this upcaster reads; it produces `fromVersion + 1`. */
  readonly fromVersion: number;
  readonly upcast: (data: Record<string, unknown>) => Record<string, unknown>;
}

/**
 * The schema version new events are written with, by type (1 when not listed).
 * v2 of ProgressReported added `percentComplete`.
 */
export const CURRENT_SCHEMA_VERSIONS: Readonly<Record<string, number>> = Object.freeze(
  toIdRecord({ ProgressReported: 2 }),
);

export const schemaVersionOf = (type: string, versions = CURRENT_SCHEMA_VERSIONS): number =>
  Object.prototype.hasOwnProperty.call(versions, type) ? versions[type]! : 1;

/** v1 progress reports carried no percentage; they read as "not stated", i.e. the unit's last figure or 0. */
export const progressReportedV1: Upcaster = {
  type: 'ProgressReported',
  fromVersion: 1,
  upcast: (data) => ({ percentComplete: 0, ...data }),
};

export const DEFAULT_UPCASTERS: readonly Upcaster[] = [progressReportedV1];

export interface UpcasterRegistry {
  /** The envelope with its data at the current schema version (the same object when already current). */
  upcast(envelope: Envelope): Envelope;
}

export const createUpcasterRegistry = (
  upcasters: readonly Upcaster[] = DEFAULT_UPCASTERS,
  versions: Readonly<Record<string, number>> = CURRENT_SCHEMA_VERSIONS,
): UpcasterRegistry => {
  const byKey = new Map<string, Upcaster>();
  for (const u of upcasters) {
    const key = `${u.type}@${u.fromVersion}`;
    if (byKey.has(key)) throw new Error(`two upcasters for ${key}`);
    byKey.set(key, u);
  }
  // A gap in a chain is a deployment mistake: say so when the registry is built, never halfway through a replay.
  for (const [type, target] of Object.entries(versions))
    for (let v = 1; v < target; v++)
      if (!byKey.has(`${type}@${v}`))
        throw new Error(`no upcaster for ${type} from schema version ${v} to ${v + 1}`);
  return {
    upcast(envelope) {
      const target = schemaVersionOf(envelope.type, versions);
      let version = envelope.metadata.schemaVersion;
      if (version >= target) return envelope;
      let data = envelope.data as Record<string, unknown>;
      while (version < target) {
        data = byKey.get(`${envelope.type}@${version}`)!.upcast(data);
        version += 1;
      }
      return { ...envelope, data } as Envelope;
    },
  };
};
