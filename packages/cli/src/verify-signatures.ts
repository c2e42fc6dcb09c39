import { createSignatureAudit, type Hashable } from '@duban/engine';
import type { Problem } from './checked';

/**
 * `duban verify`'s check of signed commands (docs/auditing.md, "Signed commands"): every signature in
 * the history, against the keys on the office's record at that point of it. A signature that does not
 * verify, one made with a key not in force, and an unsigned command from someone who had a key are
 * problems of their line, stream and revision.
 */
export const createSignatureCheck = () => {
  const audit = createSignatureAudit();
  return {
    push: (event: Hashable | undefined, line: number | undefined) => audit.push(event, line),
    finish() {
      const report = audit.finish();
      const problems: Problem[] = report.findings.map((f) => ({
        kind: 'signature',
        ...(f.line === undefined ? {} : { line: f.line }),
        streamId: f.streamId,
        revision: f.revision,
        field: 'metadata.signature',
        message: f.message,
      }));
      return { signed: report.signed, verified: report.verified, problems };
    },
  };
};

/** The verdict's note on signatures, when the history holds any. */
export const signaturesSummary = (signed: number, verified: number): string | undefined =>
  signed === 0
    ? undefined
    : `${signed} signed command event${signed === 1 ? '' : 's'}, ${verified} verif${verified === 1 ? 'ies' : 'y'} with the key on record then`;
