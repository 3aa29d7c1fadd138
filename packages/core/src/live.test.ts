import { describe, expect, it } from 'vitest';
import { directiveChanged, liveEventSchema } from './live';

describe('the news of a change to a directive document', () => {
  it('names each lead agency once, and none (marked partial) when they are more than 200', () => {
    expect(directiveChanged('125/TB-UBND', ['VL-STC', 'VL-SYT', 'VL-STC'], false)).toEqual({ type: 'directive.changed', document: '125/TB-UBND', agencies: ['VL-STC', 'VL-SYT'], published: false });
    const communes = Array.from({ length: 201 }, (_, i) => `UBND-${29000 + i}`);
    const many = directiveChanged('9/KH-UBND', communes, true);
    expect(many).toEqual({ type: 'directive.changed', document: '9/KH-UBND', agencies: [], published: true, partial: true });
    // Both are events the hub accepts; 200 agencies still fit.
    expect(liveEventSchema.safeParse(many).success).toBe(true);
    expect(directiveChanged('9/KH-UBND', communes.slice(0, 200), true).agencies).toHaveLength(200);
  });
});
