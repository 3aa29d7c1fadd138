/**
 * A small XML writer for Open311's flat documents. No XML library is
 * installed (neither fast-xml-parser nor xmlbuilder2) and these documents
 * are a root, a list of items and scalar fields, so a few escaped lines do.
 * Every text is escaped, and characters XML 1.0 cannot carry are dropped,
 * so no input can break out of its element.
 */
export type XmlScalar = string | number | boolean | null | undefined;
export interface XmlElement {
  name: string;
  content: XmlScalar | XmlElement[];
}

// Characters outside XML 1.0's Char production (control characters, lone surrogates, U+FFFE/U+FFFF).
const INVALID_XML_CHARS = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** Text escaped for element content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(INVALID_XML_CHARS, '').replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' }[c] ?? ''};`);
}

export function el(name: string, content: XmlScalar | XmlElement[]): XmlElement {
  return { name, content };
}

/** A flat record as an element whose children are its fields, in order; array fields repeat `itemName` inside. */
export function recordElement(name: string, record: Record<string, XmlScalar | readonly XmlScalar[]>, itemNames: Record<string, string> = {}): XmlElement {
  return el(
    name,
    Object.entries(record).map(([k, v]) => (isList(v) ? el(k, v.map((x) => el(itemNames[k] ?? 'item', x))) : el(k, v))),
  );
}

function isList(v: XmlScalar | readonly XmlScalar[]): v is readonly XmlScalar[] {
  return Array.isArray(v);
}

function write(e: XmlElement, indent: string, out: string[]): void {
  if (!NAME.test(e.name)) throw new Error(`not an XML element name: ${e.name}`);
  if (Array.isArray(e.content)) {
    if (e.content.length === 0) {
      out.push(`${indent}<${e.name}/>`);
      return;
    }
    out.push(`${indent}<${e.name}>`);
    for (const c of e.content) write(c, `${indent}  `, out);
    out.push(`${indent}</${e.name}>`);
    return;
  }
  const v = e.content;
  if (v === null || v === undefined || v === '') out.push(`${indent}<${e.name}/>`);
  else out.push(`${indent}<${e.name}>${escapeXml(String(v))}</${e.name}>`);
}

/** A whole document with its declaration. */
export function xmlDocument(root: XmlElement): string {
  const out = ['<?xml version="1.0" encoding="utf-8"?>'];
  write(root, '', out);
  return `${out.join('\n')}\n`;
}
