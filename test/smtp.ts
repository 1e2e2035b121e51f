import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/**
 * An in-process SMTP sink for tests and benches: listens on 127.0.0.1 (port 0 = any free port),
 * collects every message with its headers parsed, and refuses recipients by rule.
 *
 *   const sink = await startSmtpSink();
 *   config: SMTP_URL = sink.url
 *   sink.reject({ domain: 'gmx.de', code: 550 });          // permanent, every time
 *   sink.reject({ address: 'a@x.de', code: 451, times: 2 }); // temporary, the first two tries
 *   await sink.waitForCount(10);
 *   sink.messages[0].header('list-unsubscribe')
 *   await sink.stop();
 *
 * `startSmtpSink({ port })` starts a sink on a given port again (an SMTP server that was down and
 * comes back).
 */

export interface SinkMessage {
  /** Envelope sender and recipients. */
  from: string;
  to: string[];
  /** Header name (lower case) → unfolded value with RFC 2047 encoded words decoded; the last one wins. */
  headers: Record<string, string>;
  /** The header's value (any case), undefined if missing. */
  header(name: string): string | undefined;
  /** The Message-ID header without angle brackets. */
  messageId: string | undefined;
  /** The whole message as received (empty when `keepRaw: false`). */
  raw: string;
  /** `Date.now()` when the message was accepted. */
  receivedAt: number;
}

export interface RejectRule {
  /** Exact recipient address (case-insensitive). */
  address?: string;
  /** Recipient domain (case-insensitive). */
  domain?: string;
  /** SMTP reply code, e.g. 550 (permanent) or 451 (temporary). */
  code: number;
  message?: string;
  /** How many times the rule applies (default: always). */
  times?: number;
}

export interface SmtpSink {
  port: number;
  /** `smtp://127.0.0.1:<port>` */
  url: string;
  messages: SinkMessage[];
  /** Every refused recipient with the code given. */
  rejected: { address: string; code: number; at: number }[];
  reject(rule: RejectRule): void;
  clearRules(): void;
  /** Messages per recipient address (lower case). */
  countByRecipient(): Map<string, number>;
  /** Resolves once at least `n` messages arrived (rejects after `ms`). */
  waitForCount(n: number, ms?: number): Promise<void>;
  clear(): void;
  stop(): Promise<void>;
}

export interface SinkOptions {
  port?: number;
  /** Keep the raw message text (default true; benches turn it off). */
  keepRaw?: boolean;
  /** Parse headers (default true). */
  parseHeaders?: boolean;
  /** Called for each accepted message. */
  onMessage?(m: SinkMessage): void;
}

/** Decodes `=?utf-8?B?…?=` and `=?utf-8?Q?…?=` words. */
export function decodeEncodedWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_m, _charset: string, enc: string, text: string) => {
      if (enc.toUpperCase() === 'B') return Buffer.from(text, 'base64').toString('utf8');
      const bytes = text
        .replace(/_/g, ' ')
        .replace(/=([0-9A-Fa-f]{2})/g, (_x, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
      return Buffer.from(bytes, 'latin1').toString('utf8');
    });
}

/** The header block of a raw message: lower-case names, unfolded, encoded words decoded. */
export function parseHeaders(raw: string): Record<string, string> {
  const end = raw.search(/\r?\n\r?\n/);
  const block = end === -1 ? raw : raw.slice(0, end);
  const headers: Record<string, string> = {};
  for (const line of block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    headers[line.slice(0, colon).trim().toLowerCase()] = decodeEncodedWords(line.slice(colon + 1).trim());
  }
  return headers;
}

/** The decoded text of a raw message's body parts (quoted-printable or base64), for link searches. */
export function bodyText(raw: string): string {
  const out: string[] = [];
  const parts = raw.split(/\r?\n--[^\r\n]+\r?\n/);
  for (const part of parts) {
    const end = part.search(/\r?\n\r?\n/);
    if (end === -1) continue;
    const head = parseHeaders(part);
    const body = part.slice(end).trim();
    const enc = (head['content-transfer-encoding'] ?? '').toLowerCase();
    if (enc === 'base64') out.push(Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8'));
    else if (enc === 'quoted-printable')
      out.push(
        Buffer.from(
          body
            .replace(/=\r?\n/g, '')
            .replace(/=([0-9A-Fa-f]{2})/g, (_x, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
          'latin1',
        ).toString('utf8'),
      );
    else out.push(body);
  }
  return out.join('\n');
}

export async function startSmtpSink(opts: SinkOptions = {}): Promise<SmtpSink> {
  const keepRaw = opts.keepRaw ?? true;
  const parse = opts.parseHeaders ?? true;
  const messages: SinkMessage[] = [];
  const rejected: SmtpSink['rejected'] = [];
  let rules: RejectRule[] = [];
  const waiters: { n: number; resolve(): void }[] = [];

  const ruleFor = (address: string) => {
    const a = address.toLowerCase();
    const domain = a.slice(a.lastIndexOf('@') + 1);
    return rules.find(
      (r) =>
        (r.times === undefined || r.times > 0) &&
        (r.address === undefined || r.address.toLowerCase() === a) &&
        (r.domain === undefined || r.domain.toLowerCase() === domain),
    );
  };

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: 10 * 1024 * 1024,
    maxClients: 200,
    // Idle pooled connections are told 421 and closed this soon after stop().
    closeTimeout: 200,
    onRcptTo(address, _session, callback) {
      const rule = ruleFor(address.address);
      if (!rule) return callback();
      if (rule.times !== undefined) rule.times--;
      rejected.push({ address: address.address.toLowerCase(), code: rule.code, at: Date.now() });
      const err = Object.assign(
        new Error(rule.message ?? (rule.code >= 500 ? 'mailbox unavailable' : 'try again later')),
        {
          responseCode: rule.code,
        },
      );
      callback(err);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      let headerText = '';
      stream.on('data', (chunk: Buffer) => {
        if (keepRaw) chunks.push(chunk);
        else if (parse && headerText.length < 16_384 && !/\r?\n\r?\n/.test(headerText))
          headerText += chunk.toString('utf8');
      });
      stream.on('end', () => {
        const raw = keepRaw ? Buffer.concat(chunks).toString('utf8') : '';
        const headers = parse ? parseHeaders(keepRaw ? raw : headerText) : {};
        const msg: SinkMessage = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
          headers,
          header: (name) => headers[name.toLowerCase()],
          messageId: headers['message-id']?.replace(/^<|>$/g, ''),
          raw,
          receivedAt: Date.now(),
        };
        messages.push(msg);
        opts.onMessage?.(msg);
        for (const w of [...waiters]) {
          if (messages.length >= w.n) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve();
          }
        }
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  server.on('error', () => {});
  const port = (server.server.address() as AddressInfo).port;

  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    messages,
    rejected,
    reject(rule) {
      rules.push({ ...rule });
    },
    clearRules() {
      rules = [];
    },
    countByRecipient() {
      const counts = new Map<string, number>();
      for (const m of messages) for (const to of m.to) counts.set(to, (counts.get(to) ?? 0) + 1);
      return counts;
    },
    waitForCount(n, ms = 20_000) {
      if (messages.length >= n) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const w = {
          n,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(w), 1);
          reject(new Error(`SMTP sink: ${messages.length} of ${n} messages after ${ms} ms`));
        }, ms);
        waiters.push(w);
      });
    },
    clear() {
      messages.length = 0;
      rejected.length = 0;
    },
    stop() {
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
