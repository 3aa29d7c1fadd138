import type { Geometry } from 'geojson';
import {
  alertSeverityToCap,
  capPolygonsOf,
  CAP_GEOCODE_VN_ADMIN,
  isArea,
  toCapDateTime,
  vietnamDate,
  type CapAlert,
  type CapArea,
  type CapAreaMapping,
  type CapInfo,
  type CapMappedSeverity,
  type CapSeverity,
  type AlertRule,
} from '@watchfloor/core';
import { PlacesRepository, type AlertRow, type CapMessageRecord, type Store } from '@watchfloor/db';
import { writeAtomFeed, writeCapXml } from '@watchfloor/connectors';
import { documentOf } from './service';

/** Vietnamese words for CAP's severities, for headlines of relayed messages that have no Vietnamese text. */
const SEVERITY_VI: Record<CapSeverity, string> = {
  Extreme: 'Cảnh báo cực kỳ nghiêm trọng',
  Severe: 'Cảnh báo nghiêm trọng',
  Moderate: 'Cảnh báo',
  Minor: 'Thông báo',
  Unknown: 'Thông báo',
};

/** The text of one language of a public alert. */
export interface PublicAlertText {
  event: string;
  headline: string;
  description?: string | undefined;
  instruction?: string | undefined;
  senderName?: string | undefined;
}

/**
 * An alert to publish, whatever its origin: a CAP message relayed from
 * another agency, or one of our own alerts marked public. The publisher
 * writes it as CAP 1.2 from us, with a Vietnamese (vi-VN) and an English
 * (en-US) info block and one area per commune covered (our geocode and
 * its boundary as CAP polygons).
 */
export interface PublicAlert {
  /** Unique among our publications: becomes the CAP identifier `<prefix>-<key>`. */
  key: string;
  /** When we published it (ISO instant). */
  sentAt: string;
  status: CapAlert['status'];
  msgType: CapAlert['msgType'];
  /** Our earlier publications it updates or cancels. */
  references: { key: string; sentAt: string }[];
  note?: string | undefined;
  severity: CapMappedSeverity;
  /** The CAP fields of the info blocks; without them, derived from `severity`. */
  cap?: Partial<Pick<CapInfo, 'category' | 'responseType' | 'urgency' | 'severity' | 'certainty' | 'eventCode' | 'effective' | 'onset' | 'expires' | 'web' | 'contact' | 'parameter' | 'resource'>>;
  vi: PublicAlertText;
  en: PublicAlertText;
  /** The places covered (codes valid on `placesAt`); each becomes an area. */
  places: { code: string; name: string; nameEn: string | null }[];
  placesAt: string;
  /** Areas kept as received when none of their places are ours (e.g. a relayed alert about another country). */
  foreignAreas: CapArea[];
}

/** Writes public alerts as CAP 1.2 documents and their Atom index. */
export class CapPublisher {
  private readonly places: PlacesRepository;

  constructor(
    store: Store,
    private readonly province: string,
  ) {
    this.places = new PlacesRepository(store.db);
  }

  /** One of our own alerts as a public alert: the rule's names and the alert's message, its place as the area. */
  async ofRuleAlert(a: AlertRow, rule: AlertRule | undefined): Promise<PublicAlert> {
    const placesAt = vietnamDate(new Date(a.opened_at));
    const row = a.place_code === null ? undefined : await this.places.findAt(a.place_code, placesAt);
    const place = a.place_code === null ? null : { code: a.place_code, name: row?.name ?? a.place_code, nameEn: row?.name_en ?? null };
    return publicAlertOfRule(a, rule, place, placesAt);
  }

  /** Our CAP sender: one per province served. */
  get sender(): string {
    return `ioc-${this.province}@watchfloor`;
  }

  identifier(key: string): string {
    return `WF${this.province}-${key}`;
  }

