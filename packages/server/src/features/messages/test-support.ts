import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** A mail as the test SMTP server accepted it: its recipients and its whole MIME text. */
export interface Mail {
  to: string[];
  data: string;
}

/**
 * A real SMTP server on loopback for the tests of what leaves by e-mail: it
 * keeps every mail it accepts, and refuses mailboxes named refuse@… with
 * 550, as a server refuses an unknown mailbox.
 */
export async function smtpPeer(): Promise<{ port: number; mails: Mail[]; env: Record<string, string>; close(): Promise<void> }> {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onRcptTo(address, _session, callback) {
      if (address.address.startsWith('refuse@')) return callback(Object.assign(new Error('No such mailbox'), { responseCode: 550 }));
      callback();
    },
    onData(stream, session, callback) {
      let data = '';
      stream.on('data', (c: Buffer) => (data += c.toString()));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), data });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  // The configuration that sends through it: on loopback, allowed as an administrator would list it, plain SMTP.
  const env = {
    WATCHFLOOR_OUTBOUND_ALLOW: '127.0.0.1',
    WATCHFLOOR_SMTP_HOST: '127.0.0.1',
    WATCHFLOOR_SMTP_PORT: String(port),
    WATCHFLOOR_SMTP_TLS: 'none',
    WATCHFLOOR_SMTP_FROM: 'IOC Vĩnh Long <ioc@vinhlong.test>',
  };
  return { port, mails, env, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
