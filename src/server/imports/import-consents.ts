import { requestConsents } from '../consents/consents.service.ts';
import type { BaseCtx } from '../context.ts';
import type { Db } from '../db/database.ts';
import * as repo from './imports.repo.ts';

/** A row of a batch whose newsletter consent column said yes, and the person it was written to. */
export interface ConsentYes {
  personId: string;
  rowNumber: number;
}

/**
 * The newsletter consent column of an import, after a batch is written (in its transaction, so a
 * crash rolls both back and the resumed batch asks again): every "yes" becomes a *pending*
 * newsletter consent of the unit chosen at the start (default the import's) with ONE confirmation
 * mail — the double opt-in, whatever the stated legal basis says (it goes into the proof with the
 * import and the row). A person who has a consent of that unit already (granted, pending or
 * revoked) is left exactly as they are: a re-import mails nobody twice and a stale file never
 * re-asks someone who withdrew. "No" never reaches here: an import never revokes (a stale export
 * must not knock people off the newsletter). Answers how many double opt-ins started.
 */
export async function requestImportConsents(
  ctx: BaseCtx,
  trx: Db,
  imp: {
    id: string;
    orgId: string;
    fileName: string;
    createdBy: string | null;
    consentOrgId: string | null;
    consentLegalBasis: string | null;
  },
  rows: ConsentYes[],
): Promise<number> {
  if (!rows.length) return 0;
  const results = await requestConsents(
    { ...ctx, db: trx, actor: imp.createdBy ? { userId: imp.createdBy } : null },
    rows.map((r) => ({
      personId: r.personId,
      channel: 'newsletter' as const,
      purpose: 'newsletter',
      orgId: imp.consentOrgId ?? imp.orgId,
      source: 'import' as const,
      sourceRef: imp.id,
      recordedBy: imp.createdBy,
      proof: {
        importId: imp.id,
        fileName: imp.fileName,
        legalBasis: imp.consentLegalBasis,
        rowNumber: r.rowNumber,
      },
    })),
    { existing: 'leave' },
  );
  const requested = results.filter((r) => r.outcome === 'requested').length;
  if (requested) await repo.addConsentsRequested(trx, imp.id, requested);
  return requested;
}
