import { sql, type Kysely, type RawBuilder, type Selectable, type SqlBool, type Transaction } from 'kysely';
import { alertRuleSchema, type AlertRule, type SopStepDefinition } from '@watchfloor/core';
import type { AlertEventTable, AlertTable, Database, NotificationTable, SopStepTable } from '../schema';
import { inScope, type ResolvedScope } from '../scope';
import { caseInScope } from './cases';
import { readJsonColumn } from './sources';

type Db = Kysely<Database> | Transaction<Database>;
export type AlertRow = Selectable<AlertTable>;
export type AlertEventRow = Selectable<AlertEventTable>;
export type NotificationRow = Selectable<NotificationTable>;
export type SopStepRow = Selectable<SopStepTable>;

const UNRESOLVED = ['open', 'acknowledged'];

/**
 * Where an alert is judged for access (`a` the alias, or the table): its
 * place and its agency; an alert without a place (a late source) stands
 * where its agency is, as `reaches` judges one with `orgPlace`.
 */
export function alertInScope(scope: ResolvedScope, alias = 'alert'): RawBuilder<SqlBool> {
  if (scope.kind !== 'grants') return inScope(scope, {});
  const own = inScope(scope, { placeCode: `${alias}.place_code`, orgCode: `${alias}.org_code` });
  const byAgency = inScope(scope, { orgCode: `${alias}.org_code`, orgPlace: true });
  return sql<SqlBool>`(${own} or (${sql.ref(`${alias}.place_code`)} is null and ${byAgency}))`;
}

/**
 * Where a rule is judged for access: the place and agency it is about
 * (`ruleSubjectScope`), by the same rule as its alerts, so whoever reads a
 * rule's alerts reads the rule. A rule about no place and no agency (the
 * whole deployment) is reached only by an unscoped grant.
 */
export function ruleInScope(scope: ResolvedScope): RawBuilder<SqlBool> {
  return alertInScope(scope, 'alert_rule');
}

export interface AlertFilter {
  status?: readonly string[] | undefined;
  severity?: string | undefined;
  placeCode?: string | undefined;
  ruleCode?: string | undefined;
  orgCode?: string | undefined;
  origin?: string | undefined;
  publicOnly?: boolean | undefined;
  limit?: number | undefined;
}

export interface RaiseInput {
  ruleCode: string;
  subjectKey: string;
  placeCode: string | null;
  orgCode: string | null;
  severity: string;
  value: number | null;
  message: string;
  at: string;
  /** Published in the CAP feed from the start (the rule's `public`). */
  public?: boolean;
}

/** An alert imported from a CAP message (no rule). */
export interface CapAlertInput {
  subjectKey: string;
  placeCode: string | null;
  severity: string;
  message: string;
  public: boolean;
  expiresAt: string | null;
  at: string;
}

/** A figure as filed, for threshold and rate rules on an indicator. */
export interface FiledFact {
  placeCode: string;
  periodKey: string;
  periodEnd: string;
  value: number;
  recordedAt: string;
}

/** A procedure step not done yet, with when its procedure started. */
export interface OpenStepRow {
  on: 'case' | 'alert';
  id: string;
  startedAt: string;
  step: number;
  title: string;
  role: string;
  expectedMinutes: number;
}

/** All SQL about alert rules, alerts, their timeline, notifications and procedure steps. */
export class AlertsRepository {
  constructor(private readonly db: Db) {}

  // ---- rules ----------------------------------------------------------------

  /**
   * Where a rule stands for scoping: the place and agency its subject
   * names, else its datastream's station's place and its source's owner.
   * A rule on a datastream or source not registered yet stands nowhere
   * until it is saved again.
   */
  async ruleSubjectScope(subject: AlertRule['subject']): Promise<{ placeCode: string | null; orgCode: string | null }> {
    let placeCode = subject.place ?? null;
    if (placeCode === null && subject.datastream !== undefined) {
      const r = await this.db
        .selectFrom('datastream as d')
        .innerJoin('station as st', 'st.id', 'd.station_id')
        .select((eb) => eb.fn.min('st.place_code').as('place_code'))
        .where('d.code', '=', subject.datastream)
        .executeTakeFirst();
      placeCode = r?.place_code ?? null;
    }
    let orgCode = subject.agency ?? null;
    if (orgCode === null && subject.source !== undefined) {
      const r = await this.db.selectFrom('source').select('owner_org_code').where('code', '=', subject.source).executeTakeFirst();
      orgCode = r?.owner_org_code ?? null;
    }
    return { placeCode, orgCode };
  }

