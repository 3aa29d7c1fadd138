import ipaddr from 'ipaddr.js';
import { AppError } from './errors';

/**
 * Which destinations the server may send requests to (pulls, webhooks and
 * every other outbound call): the judgement only, pure. The connectors'
 * outbound guard applies it to the address a connection is actually made
 * to, after resolution and on every redirect.
 *
 * Everything but public unicast addresses is refused: loopback, link-local
 * (and so the cloud metadata address 169.254.169.254), private (RFC 1918),
 * carrier-grade NAT (100.64/10), unique-local (fc00::/7), multicast,
 * unspecified, broadcast and reserved ranges, and IPv6 forms that carry an
 * IPv4 address (mapped ::ffff:a.b.c.d and compatible ::a.b.c.d are judged
 * as that IPv4 address; NAT64, 6to4 and Teredo, which tunnel to addresses
 * we cannot see, are refused). Names that mean this machine (`localhost`,
 * `*.localhost`) are refused before any lookup. An administrator lets a
 * destination through by listing it (WATCHFLOOR_OUTBOUND_ALLOW).
 */

/** What an administrator allowed: host names (exact, lowercase) and address ranges. */
export interface OutboundAllowList {
  hosts: readonly string[];
  /** CIDR ranges; a single address is a range of one. */
  ranges: readonly (readonly [ipaddr.IPv4 | ipaddr.IPv6, number])[];
}

/** Nothing allowed beyond public addresses. */
export const NO_OUTBOUND_ALLOW: OutboundAllowList = { hosts: [], ranges: [] };

const HOST_NAME = /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*$/;

/** A host name as compared: lowercase, without the root's trailing dot. */
const normaliseName = (name: string): string => name.toLowerCase().replace(/\.$/, '');

/** An address written in one of the standard forms (dotted-quad IPv4, IPv6), without brackets; null otherwise. */
function parseStrictAddress(text: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  const bare = text.replace(/^\[(.*)\]$/, '$1');
  if (ipaddr.IPv4.isValidFourPartDecimal(bare)) return ipaddr.IPv4.parse(bare);
  if (ipaddr.IPv6.isValid(bare)) return ipaddr.IPv6.parse(bare);
  return null;
}

/**
 * Parses WATCHFLOOR_OUTBOUND_ALLOW: comma-separated host names, addresses
 * and CIDR ranges (`peer.agency.gov.vn, 10.20.0.0/16, 192.168.1.5, fd00::/8`).
 * Each entry that is none of these is named in `problems`.
 */
export function parseOutboundAllow(text: string | undefined): { allow: OutboundAllowList; problems: string[] } {
  const hosts: string[] = [];
  const ranges: [ipaddr.IPv4 | ipaddr.IPv6, number][] = [];
  const problems: string[] = [];
  for (const raw of (text ?? '').split(',')) {
    const entry = raw.trim();
    if (entry === '') continue;
    if (entry.includes('/')) {
      const [addr = '', bits = ''] = entry.split('/');
      const address = parseStrictAddress(addr);
      const prefix = /^\d{1,3}$/.test(bits) ? Number(bits) : NaN;
      if (address && prefix <= (address.kind() === 'ipv4' ? 32 : 128)) ranges.push([address, prefix]);
      else problems.push(`"${entry}" is not a CIDR range (e.g. 10.20.0.0/16 or fd00::/8)`);
      continue;
    }
    const address = parseStrictAddress(entry);
    if (address) {
      ranges.push([address, address.kind() === 'ipv4' ? 32 : 128]);
      continue;
    }
    const name = normaliseName(entry);
    // A name ending in a number is an address in another notation (0x7f.1, 2130706433) to the URL parser: ask for the dotted form.
    if (/(^|\.)(0x[0-9a-f]*|\d+)$/.test(name)) problems.push(`"${entry}" is an address in an unusual notation; write it as a dotted quad (e.g. 127.0.0.1)`);
    else if (HOST_NAME.test(name)) hosts.push(name);
    else problems.push(`"${entry}" is not a host name, an address or a CIDR range`);
  }
  return { allow: { hosts, ranges }, problems };
}

