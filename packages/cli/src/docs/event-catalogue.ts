import { Commands, Events, LIMITS, aggregateOf, type Aggregate } from '@duban/domain';
import { CURRENT_SCHEMA_VERSIONS, DEFAULT_UPCASTERS, EnvelopeMetadata } from '@duban/engine';
import { EVENT_LABELS } from '../labels';

/**
 * The event catalogue (docs/event-catalogue.md), generated from the io-ts codecs that are the
 * contract: every event and command, each field with its type, whether it is required, and the values
 * an enumeration allows. scripts/generate-event-catalogue.ts writes it; a test fails when the
 * committed file differs from what the codecs say now.
 */

/** The runtime shape of io-ts codecs, read structurally (no io-ts import needed to walk them). */
interface Codec {
  readonly name: string;
  readonly _tag?: string;
  readonly type?: Codec;
  readonly types?: readonly Codec[];
  readonly props?: Readonly<Record<string, Codec>>;
  readonly keys?: Readonly<Record<string, unknown>>;
  readonly value?: unknown;
  /** BoundedListType: the codec of its items and its bounds; TextType: its bounds. */
  readonly item?: Codec;
  readonly minLength?: number;
  readonly maxLength?: number;
}

interface Row {
  readonly path: string;
  readonly type: string;
  readonly required: boolean;
  readonly values?: readonly string[];
}

/** Refined scalars of @duban/domain's codec.ts, in words. */
const SCALARS: Readonly<Record<string, string>> = {
  Id: `identifier: 1–${LIMITS.idLength} letters, digits, \`-\`, \`_\`, \`.\`, \`:\``,
  Instant: `ISO-8601 instant with a time zone, e.g. \`2022-03-01T09:00:00+08:00\`; hours 00–23; years ${LIMITS.firstYear}–${LIMITS.lastYear}`,
  Percent: 'whole number 0–100',
  Count: 'whole number from 0',
  FiniteNumber: 'finite number',
  string: 'text',
  number: 'number',
  boolean: 'true or false',
};

const isObjectCodec = (c: Codec): boolean =>
  c._tag === 'InterfaceType' ||
  c._tag === 'PartialType' ||
  c._tag === 'IntersectionType' ||
  (c._tag === 'ExactType' && c.type !== undefined && isObjectCodec(c.type));

/** A short type expression for a codec that is not an object. */
const typeOf = (c: Codec): string => {
  switch (c._tag) {
    case 'LiteralType':
      return `\`${JSON.stringify(c.value)}\``;
    case 'KeyofType':
      return 'one of';
    case 'UnionType':
      return c.types!.map((m) => (isObjectCodec(m) ? inlineObject(m) : typeOf(m))).join(' or ');
    case 'ArrayType':
      return listOf('list', c.type!);
    case 'ExactType':
      return typeOf(c.type!);
    case 'BoundedListType':
      return `${listOf(c.minLength! > 0 ? 'non-empty list' : 'list', c.item!)}, at most ${c.maxLength}`;
    case 'TextType':
      return `\`${c.minLength! > 0 ? 'text, not blank' : 'text'}, at most ${c.maxLength} characters\``;
    default:
      return SCALARS[c.name] ? `\`${c.name}\`` : c.name;
  }
};

const listOf = (list: string, item: Codec): string =>
  isObjectCodec(item)
    ? `${list} of objects`
    : item._tag === 'KeyofType'
      ? `${list}, each one of`
      : `${list} of ${typeOf(item)}`;

