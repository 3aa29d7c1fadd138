import { XMLBuilder } from 'fast-xml-parser';
import { CAP_NAMESPACE, type CapAlert, type CapArea, type CapInfo, type CapResource, type CapValuePair } from '@watchfloor/core';

/**
 * Writes CAP 1.2 and its Atom index. Objects are built with their keys in
 * the order the schema's sequences require (the builder keeps key order),
 * absent optional elements are left out, and the builder escapes text.
 */
const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  format: true,
  indentBy: '  ',
  suppressEmptyNode: false,
  processEntities: true,
});

type Element = Record<string, unknown>;

function put(out: Element, key: string, value: unknown): void {
  if (value === undefined) return;
  if (Array.isArray(value) && value.length === 0) return;
  out[key] = value;
}

function pairs(xs: readonly CapValuePair[]): Element[] {
  return xs.map((p) => ({ valueName: p.valueName, value: p.value }));
}

function resourceElement(r: CapResource): Element {
  const out: Element = { resourceDesc: r.resourceDesc, mimeType: r.mimeType };
  put(out, 'size', r.size);
  put(out, 'uri', r.uri);
  put(out, 'derefUri', r.derefUri);
  put(out, 'digest', r.digest);
  return out;
}

function areaElement(a: CapArea): Element {
  const out: Element = { areaDesc: a.areaDesc };
  put(out, 'polygon', a.polygon);
  put(out, 'circle', a.circle);
  put(out, 'geocode', pairs(a.geocode));
  put(out, 'altitude', a.altitude);
  put(out, 'ceiling', a.ceiling);
  return out;
}

function infoElement(i: CapInfo): Element {
  const out: Element = { language: i.language, category: i.category, event: i.event };
  put(out, 'responseType', i.responseType);
  out.urgency = i.urgency;
  out.severity = i.severity;
  out.certainty = i.certainty;
  put(out, 'audience', i.audience);
  put(out, 'eventCode', pairs(i.eventCode));
  put(out, 'effective', i.effective);
  put(out, 'onset', i.onset);
  put(out, 'expires', i.expires);
  put(out, 'senderName', i.senderName);
  put(out, 'headline', i.headline);
  put(out, 'description', i.description);
  put(out, 'instruction', i.instruction);
  put(out, 'web', i.web);
  put(out, 'contact', i.contact);
  put(out, 'parameter', pairs(i.parameter));
  put(out, 'resource', i.resource.map(resourceElement));
  put(out, 'area', i.area.map(areaElement));
  return out;
}

const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** A CapAlert as a CAP 1.2 document (UTF-8), in the order data/cap/CAP-v1.2.xsd requires. */
export function writeCapXml(alert: CapAlert): string {
  const root: Element = { '@_xmlns': CAP_NAMESPACE, identifier: alert.identifier, sender: alert.sender, sent: alert.sent, status: alert.status, msgType: alert.msgType };
  put(root, 'source', alert.source);
  root.scope = alert.scope;
  put(root, 'restriction', alert.restriction);
  put(root, 'addresses', alert.addresses);
  put(root, 'code', alert.code);
  put(root, 'note', alert.note);
  put(root, 'references', alert.references);
  put(root, 'incidents', alert.incidents);
  put(root, 'info', alert.info.map(infoElement));
  return DECLARATION + (builder.build({ alert: root }) as string);
}

export const ATOM_NAMESPACE = 'http://www.w3.org/2005/Atom';

export interface AtomEntry {
  /** A permanent IRI, e.g. `urn:…` or the entry's URL. */
  id: string;
  title: string;
  /** RFC 3339 instant of the last change. */
  updated: string;
  summary?: string | undefined;
  /** Where the CAP document is (type application/cap+xml). */
  capUrl: string;
  author?: string | undefined;
  categories?: readonly string[] | undefined;
}

export interface AtomFeed {
  id: string;
  title: string;
  /** The feed's own URL (rel="self"). */
  selfUrl: string;
  updated: string;
  author: string;
  entries: readonly AtomEntry[];
  language?: string | undefined;
}

/** An Atom 1.0 feed (RFC 4287) indexing CAP documents: one entry per alert, linking to its XML. */
export function writeAtomFeed(feed: AtomFeed): string {
  const root: Element = {
    '@_xmlns': ATOM_NAMESPACE,
    ...(feed.language ? { '@_xml:lang': feed.language } : {}),
    id: feed.id,
    title: feed.title,
    updated: feed.updated,
    author: { name: feed.author },
    link: { '@_rel': 'self', '@_type': 'application/atom+xml', '@_href': feed.selfUrl },
  };
  put(
    root,
    'entry',
    feed.entries.map((e) => {
      const entry: Element = { id: e.id, title: e.title, updated: e.updated };
      if (e.author) entry.author = { name: e.author };
      put(entry, 'category', (e.categories ?? []).map((term) => ({ '@_term': term })));
      put(entry, 'summary', e.summary);
      entry.link = { '@_rel': 'alternate', '@_type': 'application/cap+xml', '@_href': e.capUrl };
      return entry;
    }),
  );
  return DECLARATION + (builder.build({ feed: root }) as string);
}
