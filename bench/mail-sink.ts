import { startSmtpSink } from '../test/smtp.ts';

/**
 * The SMTP sink of `npm run bench -- mail`, in its own process (so it does not share the CPU core
 * of what is measured): counts messages per Message-ID host (`<id@host>`) and per Message-ID.
 * IPC: sends `{ port }` once listening; answers `{ cmd: 'stats' }` with the totals per host and
 * `{ cmd: 'ids', host }` with every Message-ID of that host and how often it arrived.
 */
const byId = new Map<string, number>();
const byHost = new Map<string, number>();
const sink = await startSmtpSink({
  keepRaw: false,
  onMessage(m) {
    const id = m.messageId ?? '';
    byId.set(id, (byId.get(id) ?? 0) + 1);
    const host = id.slice(id.lastIndexOf('@') + 1);
    byHost.set(host, (byHost.get(host) ?? 0) + 1);
  },
});
// The sink keeps no message objects: the counters are all it needs.
const keep = sink.messages;
setInterval(() => {
  keep.length = 0;
}, 200).unref();

process.on('message', (msg: { cmd: string; host?: string; seq: number }) => {
  if (msg.cmd === 'stats') process.send?.({ seq: msg.seq, byHost: Object.fromEntries(byHost) });
  else if (msg.cmd === 'ids') {
    const ids = [...byId].filter(([id]) => id.endsWith(`@${msg.host}`));
    process.send?.({ seq: msg.seq, ids });
  } else if (msg.cmd === 'stop') void sink.stop().then(() => process.exit(0));
});
process.send?.({ port: sink.port });
