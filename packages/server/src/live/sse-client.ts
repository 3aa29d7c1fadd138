/** One Server-Sent Event as a test reads it. */
export interface SseMessage {
  id?: string;
  data?: string;
  retry?: number;
}

/**
 * A minimal Server-Sent Events reader over fetch's streaming body, for
 * tests: `next(predicate, timeoutMs)` waits for the first matching event
 * with a deadline (the real clock only bounds the wait). The deadline is
 * generous, since the wait ends as soon as the event arrives and a loaded
 * machine must not fail a test that would pass; a test that must show an
 * event did NOT arrive sends a marker after it and reads up to the marker.
 */
export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
  const ctl = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: ctl.signal });
  if (!res.body) throw new Error('no body');
  return new SseStream(res, res.body.getReader(), ctl);
}

/** How long `next` waits by default: well within vitest's 30 s test timeout, far beyond any healthy delivery. */
const DEFAULT_WAIT_MS = 15_000;

export class SseStream {
  private buffer = '';
  private readonly decoder = new TextDecoder();
  private readonly queue: SseMessage[] = [];

  constructor(
    readonly response: Response,
    private readonly reader: ReadableStreamDefaultReader<Uint8Array>,
    private readonly ctl: AbortController,
  ) {}

  async next(match: (m: SseMessage) => boolean, timeoutMs = DEFAULT_WAIT_MS): Promise<SseMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.queue.findIndex(match);
      if (i >= 0) return this.queue.splice(i, 1)[0]!;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`No matching event within ${timeoutMs} ms`);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<null>((resolve) => {
        timer = setTimeout(() => resolve(null), left);
      });
      const chunk = await Promise.race([this.reader.read(), timeout]);
      clearTimeout(timer);
      if (chunk === null) continue;
      if (chunk.done) throw new Error('The stream ended');
      this.buffer += this.decoder.decode(chunk.value, { stream: true });
      this.parse();
    }
  }

  close(): void {
    this.ctl.abort();
  }

  private parse(): void {
    for (let end = this.buffer.indexOf('\n\n'); end >= 0; end = this.buffer.indexOf('\n\n')) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const m: SseMessage = {};
      for (const line of block.split('\n')) {
        const colon = line.indexOf(':');
        if (colon === 0) continue;
        const field = line.slice(0, colon);
        const value = line.slice(colon + 1).replace(/^ /, '');
        if (field === 'id') m.id = value;
        else if (field === 'data') m.data = m.data === undefined ? value : `${m.data}\n${value}`;
        else if (field === 'retry') m.retry = Number(value);
      }
      if (m.id !== undefined || m.data !== undefined || m.retry !== undefined) this.queue.push(m);
    }
  }
}