  /** Inserts or replaces a rule by code; true when it was new. */
  async putRule(r: Omit<AlertRule, 'updatedAt'>, now: string): Promise<boolean> {
    const existed = await this.db.selectFrom('alert_rule').select('code').where('code', '=', r.code).executeTakeFirst();
    const at = await this.ruleSubjectScope(r.subject);
    const row = {
      code: r.code,
      name_vi: r.names.vi,
      name_en: r.names.en,
      kind: r.kind,
      subject: JSON.stringify(r.subject),
      parameters: JSON.stringify(r.parameters),
      severity: r.severity,
      escalation: JSON.stringify(r.escalation),
      webhook: r.webhook,
      sop: JSON.stringify(r.sop),
      public: r.public ? 1 : 0,
      enabled: r.enabled ? 1 : 0,
      demo: r.demo ? 1 : 0,
      place_code: at.placeCode,
      org_code: at.orgCode,
      created_at: now,
      updated_at: now,
    };
    const { created_at: _created, code: _code, ...update } = row;
    await this.db
      .insertInto('alert_rule')
      .values(row)
      .onConflict((oc) => oc.column('code').doUpdateSet(update))
      .execute();
    return existed === undefined;
  }

  async rule(code: string): Promise<AlertRule | undefined> {
    const r = await this.db.selectFrom('alert_rule').selectAll().where('code', '=', code).executeTakeFirst();
    return r ? toRule(r) : undefined;
  }

  /** Rules by kind; the alarm loop reads them all, a caller only those its scope reaches (`scope`). */
  async rules(f: { kinds?: readonly string[]; enabledOnly?: boolean; scope?: ResolvedScope } = {}): Promise<AlertRule[]> {
    let q = this.db.selectFrom('alert_rule').selectAll();
    if (f.kinds?.length) q = q.where('kind', 'in', [...f.kinds]);
    if (f.enabledOnly) q = q.where('enabled', '=', 1);
    if (f.scope) q = q.where(ruleInScope(f.scope));
    return (await q.orderBy('code').execute()).map(toRule);
  }

  /** A rule, if the scope reaches it (outside it, as unknown). */
  async ruleIn(code: string, scope: ResolvedScope): Promise<AlertRule | undefined> {
    const r = await this.db.selectFrom('alert_rule').selectAll().where('code', '=', code).where(ruleInScope(scope)).executeTakeFirst();
    return r ? toRule(r) : undefined;
  }

  /** The rule of each of these alerts (null: imported from CAP). */
  async ruleCodesOfAlerts(alertIds: readonly number[]): Promise<Map<number, string | null>> {
    const out = new Map<number, string | null>();
    for (let i = 0; i < alertIds.length; i += 500) {
      const rows = await this.db.selectFrom('alert').select(['id', 'rule_code']).where('id', 'in', alertIds.slice(i, i + 500)).execute();
      for (const r of rows) out.set(r.id, r.rule_code);
    }
    return out;
  }

  /** Which of these rules the scope reaches (for what a caller may manage among those they read). */
  async ruleCodesIn(codes: readonly string[], scope: ResolvedScope): Promise<Set<string>> {
    const out = new Set<string>();
    for (let i = 0; i < codes.length; i += 500) {
      const rows = await this.db.selectFrom('alert_rule').select('code').where('code', 'in', codes.slice(i, i + 500)).where(ruleInScope(scope)).execute();
      for (const r of rows) out.add(r.code);
    }
    return out;
  }

  // ---- alerts ---------------------------------------------------------------