  async document(a: PublicAlert): Promise<CapAlert> {
    const areasVi: CapArea[] = [];
    const areasEn: CapArea[] = [];
    for (const p of a.places) {
      const row = await this.places.findAt(p.code, a.placesAt);
      const g = row ? await this.places.geometry(row.id) : undefined;
      const geometry = g ? (JSON.parse(g.geojson) as Geometry) : null;
      const polygon = geometry && isArea(geometry) ? capPolygonsOf(geometry) : [];
      const geocode = [{ valueName: CAP_GEOCODE_VN_ADMIN, value: p.code }];
      areasVi.push({ areaDesc: p.name, polygon, circle: [], geocode });
      // English names drop the unit's kind ("Tra Vinh" is a ward and was a province): the official name follows.
      areasEn.push({ areaDesc: p.nameEn ? `${p.nameEn} (${p.name})` : p.name, polygon, circle: [], geocode });
    }
    areasVi.push(...a.foreignAreas);
    areasEn.push(...a.foreignAreas);
    const cap = { ...alertSeverityToCap(a.severity), ...a.cap };
    const info = (language: string, t: PublicAlertText, area: CapArea[]): CapInfo => ({
      language,
      category: cap.category ?? ['Other'],
      event: t.event,
      responseType: cap.responseType ?? [],
      urgency: cap.urgency,
      severity: cap.severity,
      certainty: cap.certainty ?? 'Likely',
      eventCode: cap.eventCode ?? [],
      ...(cap.effective ? { effective: cap.effective } : {}),
      ...(cap.onset ? { onset: cap.onset } : {}),
      ...(cap.expires ? { expires: cap.expires } : {}),
      ...(t.senderName ? { senderName: t.senderName } : {}),
      headline: t.headline,
      ...(t.description ? { description: t.description } : {}),
      ...(t.instruction ? { instruction: t.instruction } : {}),
      ...(cap.web ? { web: cap.web } : {}),
      ...(cap.contact ? { contact: cap.contact } : {}),
      parameter: cap.parameter ?? [],
      resource: cap.resource ?? [],
      area,
    });
    return {
      identifier: this.identifier(a.key),
      sender: this.sender,
      sent: toCapDateTime(new Date(a.sentAt)),
      status: a.status,
      msgType: a.references.length === 0 && a.msgType === 'Update' ? 'Alert' : a.msgType,
      scope: 'Public',
      code: [],
      ...(a.note ? { note: a.note } : {}),
      ...(a.references.length > 0
        ? { references: a.references.map((r) => `${this.sender},${this.identifier(r.key)},${toCapDateTime(new Date(r.sentAt))}`).join(' ') }
        : {}),
      info: [info('vi-VN', a.vi, areasVi), info('en-US', a.en, areasEn)],
    };
  }

  async xml(a: PublicAlert): Promise<string> {
    return writeCapXml(await this.document(a));
  }

  /** The Atom index: one entry per alert, linking to its CAP document at `capUrl(key)`. */
  feed(alerts: readonly PublicAlert[], urls: { self: string; capUrl: (key: string) => string }, updated: string): string {
    return writeAtomFeed({
      id: `urn:watchfloor:ioc:${this.province}:cap`,
      title: 'Cảnh báo công khai — Public alerts',
      selfUrl: urls.self,
      updated: alerts.map((a) => a.sentAt).sort().at(-1) ?? updated,
      author: this.sender,
      language: 'vi',
      entries: alerts.map((a) => ({
        id: `urn:watchfloor:ioc:${this.province}:cap:${a.key}`,
        title: a.vi.headline,
        summary: a.en.headline,
        updated: a.sentAt,
        capUrl: urls.capUrl(a.key),
        categories: [a.severity, ...(a.cap?.category ?? [])],
      })),
    });
  }
}

/**
 * The Atom feed's own address and each CAP document's, built on the
 * server's configured public URL (`Config.publicUrl`): a request's Host
 * header is the client's to choose, and a feed copied by an aggregator
 * would otherwise carry whatever links one hostile request put in it.
 */
export function feedUrls(publicUrl: string): { self: string; capUrl: (key: string) => string } {
  return { self: `${publicUrl}/api/cap/alerts.atom`, capUrl: (key) => `${publicUrl}/api/cap/alerts/${encodeURIComponent(key)}.xml` };
}

/** The key of one of our own alerts among our publications. */
export function alertKey(id: number): string {
  return `A-${id}`;
}

