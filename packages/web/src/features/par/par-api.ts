import { parApi, type ParDeadlines } from '@watchfloor/core';
import { call, fresh, hrefOf } from '../../lib/client';

/**
 * Requests of the PAR Index assessment screens and the cycle desk, every
 * answer checked against core's schemas. Nothing is kept between screens:
 * an assessment shows the state of now, and after a change the screen reads
 * it again.
 */

interface Leaf {
  id: number;
  unit: string;
  criterion: string;
}

const leafParams = (l: Leaf) => ({ params: { id: l.id, unit: l.unit, criterion: l.criterion } });
const unitParams = (id: number, unit: string) => ({ params: { id, unit } });
const note = (text: string | undefined) => (text?.trim() ? { note: text.trim() } : {});
/** An empty text is no text: sent as null, which clears it. */
const text = (s: string) => (s.trim() ? s.trim() : null);

export const parDeskApi = {
  frameworks: () => fresh(parApi.frameworks),
  framework: (code: string) => fresh(parApi.framework, { params: { code } }),
  cycles: () => fresh(parApi.cycles),
  cycle: (id: number) => fresh(parApi.cycle, { params: { id } }),
  late: (id: number) => fresh(parApi.late, { params: { id } }),
  openCycle: (frameworkCode: string, deadlines: ParDeadlines) => call(parApi.openCycle, { body: { frameworkCode, deadlines } }),
  refresh: (id: number) => call(parApi.refreshComputed, { params: { id } }),
  publish: (id: number) => call(parApi.publish, { params: { id } }),

  assessment: (id: number, unit: string) => fresh(parApi.assessment, unitParams(id, unit)),
  /** The unit's points and explanation of a self-assessed or deduction leaf. */
  assess: (l: Leaf, points: number | null, explanation: string) => call(parApi.assess, { ...leafParams(l), body: { points, note: text(explanation) } }),
  /** The unit's reason for disputing computed or survey points (empty: the dispute is taken back). */
  dispute: (l: Leaf, reason: string) => call(parApi.assess, { ...leafParams(l), body: { dispute: text(reason) } }),
  appraise: (l: Leaf, points: number | null, reason: string) => call(parApi.appraise, { ...leafParams(l), body: { points, reason: text(reason) } }),
  answer: (l: Leaf, response: string) => call(parApi.answer, { ...leafParams(l), body: { response: text(response) } }),
  decide: (l: Leaf, points: number | null, reason: string) => call(parApi.decide, { ...leafParams(l), body: { points, reason: text(reason) } }),
  submit: (id: number, unit: string, n?: string) => call(parApi.submit, { ...unitParams(id, unit), body: note(n) }),
  returnAppraisal: (id: number, unit: string, n?: string) => call(parApi.returnAppraisal, { ...unitParams(id, unit), body: note(n) }),
  finishAnswer: (id: number, unit: string, n?: string) => call(parApi.finishAnswer, { ...unitParams(id, unit), body: note(n) }),
  finalise: (id: number, unit: string, n?: string) => call(parApi.finalise, { ...unitParams(id, unit), body: note(n) }),

  uploadEvidence: (l: Leaf, file: File) => {
    const body = new FormData();
    body.append('file', file, file.name);
    return call(parApi.uploadEvidence, { ...leafParams(l), body });
  },
  removeEvidence: (evidenceId: number) => call(parApi.removeEvidence, { params: { evidenceId } }),
  evidenceUrl: (evidenceId: number) => hrefOf(parApi.evidence, { params: { evidenceId } }),
};
