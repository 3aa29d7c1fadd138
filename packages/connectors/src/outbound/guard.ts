import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { AppError, hostAllowed, isLocalName, judgeAddress, NO_OUTBOUND_ALLOW, outboundRefusal, urlHost, type OutboundAllowList } from '@watchfloor/core';

/** One address a name resolves to. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to its addresses (the system's resolver; tests inject their own). */
export type Resolver = (name: string) => Promise<ResolvedAddress[]>;

/** The system resolver (getaddrinfo: hosts file, then DNS), every address in the order given. */
export const systemResolver: Resolver = (name) =>
  new Promise((resolve, reject) => {
    dnsLookup(name, { all: true, verbatim: true }, (err, addresses: LookupAddress[]) => {
      if (err) reject(err);
      else resolve(addresses.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 })));
    });
  });

/** A name that resolved to nothing: a connection failure like any other, with the errno a socket would give. */
class NotFound extends Error {
  readonly code = 'ENOTFOUND';
  constructor(name: string) {
    super(`${name} resolved to no address`);
  }
}

/**
 * The one gate every outbound connection of the server goes through (HTTP
 * and SQL pulls, alert webhooks, and whatever comes next). A host is
 * resolved once, each address judged (core's `judgeAddress`), and only the
 * checked addresses are handed to the socket: the address connected to is
 * the address judged, so a name that answers differently a moment later
 * (DNS rebinding) gains nothing. Literal addresses and local names are
 * judged before any lookup. A refusal is `outbound_not_allowed`.
 */
export class OutboundGuard {
  /** For `net.connect`, `tls.connect`, undici's `connect`: resolves through the guard. */
  readonly lookup: LookupFunction;

  constructor(
    readonly allow: OutboundAllowList = NO_OUTBOUND_ALLOW,
    private readonly resolver: Resolver = systemResolver,
  ) {
    this.lookup = (hostname: string, options: LookupOptions, callback) => {
      this.resolve(hostname).then(
        (all) => {
          const family = options.family === 6 || options.family === 'IPv6' ? 6 : options.family === 4 || options.family === 'IPv4' ? 4 : 0;
          const usable = family === 0 ? all : all.filter((a) => a.family === family);
          const first = usable[0];
          if (!first) callback(new NotFound(hostname), '', 0);
          else if (options.all) callback(null, usable);
          else callback(null, first.address, first.family);
        },
        (err: Error) => callback(err, '', 0),
      );
    };
  }

  /**
   * The addresses a connection to `host` may use: every address the name
   * resolves to, once, each judged; one refused address refuses the host
   * (a name pointing inside is not a public destination). A listed host
   * name is allowed whatever it resolves to.
   */
  async resolve(host: string): Promise<ResolvedAddress[]> {
    const bare = host.replace(/^\[(.*)\]$/, '$1');
    let literal: ReturnType<typeof urlHost>;
    try {
      // Through the URL parser, so a host written 2130706433, 0x7f.1 or 127.1 is judged as the address it is.
      literal = urlHost(new URL(`http://${bare.includes(':') ? `[${bare}]` : bare}`));
    } catch {
      throw new NotFound(host);
    }
    if ('address' in literal) {
      const refusal = judgeAddress(literal.address, this.allow, host);
      if (refusal) throw refusal;
      return [{ address: literal.address, family: literal.address.includes(':') ? 6 : 4 }];
    }
    const name = literal.name;
    const listed = hostAllowed(name, this.allow);
    if (!listed && isLocalName(name)) throw outboundRefusal(name, 'it names this machine');
    const addresses = await this.resolver(name);
    if (addresses.length === 0) throw new NotFound(name);
    if (listed) return addresses;
    for (const a of addresses) {
      const refusal = judgeAddress(a.address, this.allow, name);
      if (refusal) throw refusal;
    }
    return addresses;
  }

  /**
   * Judges what can be judged of a URL before connecting: only http and
   * https, literal addresses, names meaning this machine. The name's
   * addresses are judged when the connection resolves it (`lookup`).
   */
  checkUrl(url: URL): void {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw outboundRefusal(url.origin, `only http and https are allowed, not ${url.protocol}`);
    const host = urlHost(url);
    if ('address' in host) {
      const refusal = judgeAddress(host.address, this.allow, url.host);
      if (refusal) throw refusal;
    } else if (!hostAllowed(host.name, this.allow) && isLocalName(host.name)) {
      throw outboundRefusal(url.host, 'it names this machine');
    }
  }
}

/** The guard's refusal inside a failed connection's chain of causes (fetch wraps it), if that is why it failed. */
export function refusalIn(e: unknown): AppError | null {
  let cur: unknown = e;
  for (let depth = 0; depth < 5 && cur instanceof Error; depth++) {
    if (cur instanceof AppError && cur.code === 'outbound_not_allowed') return cur;
    cur = cur.cause;
  }
  return null;
}

/** The one wording of a failure to connect. */
export const connectFailureMessage = (destination: string): string => `No answer from ${destination}: it could not be reached, or did not answer in time (the cause is in the server log)`;

/**
 * A failure to connect, in one wording whatever happened (refused,
 * unreachable, unknown name, TLS, no answer before the time allowed): the
 * differences would map which hosts and ports answer on a network the
 * caller cannot see (a closed port refuses at once, a filtered one stays
 * silent, an open one accepts). The driver's own error is kept as
 * `cause`, for the server log only.
 */
export function connectFailure(destination: string, cause: unknown): AppError {
  const refusal = refusalIn(cause);
  if (refusal) return refusal;
  const err = new AppError('source_unreachable', connectFailureMessage(destination));
  err.cause = cause;
  return err;
}

/** What actually failed under an error (the deepest cause: the socket's, the resolver's, TLS's), for the server log only. */
export function failureCause(e: unknown): { code?: string; message: string } | undefined {
  if (!(e instanceof Error) || !(e.cause instanceof Error)) return undefined;
  let cur: Error = e.cause;
  for (let depth = 0; depth < 5 && cur.cause instanceof Error; depth++) cur = cur.cause;
  const code = 'code' in cur && typeof cur.code === 'string' ? cur.code : undefined;
  return code === undefined ? { message: cur.message } : { code, message: cur.message };
}