/** `{ kind: "section", sectionId: Id }` for members of a union of objects. */
const inlineObject = (c: Codec): string => {
  const rows: Row[] = [];
  walk(c, '', true, rows);
  return `{ ${rows.map((r) => `${r.path}${r.required ? '' : '?'}: ${r.type.replace(/`/g, '')}`).join(', ')} }`;
};

const walk = (c: Codec, path: string, required: boolean, rows: Row[]): void => {
  const at = (key: string) => (path === '' ? key : `${path}.${key}`);
  switch (c._tag) {
    case 'ExactType':
      return walk(c.type!, path, required, rows);
    case 'InterfaceType':
      for (const [key, prop] of Object.entries(c.props!)) walk(prop, at(key), required, rows);
      return;
    case 'PartialType':
      for (const [key, prop] of Object.entries(c.props!)) walk(prop, at(key), false, rows);
      return;
    case 'IntersectionType':
      for (const member of c.types!) walk(member, path, required, rows);
      return;
    case 'ArrayType':
      rows.push({
        path,
        type: typeOf(c),
        required,
        ...(c.type!._tag === 'KeyofType' ? { values: Object.keys(c.type!.keys!) } : {}),
      });
      if (isObjectCodec(c.type!)) walk(c.type!, `${path}[]`, true, rows);
      return;
    case 'KeyofType':
      rows.push({ path, type: 'one of', required, values: Object.keys(c.keys!) });
      return;
    default: {
      const items = c._tag === 'BoundedListType' ? c.item : undefined;
      rows.push({
        path,
        type: typeOf(c),
        required,
        ...(items?._tag === 'KeyofType' ? { values: Object.keys(items.keys!) } : {}),
      });
      if (items && isObjectCodec(items)) walk(items, `${path}[]`, true, rows);
    }
  }
};

const fieldsOf = (codec: unknown, under: string): Row[] => {
  const rows: Row[] = [];
  walk(codec as Codec, '', true, rows);
  return rows.filter((r) => r.path.startsWith(`${under}.`));
};

const table = (rows: readonly Row[]): string[] => [
  '| Field | Type | Required | Values |',
  '| --- | --- | --- | --- |',
  ...rows.map(
    (r) =>
      `| \`${r.path}\` | ${r.type.replace(/\|/g, '\\|')} | ${r.required ? 'yes' : 'no'} | ${r.values ? r.values.map((v) => `\`${v}\``).join(', ') : ''} |`,
  ),
];

const anchorOf = (name: string) => name.toLowerCase();

const AGGREGATES: readonly Aggregate[] = ['task', 'unit', 'office'];
const HEADINGS: Readonly<Record<Aggregate, string>> = {
  task: 'Task events',
  unit: 'Unit events',
  office: "Office events (the office's record: organisation, calendar, rules, 通报)",
};
const STREAMS: Readonly<Record<Aggregate, string>> = {
  task: 'task-<taskId>',
  unit: 'unit-<unitId>',
  office: 'office',
};

export const renderEventCatalogue = (): string => {
  const events = Object.entries(Events as unknown as Record<string, Codec>);
  const commands = Object.entries(Commands as unknown as Record<string, Codec>);
  const byAggregate = (entries: Array<[string, Codec]>, aggregate: Aggregate) =>
    entries.filter(([name]) => aggregateOf(name) === aggregate);
  const out: string[] = [];
  out.push('# Event catalogue');
  out.push('');
  out.push(
    '<!-- Generated by scripts/generate-event-catalogue.ts from the io-ts codecs of @duban/domain. Do not edit: run `pnpm docs:catalogue`. A test fails when this file is stale. -->',
  );
  out.push('');
  out.push(
    'Every event Duban stores and every command it accepts, read from the io-ts codecs that are the contract. ' +
      "Task events live in stream `task-<taskId>`, unit events in `unit-<unitId>`, the office's record in `office`. Each event is wrapped in the envelope below; " +
      'its hash covers type, data and the envelope (see [auditing.md](auditing.md)). Decoding strips unknown keys and reports every problem with its path.',
  );
  out.push('');
  out.push(`${events.length} events, ${commands.length} commands.`);
  out.push('');
  out.push('## Contents');
  out.push('');
  for (const aggregate of AGGREGATES)
    out.push(
      `- ${aggregate} events: ${byAggregate(events, aggregate)
        .map(([name]) => `[${name}](#${anchorOf(name)})`)
        .join(', ')}`,
    );
  out.push(
    '- [Envelope](#envelope), [Types](#types), [Schema versions and upcasters](#schema-versions-and-upcasters), [Commands](#commands)',
  );
  out.push('');
  out.push('## Envelope');
  out.push('');
  out.push('`{ "type", "data", "metadata" }` — one per line in an NDJSON export. `metadata`:');
  out.push('');
  const envelopeRows: Row[] = [];
  walk(EnvelopeMetadata as unknown as Codec, 'metadata', true, envelopeRows);
  out.push(...table(envelopeRows));
  out.push('');
  out.push('## Types');
  out.push('');
  out.push('| Type | Meaning |');
  out.push('| --- | --- |');
  for (const [name, meaning] of Object.entries(SCALARS)) out.push(`| \`${name}\` | ${meaning} |`);
  out.push('');
  out.push('## Schema versions and upcasters');
  out.push('');
  out.push(
    'Every event type is at schema version 1 unless listed. Older versions are upcast on read; the stored event and its hash never change.',
  );
  out.push('');
  out.push('| Event | Current version | Upcasters |');
  out.push('| --- | --- | --- |');
  for (const [type, version] of Object.entries(CURRENT_SCHEMA_VERSIONS).sort())
    out.push(
      `| ${type} | ${version} | ${DEFAULT_UPCASTERS.filter((u) => u.type === type)
        .map((u) => `v${u.fromVersion} → v${u.fromVersion + 1}`)
        .join(', ')} |`,
    );
  for (const aggregate of AGGREGATES) {
    out.push('');
    out.push(`## ${HEADINGS[aggregate]}`);
    for (const [name, codec] of byAggregate(events, aggregate)) {
      out.push('');
      out.push(`### ${name}`);
      out.push('');
      out.push(
        `${EVENT_LABELS[name] ? `${EVENT_LABELS[name]} · ` : ''}stream \`${STREAMS[aggregate]}\` · schema version ${CURRENT_SCHEMA_VERSIONS[name] ?? 1}`,
      );
      out.push('');
      out.push(...table(fieldsOf(codec, 'data')));
    }
  }
  out.push('');
  out.push('## Commands');
  out.push('');
  out.push(
    'What callers hand to `engine.execute({ type, data }, { actor, at, commandId })`. Actor and time travel in the second argument; `data` is below.',
  );
  for (const [name, codec] of commands) {
    out.push('');
    out.push(`### ${name} (command)`);
    out.push('');
    out.push(`${aggregateOf(name)} stream`);
    out.push('');
    out.push(...table(fieldsOf(codec, 'data')));
  }
  return `${out.join('\n')}\n`;
};
