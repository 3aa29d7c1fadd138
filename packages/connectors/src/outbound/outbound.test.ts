import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, judgeAddress, NO_OUTBOUND_ALLOW, parseOutboundAllow } from '@watchfloor/core';
import { closeOutbound, connectFailure, connectFailureMessage, guardedFetch, OutboundGuard, type ResolvedAddress, type Resolver } from './index';

/**
 * The outbound guard against the destinations an attacker would try. Only
 * the loopback peer below is ever connected to: every refusal is made
 * before a connection is attempted, which `seen` (what the peer received)
 * proves where it matters.
 */
let server: Server;
let port = 0;
let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end('ok');
const seen: { url: string; headers: IncomingMessage['headers'] }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    handler(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const allow = (text: string) => parseOutboundAllow(text).allow;
const guards: OutboundGuard[] = [];
const guardOf = (text: string, resolver?: Resolver) => {
  const g = new OutboundGuard(allow(text), resolver);
  guards.push(g);
  return g;
};
afterAll(async () => {
  for (const g of guards) await closeOutbound(g);
});

const get = (guard: OutboundGuard, url: string, maxRedirects = 5) => guardedFetch(guard, new URL(url), { method: 'GET', headers: [['authorization', 'Bearer secret-token']], maxRedirects });

const failure = async (p: Promise<unknown>): Promise<AppError> => {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected a failure');
};

/** A resolver that answers from a table and counts its calls, as a DNS server an attacker controls would. */
function fakeDns(answers: (name: string, call: number) => string[]): Resolver & { calls: number } {
  const resolver = Object.assign(
    async (name: string): Promise<ResolvedAddress[]> => {
      resolver.calls++;
      return answers(name, resolver.calls).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    },
    { calls: 0 },
  );
  return resolver;
}

describe('outbound guard: which addresses', () => {
  it('refuses loopback, link-local, private, CGNAT, unique-local, multicast, unspecified, broadcast, reserved and IPv4 inside IPv6', () => {
    const refused = {
      loopback: ['127.0.0.1', '127.8.9.10', '::1'],
      'link-local': ['169.254.169.254', 'fe80::1'],
      private: ['10.0.0.1', '172.16.5.4', '172.31.255.255', '192.168.1.1'],
      'carrier-grade NAT': ['100.64.0.1', '100.127.255.254'],
      'unique-local': ['fc00::1', 'fd12:3456::1'],
      multicast: ['224.0.0.1', '239.255.255.250', 'ff02::1'],
      unspecified: ['0.0.0.0', '::'],
      broadcast: ['255.255.255.255'],
      reserved: ['240.0.0.1', '192.0.2.1', '2001:db8::1'],
      // Mapped and compatible forms are judged as the IPv4 address they carry; NAT64 and 6to4 tunnel to addresses we cannot see.
      'IPv4 inside IPv6': ['::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:169.254.169.254', '::ffff:10.0.0.1', '::127.0.0.1', '64:ff9b::7f00:1', '2002:7f00:1::1'],
    };
    for (const [kind, addresses] of Object.entries(refused)) {
      for (const a of addresses) expect(judgeAddress(a, NO_OUTBOUND_ALLOW)?.code, `${kind} ${a}`).toBe('outbound_not_allowed');
    }
    // Public addresses pass (judged only: nothing connects to them).
    for (const a of ['93.184.216.34', '8.8.8.8', '2606:4700::1111', '::ffff:8.8.8.8']) expect(judgeAddress(a, NO_OUTBOUND_ALLOW), a).toBeNull();
  });

  it('lets through what an administrator lists: an address, a CIDR range (IPv4 however written), a host name', () => {
    const list = allow('127.0.0.1, 10.20.0.0/16, fd00::/8, Peer.Agency.gov.vn.');
    expect(judgeAddress('127.0.0.1', list)).toBeNull();
    expect(judgeAddress('::ffff:127.0.0.1', list)).toBeNull();
    expect(judgeAddress('10.20.3.4', list)).toBeNull();
    expect(judgeAddress('fd00::5', list)).toBeNull();
    expect(judgeAddress('127.0.0.2', list)?.code).toBe('outbound_not_allowed');
    expect(judgeAddress('10.21.0.1', list)?.code).toBe('outbound_not_allowed');
    expect(list.hosts).toEqual(['peer.agency.gov.vn']);
    expect(judgeAddress('169.254.169.254', list)?.message).toMatch(/169\.254\.169\.254 is a link-local address.*WATCHFLOOR_OUTBOUND_ALLOW/);
  });

  it('names each entry of the allow list it cannot read', () => {
    expect(parseOutboundAllow('10.0.0.0/33, 0x7f.1, 2130706433, not a host, ok.example.vn').problems).toEqual([
      '"10.0.0.0/33" is not a CIDR range (e.g. 10.20.0.0/16 or fd00::/8)',
      '"0x7f.1" is an address in an unusual notation; write it as a dotted quad (e.g. 127.0.0.1)',
      '"2130706433" is an address in an unusual notation; write it as a dotted quad (e.g. 127.0.0.1)',
      '"not a host" is not a host name, an address or a CIDR range',
    ]);
  });
});

describe('outbound guard: requests', () => {
  it('refuses loopback in every notation, and names meaning this machine, before connecting', async () => {
    const guard = guardOf('');
    const before = seen.length;
    const forms = [
      `http://127.0.0.1:${port}/`,
      `http://2130706433:${port}/`,
      `http://0177.0.0.1:${port}/`,
      `http://0x7f.1:${port}/`,
      `http://127.1:${port}/`,
      `http://[::ffff:127.0.0.1]:${port}/`,
      `http://[::1]:${port}/`,
      `http://localhost:${port}/`,
      `http://LOCALHOST.:${port}/`,
      `http://api.localhost:${port}/`,
      'http://169.254.169.254/latest/meta-data/',
      'http://10.0.0.1/',
      'http://[fd00::1]/',
      'file:///etc/passwd',
    ];
    for (const url of forms) expect((await failure(get(guard, url))).code, url).toBe('outbound_not_allowed');
    expect(seen.length).toBe(before);
  });

  it('connects when the destination is allowed, and only to the address it checked', async () => {
    const before = seen.length;
    expect((await get(guardOf('127.0.0.1'), `http://2130706433:${port}/ok`)).status).toBe(200);
    expect((await get(guardOf('localhost'), `http://localhost:${port}/ok`)).status).toBe(200);
    // A name the system cannot resolve reaches the peer: the connection used the guard's own (checked) answer.
    const dns = fakeDns(() => ['127.0.0.1']);
    expect((await get(guardOf('127.0.0.1', dns), `http://peer.test:${port}/ok`)).status).toBe(200);
    expect(seen.length).toBe(before + 3);
  });

  it('judges the addresses a name resolves to: loopback behind a public-looking name is refused', async () => {
    const before = seen.length;
    const toLoopback = fakeDns(() => ['127.0.0.1']);
    expect((await failure(get(guardOf('', toLoopback), `http://innocent.example:${port}/`))).code).toBe('outbound_not_allowed');
    // One inside address among public ones refuses the name.
    const mixed = fakeDns(() => ['93.184.216.34', '10.1.2.3']);
    expect((await failure(get(guardOf('', mixed), `http://mixed.example:${port}/`))).message).toMatch(/mixed\.example.*10\.1\.2\.3 is a private network address/);
    expect(seen.length).toBe(before);
  });

  it('resolves once per connection, so a name that changes its answer (DNS rebinding) cannot slip in another address', async () => {
    // The first answer is allowed; every later one would be the metadata service.
    const rebinding = fakeDns((_name, call) => (call === 1 ? ['127.0.0.1'] : ['169.254.169.254']));
    const guard = guardOf('127.0.0.1', rebinding);
    const before = seen.length;
    expect((await get(guard, `http://rebind.test:${port}/first`)).status).toBe(200);
    expect(rebinding.calls).toBe(1);
    expect(seen.slice(before).map((s) => s.url)).toEqual(['/first']);
    // A fresh connection asks again, and the new answer is judged on its own.
    const fresh = guardOf('127.0.0.1', rebinding);
    expect((await failure(get(fresh, `http://rebind.test:${port}/second`))).code).toBe('outbound_not_allowed');
    expect(seen.length).toBe(before + 1);
  });

  it('judges every redirect: one to a refused address is refused, credentials never follow to another host', async () => {
    const guard = guardOf('127.0.0.1, localhost');
    const targets: Record<string, string> = {
      '/to-metadata': 'http://169.254.169.254/latest/meta-data/iam',
      '/to-decimal-private': 'http://167772161/',
      '/to-ipv6-loopback': `http://[::1]:${port}/`,
      '/to-mapped': `http://[::ffff:10.0.0.1]:${port}/`,
      '/to-localhost': `http://localhost:${port}/landed`,
      '/same-host': '/landed',
      '/loop': '/loop',
    };
    handler = (req, res) => {
      const to = targets[req.url ?? ''];
      if (to) res.writeHead(302, { location: to }).end();
      else res.end('landed');
    };
    try {
      for (const path of ['/to-metadata', '/to-decimal-private', '/to-ipv6-loopback', '/to-mapped']) {
        const before = seen.length;
        expect((await failure(get(guard, `http://127.0.0.1:${port}${path}`))).code, path).toBe('outbound_not_allowed');
        expect(seen.length, path).toBe(before + 1);
      }
      let before = seen.length;
      expect(await (await get(guard, `http://127.0.0.1:${port}/same-host`)).text()).toBe('landed');
      expect(seen.slice(before).map((s) => s.headers.authorization)).toEqual(['Bearer secret-token', 'Bearer secret-token']);
      before = seen.length;
      expect(await (await get(guard, `http://127.0.0.1:${port}/to-localhost`)).text()).toBe('landed');
      // Another origin: the request's own headers (which may carry the source's credentials) stay behind.
      expect(seen.slice(before).map((s) => s.headers.authorization)).toEqual(['Bearer secret-token', undefined]);
      expect((await failure(get(guard, `http://127.0.0.1:${port}/loop`, 3))).message).toMatch(/redirected more than 3 times/);
      // Not following (webhooks): the redirect itself is the answer.
      expect((await get(guard, `http://127.0.0.1:${port}/to-metadata`, 0)).status).toBe(302);
    } finally {
      handler = (_req, res) => res.end('ok');
    }
  });

  it('words every failure to connect the same way, keeping the cause for the log', async () => {
    const unknownName = fakeDns(() => []);
    const refusedPort = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const attempts: [OutboundGuard, string][] = [
      [guardOf('127.0.0.1'), `http://127.0.0.1:${refusedPort}/`],
      [guardOf('127.0.0.1', unknownName), `http://nowhere.test:${port}/`],
      // TLS to a peer that speaks plain HTTP.
      [guardOf('127.0.0.1'), `https://127.0.0.1:${port}/`],
    ];
    for (const [guard, url] of attempts) {
      const origin = new URL(url).origin;
      let caught: unknown;
      try {
        await get(guard, url);
      } catch (e) {
        caught = e;
      }
      const err = connectFailure(origin, caught);
      expect({ code: err.code, message: err.message }, url).toEqual({ code: 'source_unreachable', message: connectFailureMessage(origin) });
      expect(err.cause).toBeDefined();
    }
  });
});