/**
 * One of our own alerts as a public alert: the event is the rule's name
 * (Vietnamese and English), the headline adds the place, the description
 * is the alert's message (what was measured, against which limit).
 */
export function publicAlertOfRule(a: AlertRow, rule: AlertRule | undefined, place: { code: string; name: string; nameEn: string | null } | null, placesAt: string): PublicAlert {
  const names = rule?.names ?? { vi: 'Cảnh báo', en: 'Alert' };
  return {
    key: alertKey(a.id),
    sentAt: a.published_at ?? a.opened_at,
    status: 'Actual',
    msgType: 'Alert',
    references: [],
    severity: a.severity as CapMappedSeverity,
    cap: { onset: toCapDateTime(new Date(a.opened_at)), ...(a.expires_at ? { expires: toCapDateTime(new Date(a.expires_at)) } : {}) },
    vi: { event: names.vi, headline: place ? `${names.vi} — ${place.name}` : names.vi, description: a.message, senderName: 'Trung tâm Giám sát, điều hành thông minh' },
    en: { event: names.en, headline: place ? `${names.en} — ${place.nameEn ?? place.name}` : names.en, description: a.message, senderName: 'Intelligent Operations Center' },
    places: place ? [place] : [],
    placesAt,
    foreignAreas: [],
  };
}

/** The key of a relayed CAP message among our publications. */
export function capKey(id: number): string {
  return `CAP-${id}`;
}

/**
 * A relayed CAP message as a public alert: its own Vietnamese and English
 * text when it has them; otherwise the text as received, under a headline
 * written in the missing language from its severity and event. Its areas
 * become the places they mapped to; areas that mapped to nothing are kept
 * as received.
 */
export function publicAlertOfCap(r: CapMessageRecord, earlier: CapMessageRecord[]): PublicAlert {
  const doc = documentOf(r);
  const mappings = r.areas as CapAreaMapping[];
  const first = doc.info[0];
  const vi = doc.info.find((i) => i.language.toLowerCase().startsWith('vi'));
  const en = doc.info.find((i) => i.language.toLowerCase().startsWith('en'));
  const base = en ?? vi ?? first;
  const text = (i: CapInfo | undefined, headline: (b: CapInfo) => string): PublicAlertText => {
    const src = i ?? base;
    if (!src) return { event: doc.identifier, headline: doc.identifier };
    return {
      event: src.event,
      headline: i?.headline ?? headline(src),
      description: src.description,
      instruction: src.instruction,
      senderName: src.senderName,
    };
  };
  const places = new Map<string, { code: string; name: string; nameEn: string | null }>();
  const foreignAreas: CapArea[] = [];
  const infoIndex = base ? doc.info.indexOf(base) : -1;
  for (const m of mappings) {
    for (const p of m.places) places.set(p.code, { code: p.code, name: p.name, nameEn: p.nameEn });
    if (m.info === infoIndex && m.places.length === 0) {
      const area = doc.info[m.info]?.area[m.area];
      if (area) foreignAreas.push(area);
    }
  }
  return {
    key: capKey(r.id),
    sentAt: r.received_at,
    status: doc.status,
    msgType: doc.msgType,
    references: earlier.map((e) => ({ key: capKey(e.id), sentAt: e.received_at })),
    note: `Chuyển tiếp tin CAP của / Relayed from ${doc.sender}: ${doc.identifier} (${doc.sent})`,
    severity: r.severity as CapMappedSeverity,
    ...(base
      ? {
          cap: {
            category: base.category,
            responseType: base.responseType,
            urgency: base.urgency,
            severity: base.severity,
            certainty: base.certainty,
            eventCode: base.eventCode,
            effective: base.effective,
            onset: base.onset,
            expires: base.expires,
            web: base.web,
            contact: base.contact,
            parameter: base.parameter,
            resource: base.resource,
          },
        }
      : {}),
    vi: text(vi, (b) => `${SEVERITY_VI[b.severity]}: ${b.event}`),
    en: text(en, (b) => `${b.severity === 'Unknown' ? '' : `${b.severity} `}${b.event}`),
    places: [...places.values()].sort((a, b) => a.code.localeCompare(b.code)),
    placesAt: vietnamDate(new Date(r.sent_at)),
    foreignAreas,
  };
}
