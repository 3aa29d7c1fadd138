import { describe, expect, it } from 'vitest';
import type { Alert, Case } from '@watchfloor/core';
import { buildFeed } from './feed-model';

const alert = (id: number, openedAt: string, over: Partial<Alert> = {}): Alert => ({
  id,
  origin: 'rule',
  public: false,
  expiresAt: null,
  rule: 'PM25_HIGH',
  kind: 'threshold',
  subjectKey: `29242|PM25`,
  placeCode: '29242',
  agency: null,
  severity: 'warning',
  status: 'open',
  openedAt,
  value: 80,
  message: `Alert ${id}`,
  acknowledgedBy: null,
  acknowledgedAt: null,
  resolvedBy: null,
  resolvedAt: null,
  autoResolved: false,
  escalationLevel: 0,
  ...over,
});

const kase = (id: string, receivedAt: string): Case => ({
  id,
  category: 'GIAO_THONG',
  title: `Case ${id}`,
  description: null,
  lat: 9.9,
  lon: 106.3,
  placeCode: '29242',
  provinceCode: '86',
  address: null,
  media: [],
  channel: 'operator',
  priority: 'normal',
  organisation: null,
  organisationName: null,
  status: 'new',
  receivedAt,
  deadlineAt: '2026-11-30T03:00:00Z',
  deadlineState: 'on_track',
  satisfaction: null,
  createdAt: receivedAt,
  updatedAt: receivedAt,
});

const PROVINCE = { code: '86', level: 'province', children: ['29242', '29245'] };

describe('the live feed', () => {
  it('merges open alerts and cases newest first, each linking to its screen', () => {
    const feed = buildFeed(
      [alert(1, '2026-11-28T01:00:00Z'), alert(2, '2026-11-28T02:30:00Z', { status: 'acknowledged' })],
      [kase('PA000002', '2026-11-28T02:00:00Z'), kase('PA000001', '2026-11-27T09:00:00Z')],
      PROVINCE,
      10,
    );
    expect(feed.map((i) => [i.key, i.href])).toEqual([
      ['alert:2', '/desk/alerts'],
      ['case:PA000002', '/cases/PA000002'],
      ['alert:1', '/desk/alerts'],
      ['case:PA000001', '/cases/PA000001'],
    ]);
  });

  it('leaves out resolved alerts and those of other places; alerts about no place belong to the province', () => {
    const alerts = [
      alert(1, '2026-11-28T01:00:00Z', { status: 'resolved' }),
      alert(2, '2026-11-28T01:00:00Z', { placeCode: '80' }),
      alert(3, '2026-11-28T01:00:00Z', { placeCode: null }),
      alert(4, '2026-11-28T01:00:00Z', { placeCode: '29245' }),
    ];
    expect(buildFeed(alerts, [], PROVINCE, 10).map((i) => i.key)).toEqual(['alert:3', 'alert:4']);
    expect(buildFeed(alerts, [], { code: '29245', level: 'commune', children: [] }, 10).map((i) => i.key)).toEqual(['alert:4']);
  });

  it('puts the more severe alert first at the same instant, and keeps at most the limit', () => {
    const at = '2026-11-28T01:00:00Z';
    const feed = buildFeed([alert(1, at, { severity: 'info' }), alert(2, at, { severity: 'critical' }), alert(3, at)], [kase('PA000001', at)], PROVINCE, 3);
    expect(feed.map((i) => i.key)).toEqual(['alert:2', 'alert:3', 'alert:1']);
  });
});
