import type { TaskEvent } from '../events';
import { mayRecordFacts } from './roles';
import { nothing, denied, pick, type Handlers } from './shared';
import { regradeAfter } from './regrade';
import { right } from 'fp-ts/Either';

/** Facts that bear on the grade, before or after closure: recognition, criticism, falsification. */
export const ratingFacts: Handlers<'RecordRecognition' | 'RecordCriticism' | 'RecordFalsification'> = {
  RecordRecognition({ data, actor, at }, s, ctx) {
    if (!mayRecordFacts(actor, s)) return denied(actor, `record recognition on task ${s.taskId}`);
    if (s.recognitions.some((r) => r.id === data.recognitionId)) return nothing;
    const fact: TaskEvent = {
      type: 'RecognitionRecorded',
      data: { taskId: s.taskId, at, ...pick(data, 'recognitionId', 'source', 'reference', 'summary') },
    };
    // Praise lifts the grade to excellent unless a negative finding stands against the task (criticism,
    // falsification, lateness, a failed look-back): negative findings outweigh praise, as in grading.
    return right(
      regradeAfter(s, fact, ctx, (g, suggestion) => (suggestion.grade === 'excellent' ? 'excellent' : g)),
    );
  },
  RecordCriticism({ data, actor, at }, s, ctx) {
    if (!mayRecordFacts(actor, s)) return denied(actor, `record criticism on task ${s.taskId}`);
    if (s.criticisms.some((c) => c.id === data.criticismId)) return nothing;
    const fact: TaskEvent = {
      type: 'CriticismRecorded',
      data: { taskId: s.taskId, at, ...pick(data, 'criticismId', 'source', 'reference', 'summary') },
    };
    return right(regradeAfter(s, fact, ctx, () => 'very-poor'));
  },
  RecordFalsification({ data, actor, at }, s, ctx) {
    if (!mayRecordFacts(actor, s)) return denied(actor, `record falsification on task ${s.taskId}`);
    if (s.falsifications.some((f) => f.id === data.findingId)) return nothing;
    const fact: TaskEvent = {
      type: 'FalsificationFound',
      data: { taskId: s.taskId, at, ...pick(data, 'findingId', 'description', 'consequences') },
    };
    return right(regradeAfter(s, fact, ctx, () => 'very-poor'));
  },
};
