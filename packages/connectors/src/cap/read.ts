import { XMLParser } from 'fast-xml-parser';
import { validateXML } from 'xmllint-wasm';
import { AppError, capAlertSchema, type CapAlert } from '@watchfloor/core';

/** One message of the schema validator, with the line of the document it is about. */
export interface CapProblem {
  line: number | null;
  message: string;
}

/** The most validator messages an `invalid_cap` error carries. */
const MAX_PROBLEMS = 20;

/**
 * Validates documents against the CAP 1.2 schema with libxml2 (compiled to
 * WebAssembly: no system package, no network, no file access outside its
 * in-memory file system). Built once with the schema text.
 */
export class CapValidator {
  constructor(private readonly xsd: string) {}

  /** The schema's messages about a document; empty when it is valid CAP 1.2. */
  async problems(xml: string): Promise<CapProblem[]> {
    const result = await validateXML({
      xml: [{ fileName: 'alert.xml', contents: xml }],
      schema: [{ fileName: 'CAP-v1.2.xsd', contents: this.xsd }],
    });
    if (result.valid) return [];
    const out: CapProblem[] = [];
    for (const e of result.errors) {
      // libxml2 repeats the offending source line and a caret after a parser error: those lines carry no position.
      if (e.loc === null) continue;
      out.push({ line: e.loc.lineNumber, message: e.message.replace(/\{urn:oasis:names:tc:emergency:cap:1\.2\}/g, 'cap:') });
    }
    if (out.length === 0) out.push({ line: null, message: result.rawOutput.trim().slice(0, 500) || 'the document is not valid CAP 1.2' });
    return out;
  }

  /** Validates several documents in one run (a libxml2 start costs more than a small document): the messages, each naming its document's index. */
  async problemsOfMany(docs: readonly string[]): Promise<(CapProblem & { document: number })[]> {
    if (docs.length === 0) return [];
    const result = await validateXML({
      xml: docs.map((contents, i) => ({ fileName: `doc${i}.xml`, contents })),
      schema: [{ fileName: 'CAP-v1.2.xsd', contents: this.xsd }],
    });
    return result.errors.map((e) => ({ document: Number(/^doc(\d+)\.xml/.exec(e.loc?.fileName ?? '')?.[1] ?? -1), line: e.loc?.lineNumber ?? null, message: e.rawMessage }));
  }

  /** Throws `invalid_cap` with the validator's messages (line numbers) when the document is not valid CAP 1.2. */
  async check(xml: string): Promise<void> {
    const problems = await this.problems(xml);
    if (problems.length > 0) throw invalidCap(problems);
  }
}

export function invalidCap(problems: CapProblem[]): AppError {
  const first = problems[0]!;
  return new AppError(
    'invalid_cap',
    `The document is not valid CAP 1.2: ${first.line === null ? '' : `line ${first.line}: `}${first.message}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`,
    { problems: problems.slice(0, MAX_PROBLEMS) },
  );
}

/** Elements that may repeat, by their path below the root (namespace prefixes removed). */
const REPEATED = new Set([
  'alert.code',
  'alert.info',
  'alert.info.category',
  'alert.info.responseType',
  'alert.info.eventCode',
  'alert.info.parameter',
  'alert.info.resource',
  'alert.info.area',
  'alert.info.area.polygon',
  'alert.info.area.circle',
  'alert.info.area.geocode',
]);

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  isArray: (_name, jpath) => REPEATED.has(String(jpath)),
});

type Node = Record<string, unknown>;

function text(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  // An element with attributes or children where text was expected: the schema has already refused those.
  return '';
}

function texts(v: unknown): string[] {
  return Array.isArray(v) ? v.map((x) => text(x) ?? '') : [];
}

function nodes(v: unknown): Node[] {
  return Array.isArray(v) ? (v.filter((x) => typeof x === 'object' && x !== null) as Node[]) : [];
}

