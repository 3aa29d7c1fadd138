import nodemailer from 'nodemailer';
import { fillGatewayTemplate } from '@watchfloor/core';
import { connectFailure, failureCause, guardedFetch, type OutboundGuard } from '@watchfloor/connectors';
import type { GatewayConfig, SmtpConfig } from '../../config';

/** One message as a channel sends it. */
export interface Outgoing {
  id: number;
  address: string;
  subject: string;
  body: string;
  /** Files sent with it (e-mail only: a gateway sends the text). */
  attachments?: readonly { filename: string; content: Buffer; contentType: string }[];
}

/** A channel: null when sent, else why not (one wording for anything unreachable; the cause goes to the log). */
export interface Channel {
  send(m: Outgoing): Promise<string | null>;
}

type Log = { warn(obj: object, msg: string): void };

/**
 * E-mail over SMTP with nodemailer. The server's name is resolved through
 * the outbound guard and the connection made to the address judged (the
 * name kept for TLS), so mail cannot be pointed inside unless allowed.
 */
export class SmtpChannel implements Channel {
  constructor(
    private readonly smtp: SmtpConfig,
    private readonly guard: OutboundGuard,
    private readonly log?: Log,
    private readonly timeoutMs = 20_000,
  ) {}

  async send(m: Outgoing): Promise<string | null> {
    const destination = `smtp://${this.smtp.host}:${this.smtp.port}`;
    let address: string;
    try {
      const [first] = await this.guard.resolve(this.smtp.host);
      if (!first) throw new Error(`no address for ${this.smtp.host}`);
      address = first.address;
    } catch (e) {
      const err = connectFailure(destination, e);
      if (err.code !== 'outbound_not_allowed') this.log?.warn({ smtp: destination, messageId: m.id, cause: failureCause(err) }, 'e-mail not sent');
      return err.message;
    }
    const transport = nodemailer.createTransport({
      host: address,
      port: this.smtp.port,
      secure: this.smtp.tls === 'tls',
      requireTLS: this.smtp.tls === 'starttls',
      ignoreTLS: this.smtp.tls === 'none',
      tls: { servername: this.smtp.host },
      name: 'watchfloor',
      auth: this.smtp.user ? { user: this.smtp.user, pass: this.smtp.password ?? '' } : undefined,
      connectionTimeout: this.timeoutMs,
      greetingTimeout: this.timeoutMs,
      socketTimeout: this.timeoutMs,
    });
    try {
      await transport.sendMail({ from: this.smtp.from, to: m.address, subject: m.subject, text: m.body, ...(m.attachments ? { attachments: m.attachments.map((a) => ({ ...a })) } : {}) });
      return null;
    } catch (e) {
      const code = (e as { responseCode?: number }).responseCode;
      this.log?.warn({ smtp: destination, messageId: m.id, cause: { code: (e as { code?: string }).code, message: e instanceof Error ? e.message : String(e) } }, 'e-mail not sent');
      // A refusal by the server (5xx, 4xx) is its answer; anything else reads as unreachable.
      return code ? `SMTP ${code}` : connectFailure(destination, e).message;
    } finally {
      transport.close();
    }
  }
}

/**
 * An SMS/OTT gateway over HTTP: a POST to the configured URL with its headers
 * ({{secret}} filled) and body template ({{to}}, {{text}}, …), through the
 * outbound guard, no redirect followed. A 2xx answer sends, except that a
 * Zalo answer carrying a non-zero `error` is Zalo's refusal.
 */
export class GatewayChannel implements Channel {
  constructor(
    private readonly gateway: GatewayConfig,
    private readonly guard: OutboundGuard,
    private readonly log?: Log,
    private readonly timeoutMs = 10_000,
  ) {}

  async send(m: Outgoing): Promise<string | null> {
    const url = new URL(this.gateway.url);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    for (const [k, v] of Object.entries(this.gateway.headers)) headers[k.toLowerCase()] = v.replaceAll('{{secret}}', this.gateway.secret ?? '');
    const body = fillGatewayTemplate(this.gateway.body, { to: m.address, text: m.body, subject: m.subject, id: String(m.id) });
    try {
      const res = await guardedFetch(this.guard, url, { method: 'POST', headers, body, signal: AbortSignal.timeout(this.timeoutMs), maxRedirects: 0 });
      const text = await res.text();
      if (!res.ok) return `HTTP ${res.status}`;
      if (this.gateway.preset === 'zalo_oa') {
        const answer = safeJson(text) as { error?: number; message?: string } | undefined;
        if (answer && typeof answer.error === 'number' && answer.error !== 0) return `Zalo error ${answer.error}: ${String(answer.message ?? '').slice(0, 200)}`;
      }
      return null;
    } catch (e) {
      const err = connectFailure(url.origin, e);
      if (err.code !== 'outbound_not_allowed') this.log?.warn({ gateway: url.origin, messageId: m.id, cause: failureCause(err) ?? { message: e instanceof Error ? e.message : String(e) } }, 'gateway message not sent');
      return err.message;
    }
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