  /**
   * Opens an alert unless the rule already has an unresolved one for the
   * subject. The insert skips on the partial unique index, so of two
   * evaluations racing exactly one creates it; the other reads it back.
   */
  async raise(a: RaiseInput): Promise<{ alert: AlertRow; created: boolean }> {
    const inserted = await this.db
      .insertInto('alert')
      .values({
        rule_code: a.ruleCode,
        subject_key: a.subjectKey,
        place_code: a.placeCode,
        org_code: a.orgCode,
        severity: a.severity,
        status: 'open',
        opened_at: a.at,
        value: a.value,
        message: a.message,
        public: a.public ? 1 : 0,
        published_at: a.public ? a.at : null,
        updated_at: a.at,
      })
      // The index predicate is written as in the index (no parameter), so SQLite can match it to the partial index.
      .onConflict((oc) => oc.columns(['rule_code', 'subject_key']).where(sql<boolean>`status <> 'resolved'`).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (inserted) return { alert: inserted, created: true };
    const existing = await this.unresolved(a.ruleCode, a.subjectKey);
    if (!existing) throw new Error(`alert of ${a.ruleCode} × ${a.subjectKey} neither created nor found`);
    return { alert: existing, created: false };
  }

  /**
   * Opens the alert of a CAP message unless one is unresolved for the same
   * subject (sender × identifier): the partial unique index of CAP alerts
   * makes two imports racing open one.
   */
  async raiseCap(a: CapAlertInput): Promise<{ alert: AlertRow; created: boolean }> {
    const inserted = await this.db
      .insertInto('alert')
      .values({
        origin: 'cap',
        rule_code: null,
        subject_key: a.subjectKey,
        place_code: a.placeCode,
        org_code: null,
        severity: a.severity,
        status: 'open',
        opened_at: a.at,
        value: null,
        message: a.message,
        public: a.public ? 1 : 0,
        published_at: a.public ? a.at : null,
        expires_at: a.expiresAt,
        updated_at: a.at,
      })
      .onConflict((oc) => oc.column('subject_key').where(sql<boolean>`origin = 'cap' and status <> 'resolved'`).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (inserted) return { alert: inserted, created: true };
    const existing = await this.db.selectFrom('alert').selectAll().where('origin', '=', 'cap').where('subject_key', '=', a.subjectKey).where('status', 'in', UNRESOLVED).executeTakeFirst();
    if (!existing) throw new Error(`CAP alert ${a.subjectKey} neither created nor found`);
    return { alert: existing, created: false };
  }

  /** What a CAP Update changes of an unresolved alert: severity, place, message, expiry. */
  async updateCap(id: number, u: { placeCode: string | null; severity: string; message: string; expiresAt: string | null; at: string }): Promise<boolean> {
    const r = await this.db
      .updateTable('alert')
      .set({ place_code: u.placeCode, severity: u.severity, message: u.message, expires_at: u.expiresAt, updated_at: u.at })
      .where('id', '=', id)
      .where('status', 'in', UNRESOLVED)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Unresolved alerts whose expiry has passed. */
  async expired(now: string): Promise<AlertRow[]> {
    return this.db.selectFrom('alert').selectAll().where('status', 'in', UNRESOLVED).where('expires_at', 'is not', null).where('expires_at', '<=', now).orderBy('id').execute();
  }

  /** Publishes or unpublishes an alert; false when it was so already. */
  async setPublic(id: number, value: boolean, at: string): Promise<boolean> {
    const r = await this.db
      .updateTable('alert')
      .set({ public: value ? 1 : 0, published_at: value ? at : null, updated_at: at })
      .where('id', '=', id)
      .where('public', '=', value ? 0 : 1)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async unresolved(ruleCode: string, subjectKey: string): Promise<AlertRow | undefined> {
    return this.db.selectFrom('alert').selectAll().where('rule_code', '=', ruleCode).where('subject_key', '=', subjectKey).where('status', 'in', UNRESOLVED).executeTakeFirst();
  }

  async unresolvedOfRule(ruleCode: string): Promise<AlertRow[]> {
    return this.db.selectFrom('alert').selectAll().where('rule_code', '=', ruleCode).where('status', 'in', UNRESOLVED).orderBy('id').execute();
  }

  /** The unresolved alerts of several rules (in chunks of 500 rules). */
  async unresolvedOfRules(ruleCodes: readonly string[]): Promise<AlertRow[]> {
    const out: AlertRow[] = [];
    for (let i = 0; i < ruleCodes.length; i += 500) out.push(...(await this.db.selectFrom('alert').selectAll().where('rule_code', 'in', ruleCodes.slice(i, i + 500)).where('status', 'in', UNRESOLVED).orderBy('id').execute()));
    return out;
  }

  /** Open (unacknowledged) alerts whose rule has an escalation table. */
  async escalatable(): Promise<AlertRow[]> {
    return this.db
      .selectFrom('alert')
      .innerJoin('alert_rule as r', 'r.code', 'alert.rule_code')
      .selectAll('alert')
      .where('alert.status', '=', 'open')
      .where(sql<boolean>`r.escalation <> ${'[]'}`)
      .orderBy('alert.id')
      .execute();
  }

  /** An alert, if the scope reaches it (outside it, as unknown); the alarm loop passes `ALL_ROWS`. */
  async get(id: number, scope: ResolvedScope): Promise<AlertRow | undefined> {
    return this.db.selectFrom('alert').selectAll().where('id', '=', id).where(alertInScope(scope)).executeTakeFirst();
  }

  /** Alerts the scope reaches, newest first, filtered. */
  async list(f: AlertFilter, scope: ResolvedScope): Promise<AlertRow[]> {
    let q = this.db.selectFrom('alert').selectAll().where(alertInScope(scope));
    if (f.status?.length) q = q.where('status', 'in', [...f.status]);
    if (f.severity) q = q.where('severity', '=', f.severity);
    if (f.placeCode) q = q.where('place_code', '=', f.placeCode);
    if (f.ruleCode) q = q.where('rule_code', '=', f.ruleCode);
    if (f.orgCode) q = q.where('org_code', '=', f.orgCode);
    if (f.origin) q = q.where('origin', '=', f.origin);
    if (f.publicOnly) q = q.where('public', '=', 1);
    return q.orderBy('opened_at', 'desc').orderBy('id', 'desc').limit(f.limit ?? 500).execute();
  }

  /** Records the latest value of an unresolved alert. */
  async updateValue(id: number, value: number | null, message: string, at: string): Promise<void> {
    await this.db.updateTable('alert').set({ value, message, updated_at: at }).where('id', '=', id).where('status', 'in', UNRESOLVED).execute();
  }

  /** open → acknowledged; false when the alert was not open (a concurrent move wins once). */
  async acknowledge(id: number, by: string, at: string): Promise<boolean> {
    const r = await this.db.updateTable('alert').set({ status: 'acknowledged', acknowledged_by: by, acknowledged_at: at, updated_at: at }).where('id', '=', id).where('status', '=', 'open').executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** open or acknowledged → resolved; false when it was resolved already. */
  async resolve(id: number, by: string, at: string, auto: boolean): Promise<boolean> {
    const r = await this.db
      .updateTable('alert')
      .set({ status: 'resolved', resolved_by: by, resolved_at: at, auto_resolved: auto ? 1 : 0, updated_at: at })
      .where('id', '=', id)
      .where('status', 'in', UNRESOLVED)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /** Raises the escalation level of a still-open alert; false when it was acknowledged, resolved or already there. */
  async escalate(id: number, level: number, at: string): Promise<boolean> {
    const r = await this.db.updateTable('alert').set({ escalation_level: level, updated_at: at }).where('id', '=', id).where('status', '=', 'open').where('escalation_level', '<', level).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async addEvent(alertId: number, e: { at: string; actor: string; kind: string; value: number | null; note: string | null }): Promise<void> {
    await this.db.insertInto('alert_event').values({ alert_id: alertId, ...e }).execute();
  }

  async events(alertId: number): Promise<AlertEventRow[]> {
    return this.db.selectFrom('alert_event').selectAll().where('alert_id', '=', alertId).orderBy('id').execute();
  }

  // ---- what a rule last saw of a subject ------------------------------------

  async lastSeen(ruleCode: string, subjectKey: string): Promise<{ at: string; value: number | null } | undefined> {
    const r = await this.db.selectFrom('alert_subject').select(['last_at', 'last_value']).where('rule_code', '=', ruleCode).where('subject_key', '=', subjectKey).executeTakeFirst();
    return r ? { at: r.last_at, value: r.last_value } : undefined;
  }

  /** Records a value seen; an older value than the one kept (a late reading) does not replace it. */
  async see(ruleCode: string, subjectKey: string, placeCode: string | null, at: string, value: number | null): Promise<void> {
    await this.db
      .insertInto('alert_subject')
      .values({ rule_code: ruleCode, subject_key: subjectKey, place_code: placeCode, last_at: at, last_value: value })
      .onConflict((oc) =>
        oc
          .columns(['rule_code', 'subject_key'])
          .doUpdateSet({ last_at: (eb) => eb.ref('excluded.last_at'), last_value: (eb) => eb.ref('excluded.last_value'), place_code: (eb) => eb.ref('excluded.place_code') })
          .where('alert_subject.last_at', '<', at),
      )
      .execute();
  }

  async seenOfRule(ruleCode: string): Promise<{ subjectKey: string; placeCode: string | null; at: string }[]> {
    const rows = await this.db.selectFrom('alert_subject').select(['subject_key', 'place_code', 'last_at']).where('rule_code', '=', ruleCode).execute();
    return rows.map((r) => ({ subjectKey: r.subject_key, placeCode: r.place_code, at: r.last_at }));
  }

  /** What the rules last saw of each of their subjects, with the value (a rate needs it). */
  async seenOfRules(ruleCodes: readonly string[]): Promise<{ ruleCode: string; subjectKey: string; at: string; value: number | null }[]> {
    const out: { ruleCode: string; subjectKey: string; at: string; value: number | null }[] = [];
    for (let i = 0; i < ruleCodes.length; i += 500) {
      const rows = await this.db.selectFrom('alert_subject').select(['rule_code', 'subject_key', 'last_at', 'last_value']).where('rule_code', 'in', ruleCodes.slice(i, i + 500)).execute();
      for (const r of rows) out.push({ ruleCode: r.rule_code, subjectKey: r.subject_key, at: r.last_at, value: r.last_value });
    }
    return out;
  }

  /** Records many values seen at once (`see`, in chunks of one statement each); an older value never replaces a newer one. */
  async seeMany(rows: readonly { ruleCode: string; subjectKey: string; placeCode: string | null; at: string; value: number | null }[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 500) {
      await this.db
        .insertInto('alert_subject')
        .values(rows.slice(i, i + 500).map((r) => ({ rule_code: r.ruleCode, subject_key: r.subjectKey, place_code: r.placeCode, last_at: r.at, last_value: r.value })))
        .onConflict((oc) =>
          oc
            .columns(['rule_code', 'subject_key'])
            .doUpdateSet({ last_at: (eb) => eb.ref('excluded.last_at'), last_value: (eb) => eb.ref('excluded.last_value'), place_code: (eb) => eb.ref('excluded.place_code') })
            .whereRef('alert_subject.last_at', '<', 'excluded.last_at'),
        )
        .execute();
    }
  }

  // ---- notifications --------------------------------------------------------

  async addNotification(n: { alertId: number; channel: string; target: string; payload: unknown; status: string; at: string }): Promise<void> {
    await this.db
      .insertInto('notification')
      .values({ alert_id: n.alertId, channel: n.channel, target: n.target, payload: JSON.stringify(n.payload), status: n.status, next_attempt_at: n.status === 'pending' ? n.at : null, created_at: n.at, updated_at: n.at })
      .execute();
  }

  /** Pending notifications whose next attempt is due. */
  async dueNotifications(now: string, limit = 100): Promise<NotificationRow[]> {
    return this.db.selectFrom('notification').selectAll().where('status', '=', 'pending').where('next_attempt_at', '<=', now).orderBy('next_attempt_at').orderBy('id').limit(limit).execute();
  }

  /**
   * Records one delivery attempt, only if nobody recorded it first (the
   * attempt count is the guard), so two instances never both count it.
   */
  async recordAttempt(id: number, previousAttempts: number, r: { status: string; nextAttemptAt: string | null; error: string | null; at: string }): Promise<boolean> {
    const u = await this.db
      .updateTable('notification')
      .set({ attempts: previousAttempts + 1, status: r.status, next_attempt_at: r.nextAttemptAt, last_error: r.error, updated_at: r.at })
      .where('id', '=', id)
      .where('attempts', '=', previousAttempts)
      .executeTakeFirst();
    return Number(u.numUpdatedRows) > 0;
  }

  /** Notifications of the alerts the scope reaches, newest first. */
  async notifications(f: { status?: string | undefined; alertId?: number | undefined; limit?: number | undefined }, scope: ResolvedScope): Promise<NotificationRow[]> {
    let q = this.db.selectFrom('notification as n').innerJoin('alert as a', 'a.id', 'n.alert_id').selectAll('n').where(alertInScope(scope, 'a'));
    if (f.status) q = q.where('n.status', '=', f.status);
    if (f.alertId !== undefined) q = q.where('n.alert_id', '=', f.alertId);
    return q.orderBy('n.id', 'desc').limit(f.limit ?? 500).execute();
  }

  // ---- procedures -----------------------------------------------------------

  /** Starts a procedure on an alert; false when one was started already. */
  async startSop(alertId: number, steps: readonly SopStepDefinition[], at: string): Promise<boolean> {
    const r = await this.db.updateTable('alert').set({ sop_started_at: at, updated_at: at }).where('id', '=', alertId).where('sop_started_at', 'is', null).executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) return false;
    if (steps.length > 0) {
      await this.db
        .insertInto('sop_step')
        .values(steps.map((s, i) => ({ alert_id: alertId, step: i + 1, title: s.title, role: s.role, expected_minutes: s.expectedMinutes })))
        .execute();
    }
    return true;
  }

  async sopSteps(alertId: number): Promise<SopStepRow[]> {
    return this.db.selectFrom('sop_step').selectAll().where('alert_id', '=', alertId).orderBy('step').execute();
  }

  /** Marks a step done; false when it was done already. */
  async markStepDone(alertId: number, step: number, by: string, at: string): Promise<boolean> {
    const r = await this.db.updateTable('sop_step').set({ done_at: at, done_by: by }).where('alert_id', '=', alertId).where('step', '=', step).where('done_at', 'is', null).executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  /**
   * Steps not done yet of the procedures still running: those of
   * unresolved alerts (from when the procedure started) and of unfinished
   * cases (from the case's receipt). Whether a step is overdue is decided
   * by the caller from the expected minutes. Only the alerts and cases the
   * scope reaches.
   */
  async openSteps(finishedCaseStatuses: readonly string[], scope: ResolvedScope): Promise<OpenStepRow[]> {
    const alerts = await this.db
      .selectFrom('sop_step as s')
      .innerJoin('alert as a', 'a.id', 's.alert_id')
      .select(['a.id as owner', 'a.sop_started_at as started', 's.step', 's.title', 's.role', 'a.id as alert_id'])
      .where('a.status', 'in', UNRESOLVED)
      .where('s.done_at', 'is', null)
      .where(alertInScope(scope, 'a'))
      .execute();
    let cq = this.db
      .selectFrom('sop_step as s')
      .innerJoin('case as c', 'c.id', 's.case_id')
      .select(['c.public_id as owner', 'c.received_at as started', 's.step', 's.title', 's.role', 'c.id as case_id'])
      .where('s.done_at', 'is', null)
      .where(caseInScope(scope, 'c'));
    if (finishedCaseStatuses.length) cq = cq.where('c.status', 'not in', [...finishedCaseStatuses]);
    const cases = await cq.execute();
    // Due times add up the steps before: read every step's minutes of the procedures involved.
    const alertMinutes = await this.minutesOf('alert_id', [...new Set(alerts.map((a) => a.alert_id))]);
    const caseMinutes = await this.minutesOf('case_id', [...new Set(cases.map((c) => c.case_id))]);
    const out: OpenStepRow[] = [];
    for (const a of alerts) {
      if (a.started === null) continue;
      out.push({ on: 'alert', id: String(a.owner), startedAt: a.started, step: a.step, title: a.title, role: a.role, expectedMinutes: cumulative(alertMinutes.get(a.alert_id), a.step) });
    }
    for (const c of cases) out.push({ on: 'case', id: c.owner, startedAt: c.started, step: c.step, title: c.title, role: c.role, expectedMinutes: cumulative(caseMinutes.get(c.case_id), c.step) });
    return out;
  }

  /** The expected minutes of every step of some procedures, by the alert or case they are followed on. */
  private async minutesOf(owner: 'alert_id' | 'case_id', ids: number[]): Promise<Map<number, Map<number, number>>> {
    const out = new Map<number, Map<number, number>>();
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const rows = await this.db.selectFrom('sop_step').select([`${owner} as owner`, 'step', 'expected_minutes']).where(owner, 'in', chunk).execute();
      for (const r of rows) {
        if (r.owner === null) continue;
        const m = out.get(r.owner) ?? new Map<number, number>();
        m.set(r.step, r.expected_minutes);
        out.set(r.owner, m);
      }
    }
    return out;
  }

  // ---- what time-driven and observation rules read ----------------------------

  /** Codes of the places in a place's own hierarchy under it (itself included), valid at any time. */
  async placeCodesUnder(code: string): Promise<Set<string>> {
    const rows = await this.db
      .selectFrom('place_ancestry as a')
      .innerJoin('place as anc', 'anc.id', 'a.ancestor_id')
      .innerJoin('place as p', 'p.id', 'a.place_id')
      .select('p.code')
      .where('anc.code', '=', code)
      .where('a.via_lineage', '=', 0)
      .distinct()
      .execute();
    const out = new Set(rows.map((r) => r.code));
    out.add(code);
    return out;
  }

  /** The two latest figures filed for an indicator at each of the places (any organisation), latest first. */
  async latestFacts(indicator: string, placeCodes: readonly string[]): Promise<Map<string, FiledFact[]>> {
    const out = new Map<string, FiledFact[]>();
    for (let i = 0; i < placeCodes.length; i += 500) {
      const chunk = placeCodes.slice(i, i + 500);
      const rows = await this.db
        .selectFrom((eb) =>
          eb
            .selectFrom('observation')
            .select(['place_code', 'period_key', 'period_end', 'value', 'recorded_at', sql<number>`row_number() over (partition by place_code order by period_end desc, id desc)`.as('rn')])
            .where('indicator_code', '=', indicator)
            .where('place_code', 'in', chunk)
            .as('o'),
        )
        .selectAll()
        .where('rn', '<=', 2)
        .orderBy('place_code')
        .orderBy('rn')
        .execute();
      for (const r of rows) {
        const list = out.get(r.place_code) ?? [];
        list.push({ placeCode: r.place_code, periodKey: r.period_key, periodEnd: r.period_end, value: Number(r.value), recordedAt: r.recorded_at });
        out.set(r.place_code, list);
      }
    }
    return out;
  }

  /** When a figure of an indicator was last recorded at a place. */
  async lastRecorded(indicator: string, placeCode: string): Promise<string | null> {
    const r = await this.db
      .selectFrom('observation')
      .select((eb) => eb.fn.max('recorded_at').as('at'))
      .where('indicator_code', '=', indicator)
      .where('place_code', '=', placeCode)
      .executeTakeFirst();
    return r?.at ?? null;
  }

  /** Unresolved dossiers due before an instant, of one agency or all. */
  async dossiersDueBefore(before: string, orgCode?: string): Promise<{ code: string; orgCode: string; placeCode: string | null; dueAt: string }[]> {
    let q = this.db.selectFrom('dossier').select(['code', 'org_code', 'place_code', 'due_at']).where('resolved_at', 'is', null).where('due_at', '<', before);
    if (orgCode) q = q.where('org_code', '=', orgCode);
    const rows = await q.orderBy('due_at').limit(10_000).execute();
    return rows.map((r) => ({ code: r.code, orgCode: r.org_code, placeCode: r.place_code, dueAt: r.due_at }));
  }
}

function cumulative(minutes: Map<number, number> | undefined, step: number): number {
  let total = 0;
  for (const [s, m] of minutes ?? []) if (s <= step) total += m;
  return total;
}

function toRule(r: Selectable<Database['alert_rule']>): AlertRule {
  // Parsed through the schema: a hand-edited row fails loudly here rather than far away.
  return alertRuleSchema.parse({
    code: r.code,
    names: { vi: r.name_vi, en: r.name_en },
    kind: r.kind,
    subject: readJsonColumn(r.subject),
    parameters: readJsonColumn(r.parameters),
    severity: r.severity,
    escalation: readJsonColumn(r.escalation),
    webhook: r.webhook,
    sop: readJsonColumn(r.sop),
    public: r.public === 1,
    enabled: r.enabled === 1,
    demo: r.demo === 1,
    updatedAt: r.updated_at,
  });
}
