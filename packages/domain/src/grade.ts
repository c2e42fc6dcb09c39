import * as t from 'io-ts';

/** The five grades of 评估考核, best first. */
export const Grade = t.keyof({
  excellent: null, // 落实好
  good: null, // 落实较好
  basic: null, // 基本落实
  poor: null, // 落实不力
  'very-poor': null, // 落实较差
});
export type Grade = t.TypeOf<typeof Grade>;

export const GRADES: readonly Grade[] = ['excellent', 'good', 'basic', 'poor', 'very-poor'];

export const GRADE_LABELS: Readonly<Record<Grade, { readonly en: string; readonly zh: string }>> = {
  excellent: { en: 'excellent', zh: '落实好' },
  good: { en: 'good', zh: '落实较好' },
  basic: { en: 'basically implemented', zh: '基本落实' },
  poor: { en: 'poorly implemented', zh: '落实不力' },
  'very-poor': { en: 'very poorly implemented', zh: '落实较差' },
};

/** Lower is better: 0 for excellent, 4 for very-poor. */
export const gradeRank = (g: Grade): number => GRADES.indexOf(g);

export const worseOf = (a: Grade, b: Grade): Grade => (gradeRank(a) >= gradeRank(b) ? a : b);
