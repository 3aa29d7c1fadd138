import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  AppError,
  capAlertSchema,
  capAlertSeverity,
  capInstant,
  capReferences,
  vietnamDate,
  type CapAlert,
  type CapAreaMapping,
  type CapImportResult,
  type CapMessage,
  type DataScope,
} from '@watchfloor/core';
import { ALL_ROWS, AlertsRepository, CapRepository, reaches, resolveScope, type AlertRow, type CapMessageRecord } from '@watchfloor/db';
import { CapValidator, parseCapDocument } from '@watchfloor/connectors';
import type { AppContext } from '../../context';
import { REFERENCE_DATA_DIR } from '../../paths';
import { publishAlertChanged } from '../alerts/evaluation';
import { applyCapMessage } from './alerts';
import { CapAreaMapper } from './areas';

/** The CAP 1.2 schema the product ships; read once per process. */
let validator: Promise<CapValidator> | null = null;
export function capValidator(): Promise<CapValidator> {
  validator ??= readFile(join(REFERENCE_DATA_DIR, 'cap', 'CAP-v1.2.xsd'), 'utf8').then((xsd) => new CapValidator(xsd));
  return validator;
}

/**
 * CAP messages from other agencies: validated against the schema, read,
 * their areas mapped onto our places as of the day they were sent (in
 * Vietnam), and stored once per sender × identifier × sent. An Update or a
 * Cancel marks the messages it references as replaced (and withdrawn).
 * An actual message raises, updates or resolves an alert (origin `cap`)
 * in the same transaction; `alert.changed` goes out after the commit.
 */
export class CapService {
  private readonly repo: CapRepository;

  constructor(private readonly ctx: AppContext) {
    this.repo = new CapRepository(ctx.store.db);
  }

  /**
   * Imports one document for a caller whose `alerts.handle` scope is
   * `handle`: a scoped caller may import only a message one of whose places
   * is within that scope (else `forbidden`), so what they import stays theirs to see.
   */
  async import(xml: string, handle: DataScope): Promise<CapImportResult> {
    const alert = await parseCapDocument(xml, await capValidator());
    const sentAt = capInstant(alert.sent);
    // The same sender, identifier and instant is the same message, however its offset is written.
    const known = await this.repo.findReferenced(alert.sender, alert.identifier, alert.sent);
    if (known) return { message: this.view(known), duplicate: true, updated: [], unknownReferences: [] };

    const at = vietnamDate(new Date(sentAt));
    const mapper = new CapAreaMapper(this.ctx.store.db);
    const areas: CapAreaMapping[] = [];
    const places = new Map<number, { id: number; code: string }>();
    for (const [i, info] of alert.info.entries()) {
      for (const [j, area] of info.area.entries()) {
        const mapped = await mapper.map(area, at);
        areas.push({ info: i, area: j, ...mapped.mapping });
        for (const p of mapped.placeIds) places.set(p.id, p);
      }
    }
    if (handle.kind !== 'all') {
      const scope = await resolveScope(this.ctx.store.db, handle);
      let within = false;
      for (const p of places.values()) if (!within && (await reaches(this.ctx.store.db, scope, { placeCode: p.code }))) within = true;
      if (!within) throw new AppError('forbidden', 'None of the places this CAP message covers is within the scope of alerts you may handle');
    }
    const expires = alert.info.map((i) => i.expires).filter((e): e is string => e !== undefined).map(capInstant).sort().at(-1) ?? null;
    const now = this.ctx.clock.now().toISOString();

    let changed: AlertRow | null = null;
    const result = await this.ctx.store.db.transaction().execute(async (trx): Promise<CapImportResult> => {
      const repo = new CapRepository(trx);
      const stored = await repo.insert({
        sender: alert.sender,
        identifier: alert.identifier,
        sent: alert.sent,
        sentAt,
        status: alert.status,
        msgType: alert.msgType,
        scope: alert.scope,
        severity: capAlertSeverity(alert),
        expiresAt: expires,
        document: alert,
        xml,
        areas,
        receivedAt: now,
        places: [...places.values()],
      });
      if (!stored.created) return { message: this.view(await this.mustGet(repo, stored.id)), duplicate: true, updated: [], unknownReferences: [] };
      const updated: number[] = [];
      const earlierRecords: CapMessageRecord[] = [];
      const unknownReferences: string[] = [];
      if (alert.msgType === 'Update' || alert.msgType === 'Cancel') {
        for (const ref of capReferences(alert.references)) {
          const earlier = await repo.findReferenced(ref.sender, ref.identifier, ref.sent);
          if (earlier && earlier.id !== stored.id) {
            updated.push(earlier.id);
            earlierRecords.push(earlier);
          } else unknownReferences.push(`${ref.sender},${ref.identifier},${ref.sent}`);
        }
        await repo.markReplaced(updated, stored.id, alert.msgType === 'Cancel' ? now : null);
      }
      changed = await applyCapMessage({ alerts: new AlertsRepository(trx), caps: repo }, await this.mustGet(repo, stored.id), alert, earlierRecords, now);
      return { message: this.view(await this.mustGet(repo, stored.id)), duplicate: false, updated, unknownReferences };
    });
    if (changed) publishAlertChanged(this.ctx, changed);
    return result;
  }

  /** One message, if one of its places is within the caller's scope (unscoped callers see all); outside it, as unknown. */
  async get(id: number, access: DataScope): Promise<CapMessage> {
    const r = await this.repo.get(id, await resolveScope(this.ctx.store.db, access));
    if (!r) throw new AppError('not_found', `No CAP message has id ${id}`);
    return this.view(r);
  }

  /** A stored message, whatever its places (publishing decides what is public). */
  async record(id: number): Promise<CapMessageRecord | undefined> {
    return this.repo.get(id, ALL_ROWS);
  }

  /** Messages one of whose places is within the caller's scope (unscoped callers: all). */
  async list(filter: { scope?: string; limit?: number }, access: DataScope): Promise<CapMessage[]> {
    return (await this.repo.list(filter, await resolveScope(this.ctx.store.db, access))).map((r) => this.view(r));
  }

  /** Stored messages, newest first, as records (for publishing: whether each is public depends on its alert). */
  async records(limit: number): Promise<CapMessageRecord[]> {
    return this.repo.list({ limit }, ALL_ROWS);
  }

  /** The messages a message replaced or withdrew. */
  async replacedBy(id: number): Promise<CapMessageRecord[]> {
    return this.repo.replacedBy(id);
  }

  private async mustGet(repo: CapRepository, id: number): Promise<CapMessageRecord> {
    const r = await repo.get(id, ALL_ROWS);
    if (!r) throw new Error(`CAP message ${id} vanished inside its transaction`);
    return r;
  }

  view(r: CapMessageRecord): CapMessage {
    const doc = capAlertSchema.parse(r.document);
    return {
      id: r.id,
      identifier: r.identifier,
      sender: r.sender,
      sent: r.sent,
      status: doc.status,
      msgType: doc.msgType,
      scope: doc.scope,
      severity: r.severity as CapMessage['severity'],
      event: doc.info[0]?.event ?? null,
      headline: doc.info[0]?.headline ?? null,
      languages: doc.info.map((i) => i.language),
      expiresAt: r.expires_at,
      receivedAt: r.received_at,
      state: r.cancelled_at !== null ? 'cancelled' : r.replaced_by !== null ? 'updated' : 'active',
      replacedBy: r.replaced_by,
      alertId: r.alert_id,
      areas: r.areas as CapAreaMapping[],
    };
  }
}

export function documentOf(r: CapMessageRecord): CapAlert {
  return capAlertSchema.parse(r.document);
}
