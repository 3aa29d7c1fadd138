import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A record as another agency's API keeps it. */
export interface PeerRecord {
  id: number;
  code: string;
  commune: string;
  day: string;
  reading: unknown;
}

export type PeerMode = 'ok' | 'http500' | 'garbage' | 'hang' | { dropOnRequest: number };

/**
 * Another agency's JSON API, served over a real local connection:
 * `GET /<feed>?after=<id>&limit=<n>` answers `{ items, next }` with the
 * records after `id`, `next` being the last id when more follow. It asks for
 * `Authorization: Bearer <token>`, and can fail on demand.
 */
export class TestPeer {
  readonly feeds = new Map<string, PeerRecord[]>();
  readonly requests: { feed: string; after: string | null; authorization: string | undefined }[] = [];
  mode: PeerMode = 'ok';
  pageSize = 3;
  private server: Server | null = null;
  private count = 0;
  base = '';

  constructor(readonly token: string) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => this.answer(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  /** Requests received for a feed, in order. */
  requestsOf(feed: string): { after: string | null; authorization: string | undefined }[] {
    return this.requests.filter((r) => r.feed === feed);
  }

  add(feed: string, records: PeerRecord[]): void {
    this.feeds.set(feed, [...(this.feeds.get(feed) ?? []), ...records]);
  }

  private answer(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://peer');
    const feed = url.pathname.slice(1);
    const after = url.searchParams.get('after');
    this.requests.push({ feed, after, authorization: req.headers.authorization });
    this.count++;
    const mode = this.mode;
    if (mode === 'hang') return; // never answers: the client's timeout ends it
    if (mode === 'http500') {
      res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"database down"}');
      return;
    }
    if (mode === 'garbage') {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html>Bảo trì hệ thống</html>');
      return;
    }
    if (req.headers.authorization !== `Bearer ${this.token}`) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"unauthorized"}');
      return;
    }
    const records = (this.feeds.get(feed) ?? []).filter((r) => after === null || r.id > Number(after));
    const page = records.slice(0, Number(url.searchParams.get('limit') ?? this.pageSize));
    const body = JSON.stringify({ items: page, next: records.length > page.length ? String(page[page.length - 1]!.id) : null });
    if (typeof mode === 'object' && this.requestsOf(feed).length === mode.dropOnRequest) {
      // Headers and half the answer, then the connection is cut.
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) });
      res.write(body.slice(0, Math.floor(body.length / 2)));
      setTimeout(() => req.socket.destroy(), 20);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  }
}

/** Daily PM2.5 records of a commune, ids from `firstId`. */
export function pm25Records(communes: string[], firstId: number, count: number): PeerRecord[] {
  // Each id is its own commune and day, so every record is a distinct observation.
  return Array.from({ length: count }, (_, i) => {
    const id = firstId + i;
    return { id, code: 'PM25', commune: communes[id % communes.length]!, day: new Date(Date.UTC(2026, 6, 1 + Math.floor(id / communes.length))).toISOString().slice(0, 10), reading: 10 + (id % 40) };
  });
}

/** The HTTP pull configuration of a feed of the peer: cursor `after`, pages of 3, a record cursor, the token from the credentials. */
export function peerPullConfig(base: string, feed: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    kind: 'http',
    url: `${base}/${feed}`,
    headers: { Authorization: 'Bearer {{credentials.token}}' },
    query: { limit: '3' },
    cursorParam: 'after',
    records: 'items.{ "indicator": code, "place": commune, "period": day, "value": reading, "id": id }',
    nextCursor: 'next',
    recordCursor: '$string(id)',
    timeoutMs: 2000,
    ...extra,
  };
}