/** The IPv4 address an IPv6 address stands for (mapped ::ffff:a.b.c.d or compatible ::a.b.c.d), else the address itself. */
function unwrap(address: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv4 | ipaddr.IPv6 {
  if (address.kind() === 'ipv4' || address.range() !== 'ipv4Mapped') return address;
  const bytes = address.toByteArray().slice(12);
  return ipaddr.fromByteArray(bytes);
}

function inRange(address: ipaddr.IPv4 | ipaddr.IPv6, range: readonly [ipaddr.IPv4 | ipaddr.IPv6, number]): boolean {
  const [base, bits] = range;
  const a = unwrap(address);
  const b = unwrap(base);
  // An IPv4 entry matches an IPv4 address however it was written (mapped or not); kinds never match across.
  if (a.kind() !== b.kind()) return false;
  const shift = bits - (base.kind() === b.kind() ? 0 : 96);
  return a.match(b, Math.max(0, shift));
}

/** Why an address is refused ('loopback', 'private', …), or null for a public unicast address. */
export function refusedRange(text: string): string | null {
  if (!ipaddr.isValid(text)) return 'not an address';
  const address = unwrap(ipaddr.parse(text));
  const range = address.range();
  return range === 'unicast' ? null : range;
}

/** Whether a host name is one that means this machine, refused before any lookup. */
export function isLocalName(name: string): boolean {
  const n = normaliseName(name);
  return n === 'localhost' || n.endsWith('.localhost') || n === 'localhost.localdomain';
}

/** Whether an administrator listed this host name. */
export function hostAllowed(name: string, allow: OutboundAllowList): boolean {
  return allow.hosts.includes(normaliseName(name));
}

/**
 * Judges one address a connection would be made to: null when it may be
 * (public, or within an allowed range), else the refusal as a coded error
 * (`outbound_not_allowed`) naming the destination and the kind of range.
 */
export function judgeAddress(address: string, allow: OutboundAllowList, destination: string = address): AppError | null {
  const why = refusedRange(address);
  if (why === null) return null;
  if (ipaddr.isValid(address)) {
    const parsed = ipaddr.parse(address);
    if (allow.ranges.some((r) => inRange(parsed, r))) return null;
  }
  return outboundRefusal(destination, `${address} is a ${rangeWords(why)} address`);
}

/** The refusal of a destination, with the way to allow it. */
export function outboundRefusal(destination: string, reason: string): AppError {
  return new AppError(
    'outbound_not_allowed',
    `Requests to ${destination} are not allowed: ${reason}. An administrator can allow it by listing the host or its address range in WATCHFLOOR_OUTBOUND_ALLOW`,
    { destination },
  );
}

const RANGE_WORDS: Record<string, string> = {
  loopback: 'loopback (this machine)',
  private: 'private network',
  linkLocal: 'link-local',
  carrierGradeNat: 'carrier-grade NAT',
  uniqueLocal: 'unique-local (private IPv6)',
  multicast: 'multicast',
  unspecified: 'unspecified',
  broadcast: 'broadcast',
  reserved: 'reserved',
};

const rangeWords = (range: string): string => RANGE_WORDS[range] ?? `${range} (not public)`;

/**
 * The host of a URL as the WHATWG parser normalised it (decimal, octal, hex
 * and short IPv4 forms are already dotted quads; IPv6 keeps its brackets):
 * an address to judge at once, or a name to resolve first.
 */
export function urlHost(url: URL): { address: string } | { name: string } {
  const host = url.hostname;
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  return ipaddr.isValid(bare) && (host.startsWith('[') || ipaddr.IPv4.isValidFourPartDecimal(bare)) ? { address: bare } : { name: host };
}
