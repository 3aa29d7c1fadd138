import { describe, expect, it } from 'vitest';
import { directiveDocumentSchema, directiveTaskId, normaliseDirectiveNumber, type DirectiveDocumentInput } from './schemas';

const document: DirectiveDocumentInput = {
  number: '125/TB-UBND',
  date: '2026-03-02',
  issuer: 'UBND tỉnh Vĩnh Long',
  signer: 'Chủ tịch UBND tỉnh',
  kind: 'conclusion',
  summary: 'Kết luận của Chủ tịch UBND tỉnh tại cuộc họp giao ban tháng 3/2026',
  tasks: [
    { key: '1', text: 'Hoàn thành giải phóng mặt bằng tuyến tránh', lead: 'SXD', cooperating: ['STC'], deadline: { kind: 'date', date: '2026-03-31' }, links: { places: ['86'], cases: ['PA000123'] } },
    { key: '2.a', text: 'Báo cáo tiến độ giải ngân vốn đầu tư công', lead: 'STC', deadline: { kind: 'monthly', day: 25 } },
    { key: '3', text: 'Theo dõi tình hình dịch bệnh', lead: 'SYT', deadline: { kind: 'regular' } },
  ],
};

describe('a directive document as imported', () => {
  it('reads a document with its tasks, filling what is left out: not public, no confirmation asked, no links', () => {
    const d = directiveDocumentSchema.parse(document);
    expect([d.published, d.confirmDone, d.synthetic]).toEqual([false, false, false]);
    expect(d.tasks[0]!.links).toEqual({ places: ['86'], indicators: [], cases: ['PA000123'], parCriteria: [] });
    expect(d.tasks[1]).toMatchObject({ cooperating: [], deadline: { kind: 'monthly', day: 25, until: null } });
    expect(directiveDocumentSchema.parse({ ...document, tasks: [{ key: 'Q', text: 'Báo cáo quý', lead: 'SNV', deadline: { kind: 'quarterly', day: 20 } }] }).tasks[0]!.deadline).toEqual({
      kind: 'quarterly',
      month: 3,
      day: 20,
      until: null,
    });
  });

  it('refuses a key used twice, a lead agency also co-operating, a deadline before the document, saying where', () => {
    const bad = {
      ...document,
      tasks: [
        { key: '1', text: 'a', lead: 'SXD', cooperating: ['SXD', 'STC', 'STC'], deadline: { kind: 'date', date: '2026-03-01' } },
        { key: '1', text: 'b', lead: 'STC', deadline: { kind: 'monthly', day: 25, until: '2026-02-28' } },
      ],
    };
    const r = directiveDocumentSchema.safeParse(bad);
    expect(r.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['tasks.0.cooperating', 'task 1: the lead agency SXD is not also co-operating'],
      ['tasks.0.cooperating', 'task 1: a co-operating agency is listed twice'],
      ['tasks.0.deadline', 'task 1: due 2026-03-01, before the document’s date 2026-03-02'],
      ['tasks.1.key', 'the task key 1 is used twice'],
      ['tasks.1.deadline', 'task 1: due 2026-02-28, before the document’s date 2026-03-02'],
    ]);
  });

  it('refuses a document without tasks, an unknown kind, a day of month beyond 31, a malformed case id', () => {
    expect(directiveDocumentSchema.safeParse({ ...document, tasks: [] }).success).toBe(false);
    expect(directiveDocumentSchema.safeParse({ ...document, kind: 'decision' }).success).toBe(false);
    expect(directiveDocumentSchema.safeParse({ ...document, tasks: [{ ...document.tasks[1]!, deadline: { kind: 'monthly', day: 32 } }] }).success).toBe(false);
    expect(directiveDocumentSchema.safeParse({ ...document, tasks: [{ ...document.tasks[0]!, links: { cases: ['123'] } }] }).success).toBe(false);
  });
});

describe('the idempotency key of a task', () => {
  it('is the document number, written one way, and the task key', () => {
    expect(normaliseDirectiveNumber(' 125 / tb - ubnd ')).toBe('125/TB-UBND');
    expect(normaliseDirectiveNumber('45/CT-UBND')).toBe('45/CT-UBND');
    expect(directiveTaskId('125/tb-UBND', '2.a')).toBe('125/TB-UBND#2.a');
    expect(directiveTaskId('125/TB-UBND', '2.a')).toBe(directiveTaskId('125 / TB-UBND', '2.a'));
    expect(directiveTaskId('125/TB-UBND', '2.a')).not.toBe(directiveTaskId('125/TB-UBND', '2.b'));
  });
});
