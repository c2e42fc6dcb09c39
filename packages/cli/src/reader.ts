import { isLeft } from 'fp-ts/Either';
import { Id, canRead, decodeWith, type Actor, type ActorKind, type TaskState } from '@duban/domain';
import type { SupervisionModel } from '@duban/engine';
import { CliError, EXIT, usageError } from './io';
import { inline } from './terminal';

/**
 * `--as ACTOR`: whom a report, an explanation or a replay is read as (在一定范围内). Without it the CLI
 * reads as an auditor: everything. What each reader may read is the domain's `canRead`.
 */
const KINDS: readonly ActorKind[] = [
  'unit',
  'section',
  'main-leader',
  'deputy-leader',
  'inspection-office',
  'auditor',
  'system',
];

export const READER_HELP =
  'read as this actor, KIND:ID — unit:UNIT-ID or section:SECTION-ID (the organisation), main-leader:ID, deputy-leader:ID, inspection-office:ID, auditor:ID or system:ID (the person); a unit sees its own tasks and the published 通报, a section the tasks it supervises (default: as an auditor, everything)';

/** A reader as `KIND:ID`: a unit or section by its organisation's id, anyone else by their own. */
export const parseReader = (value: string): Actor => {
  const m = /^([a-z-]+):(.*)$/.exec(value);
  const kind = m?.[1] as ActorKind | undefined;
  if (!m || !KINDS.includes(kind!))
    throw usageError(
      `--as ${inline(value)}: must be KIND:ID with KIND one of ${KINDS.join(', ')} (e.g. unit:bureau-of-transport, section:section-2, auditor:audit-1)`,
    );
  const id = decodeWith(Id, m[2]);
  if (isLeft(id)) throw usageError(`--as ${inline(value)}: the id ${id.left.problems[0]!.message}`);
  return kind === 'unit' || kind === 'section'
    ? { kind: kind!, id: id.right, unitId: id.right }
    : { kind: kind!, id: id.right };
};

/** `unit:bureau-of-transport`, as the reader was named. */
export const readerText = (actor: Actor): string => inline(`${actor.kind}:${actor.unitId ?? actor.id}`);

/**
 * A unit or section the history never names would read an empty page that looks like "nothing to
 * report": refused instead, so a typing mistake is not taken for a clean record.
 */
export const checkReaderKnown = (label: string, model: SupervisionModel, actor: Actor): void => {
  const org = actor.unitId;
  if (org === undefined || (actor.kind !== 'unit' && actor.kind !== 'section')) return;
  const tasks = Object.values(model.tasks);
  const known =
    actor.kind === 'unit'
      ? org in model.office.units ||
        org in model.units ||
        tasks.some((t) => t.leadUnit === org || t.coUnits.includes(org))
      : org in model.office.sections ||
        tasks.some(
          (t) => t.sectionId === org || (t.supervisor.kind === 'section' && t.supervisor.sectionId === org),
        );
  if (!known)
    throw new CliError(
      `${label}: --as ${readerText(actor)}: no ${actor.kind} ${inline(org)} in this history (no task names it and the office record does not list it); nothing was read`,
      EXIT.failed,
    );
};

/** What a reader is refused when asking for a task outside its scope. */
const SCOPE_RULE: Readonly<Partial<Record<ActorKind, string>>> = {
  unit: 'a unit reads only the tasks it leads or co-operates on (在一定范围内)',
  section: 'a section reads only the tasks it handed out or supervises (在一定范围内)',
};

/** Refuses (exit 1, like any refusal) a task the reader may not read; the task is not shown at all. */
export const checkTaskReadable = (label: string, taskId: string, state: TaskState, actor?: Actor): void => {
  if (actor === undefined || canRead(actor, { kind: 'task', task: state })) return;
  throw new CliError(
    `${label}: --as ${readerText(actor)} may not read task ${inline(taskId)}: ${SCOPE_RULE[actor.kind] ?? 'outside its read scope'}`,
    EXIT.failed,
  );
};