function pairs(v: unknown): { valueName: string; value: string }[] {
  return nodes(v).map((n) => ({ valueName: text(n.valueName) ?? '', value: text(n.value) ?? '' }));
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

function num(v: unknown): number | undefined {
  const s = text(v);
  return s === undefined || s === '' ? undefined : Number(s);
}

/**
 * Reads a CAP 1.2 document into a CapAlert. Call after the schema check
 * (CapValidator): this trusts the structure and only maps it. A DOCTYPE is
 * refused outright, since CAP has none and entity declarations are the
 * usual way to attack an XML reader.
 */
export function readCapAlert(xml: string): CapAlert {
  if (/<!DOCTYPE/i.test(xml)) throw invalidCap([{ line: lineOf(xml, xml.search(/<!DOCTYPE/i)), message: 'a DOCTYPE is not allowed in a CAP document' }]);
  const doc = parser.parse(xml) as Node;
  const a = doc.alert as Node | undefined;
  if (!a || typeof a !== 'object') throw invalidCap([{ line: null, message: 'the root element is not a CAP alert' }]);
  const alert = {
    identifier: text(a.identifier),
    sender: text(a.sender),
    sent: text(a.sent),
    status: text(a.status),
    msgType: text(a.msgType),
    ...optional('source', text(a.source)),
    scope: text(a.scope),
    ...optional('restriction', text(a.restriction)),
    ...optional('addresses', text(a.addresses)),
    code: texts(a.code),
    ...optional('note', text(a.note)),
    ...optional('references', text(a.references)),
    ...optional('incidents', text(a.incidents)),
    info: nodes(a.info).map((i) => ({
      language: text(i.language) || 'en-US',
      category: texts(i.category),
      event: text(i.event),
      responseType: texts(i.responseType),
      urgency: text(i.urgency),
      severity: text(i.severity),
      certainty: text(i.certainty),
      ...optional('audience', text(i.audience)),
      eventCode: pairs(i.eventCode),
      ...optional('effective', text(i.effective)),
      ...optional('onset', text(i.onset)),
      ...optional('expires', text(i.expires)),
      ...optional('senderName', text(i.senderName)),
      ...optional('headline', text(i.headline)),
      ...optional('description', text(i.description)),
      ...optional('instruction', text(i.instruction)),
      ...optional('web', text(i.web)),
      ...optional('contact', text(i.contact)),
      parameter: pairs(i.parameter),
      resource: nodes(i.resource).map((r) => ({
        resourceDesc: text(r.resourceDesc),
        mimeType: text(r.mimeType),
        ...optional('size', num(r.size)),
        ...optional('uri', text(r.uri)),
        ...optional('derefUri', text(r.derefUri)),
        ...optional('digest', text(r.digest)),
      })),
      area: nodes(i.area).map((ar) => ({
        areaDesc: text(ar.areaDesc),
        polygon: texts(ar.polygon),
        circle: texts(ar.circle),
        geocode: pairs(ar.geocode),
        ...optional('altitude', num(ar.altitude)),
        ...optional('ceiling', num(ar.ceiling)),
      })),
    })),
  };
  const parsed = capAlertSchema.safeParse(alert);
  if (!parsed.success) {
    throw invalidCap(parsed.error.issues.slice(0, MAX_PROBLEMS).map((i) => ({ line: null, message: `${i.path.join('.')}: ${i.message}` })));
  }
  return parsed.data;
}

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Validates a document against the schema, then reads it: the one entry point for CAP received from outside. */
export async function parseCapDocument(xml: string, validator: CapValidator): Promise<CapAlert> {
  if (/<!DOCTYPE/i.test(xml)) return readCapAlert(xml);
  await validator.check(xml);
  return readCapAlert(xml);
}

/** Why a text is not well-formed XML (libxml2's messages with lines); empty when it is. */
export async function xmlWellFormedProblems(xml: string): Promise<CapProblem[]> {
  const result = await validateXML({ xml: [{ fileName: 'doc.xml', contents: xml }], normalization: 'format' });
  // The lines without a position repeat the offending source line and a caret.
  const located = result.errors.filter((e) => e.loc !== null);
  return (located.length > 0 ? located : result.errors.slice(0, 1)).map((e) => ({ line: e.loc?.lineNumber ?? null, message: e.message }));
}
