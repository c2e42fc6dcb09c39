import * as t from 'io-ts';
import { Id } from './codec';

/** Who acts (docs/domain.md). `system` is the 13710 supervision system's own clock sweep. */
export const ActorKind = t.keyof({
  'main-leader': null, // 市政府主要领导
  'deputy-leader': null, // 市政府分管领导
  section: null, // 市政府办对应科室 / 秘书科室
  'inspection-office': null, // 督查室
  unit: null, // 承办单位 (牵头单位 / 协办单位)
  auditor: null, // reads and replays; issues no command
  system: null, // 督办系统: may only run CheckDeadlines
});
export type ActorKind = t.TypeOf<typeof ActorKind>;

/**
 * An actor: a person (`id`) of a kind. `unitId` names the organisation they act for: the unit for
 * `unit`, the section for `section`.
 */
export const Actor = t.intersection(
  [t.strict({ id: Id, kind: ActorKind }), t.exact(t.partial({ unitId: Id }))],
  'Actor',
);
export type Actor = t.TypeOf<typeof Actor>;
