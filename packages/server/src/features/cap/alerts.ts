import { capInfoFor, type CapAlert, type CapAreaMapping, type PlaceSummary } from '@watchfloor/core';
import { ALL_ROWS, type AlertRow, type AlertsRepository, type CapMessageRecord, type CapRepository } from '@watchfloor/db';

/** Who acts on alerts when a CAP message raises, updates or cancels them. */
export const CAP_ACTOR = 'cap';

/** The subject of a CAP alert: the sender and identifier of the message that raised it. */
export function capSubjectKey(sender: string, identifier: string): string {
  return `${sender},${identifier}`;
}

/**
 * The one place an alert names for the places a message covers: the one
 * place, else the parent they share (the communes of a province give the
 * province), else the first by code. The full list stays with the message.
 */
export function alertPlaceOf(places: readonly Pick<PlaceSummary, 'code' | 'parentCode'>[]): string | null {
  const codes = [...new Set(places.map((p) => p.code))].sort();
  if (codes.length <= 1) return codes[0] ?? null;
  const parents = new Set(places.map((p) => p.parentCode));
  const [parent] = parents;
  if (parents.size === 1 && parent) return parent;
  return codes[0] ?? null;
}

/**
 * What an imported message does to alerts, in the import's transaction:
 * an Alert (or an Update of a message never received) opens one; an
 * Update changes the alert of the messages it references; a Cancel
 * resolves it. Only actual messages raise alerts (not exercises, tests or
 * drafts); Ack and Error messages change none. Answers the alert changed,
 * to publish after the commit. The repositories are the import's transaction.
 */
export async function applyCapMessage(
  repos: { alerts: AlertsRepository; caps: CapRepository },
  stored: CapMessageRecord,
  doc: CapAlert,
  earlier: readonly CapMessageRecord[],
  at: string,
): Promise<AlertRow | null> {
  if (doc.status !== 'Actual' || (doc.msgType !== 'Alert' && doc.msgType !== 'Update' && doc.msgType !== 'Cancel')) return null;
  const { alerts, caps } = repos;
  const linked = earlier.map((e) => e.alert_id).find((id): id is number => id !== null);
  const current = linked === undefined ? undefined : await alerts.get(linked, ALL_ROWS);
  const note = `${doc.msgType} ${doc.identifier} (${doc.sent})`;

  if (doc.msgType === 'Cancel') {
    if (!current) return null;
    await caps.setAlert(stored.id, current.id);
    if (!(await alerts.resolve(current.id, CAP_ACTOR, at, false))) return null;
    await alerts.addEvent(current.id, { at, actor: CAP_ACTOR, kind: 'resolved', value: null, note });
    return (await alerts.get(current.id, ALL_ROWS)) ?? null;
  }

  const mappings = stored.areas as CapAreaMapping[];
  const info = capInfoFor(doc, 'vi-VN');
  const u = {
    placeCode: alertPlaceOf(mappings.flatMap((m) => m.places)),
    severity: stored.severity,
    message: info?.headline ?? info?.event ?? doc.identifier,
    expiresAt: stored.expires_at,
    at,
  };
  if (current && current.status !== 'resolved') {
    await caps.setAlert(stored.id, current.id);
    await alerts.updateCap(current.id, u);
    await alerts.addEvent(current.id, { at, actor: CAP_ACTOR, kind: 'updated', value: null, note });
    return (await alerts.get(current.id, ALL_ROWS)) ?? null;
  }
  const { alert, created } = await alerts.raiseCap({ ...u, subjectKey: current?.subject_key ?? capSubjectKey(doc.sender, doc.identifier), public: doc.scope === 'Public' });
  await caps.setAlert(stored.id, alert.id);
  if (!created) return null;
  await alerts.addEvent(alert.id, { at, actor: CAP_ACTOR, kind: 'opened', value: null, note });
  return alert;
}
