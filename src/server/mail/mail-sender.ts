/**
 * Who a unit's mailings come from, the same in the preview, the test mail and the sent mail: the
 * unit's sender name (else the unit's name) with the mailing's or the unit's allowed sender
 * address, else the address of MAIL_FROM; the unit's reply-to.
 */
export interface MailSender {
  name: string;
  address: string;
  replyTo: string | null;
}

/** The address inside `Name <address>` (or the whole value). */
export function addressOf(from: string): string {
  return /<([^<>]+)>/.exec(from)?.[1]?.trim() ?? from.trim();
}

export function mailSenderOf(
  mailFrom: string,
  orgName: string,
  settings: { senderName: string; senderAddress: string | null; replyTo: string | null } | undefined,
  mailingSenderAddress?: string | null,
): MailSender {
  return {
    name: (settings?.senderName || orgName).replace(/["\\\r\n]/g, ''),
    address: mailingSenderAddress ?? settings?.senderAddress ?? addressOf(mailFrom),
    replyTo: settings?.replyTo ?? null,
  };
}

/** `"Name" <address>` for a From header shown to people (the preview). */
export const formatSender = (s: MailSender) => `"${s.name}" <${s.address}>`;
