import { produce } from 'immer';
import type { UnitEvent, UnitEventOf, UnitEventType } from './events';

/** What a unit's own stream establishes: inspections per quarter and accountability acts. */
export interface UnitState {
  version: number;
  unitId: string;
  inspections: Array<{ id: string; quarter: string }>;
  interviews: Array<{ id: string; status: 'scheduled' | 'held'; revision: number; scheduledFor: string }>;
  referrals: string[];
  commendations: string[];
  criticisms: string[];
}

export const initialUnitState = (): UnitState => ({
  version: 0,
  unitId: '',
  inspections: [],
  interviews: [],
  referrals: [],
  commendations: [],
  criticisms: [],
});

type Recipe<K extends UnitEventType> = (draft: UnitState, event: UnitEventOf<K>) => void;

export const unitRecipes: { readonly [K in UnitEventType]: Recipe<K> } = {
  InspectionRecorded(s, { data }) {
    s.unitId = data.unitId;
    s.inspections.push({ id: data.inspectionId, quarter: data.quarter });
  },
  InterviewScheduled(s, { data }) {
    s.unitId = data.unitId;
    s.interviews.push({
      id: data.interviewId,
      status: 'scheduled',
      revision: s.version,
      scheduledFor: data.scheduledFor,
    });
  },
  InterviewRecorded(s, { data }) {
    const i = s.interviews.find((x) => x.id === data.interviewId);
    if (i) i.status = 'held';
  },
  ReferredToDiscipline(s, { data }) {
    s.unitId = data.unitId;
    s.referrals.push(data.referralId);
  },
  CommendationPublished(s, { data }) {
    s.unitId = data.unitId;
    s.commendations.push(data.commendationId);
  },
  CriticismPublished(s, { data }) {
    s.unitId = data.unitId;
    s.criticisms.push(data.criticismId);
  },
};

export const applyUnit = (state: UnitState, event: UnitEvent): UnitState => {
  (unitRecipes[event.type] as Recipe<UnitEventType>)(state, event as never);
  state.version += 1;
  return state;
};

export const evolveUnit = (state: UnitState, event: UnitEvent): UnitState =>
  produce(state, (draft) => {
    applyUnit(draft, event);
  });
