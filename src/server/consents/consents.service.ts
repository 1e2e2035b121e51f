import { timeline } from '../people/timeline.service.ts';
import { type ConsentRequest, insertPendingConsent } from './consents.repo.ts';

/**
 * The owner of `consents`: every module that learns of a wish to be contacted (a call, a form, an
 * import) records it here, so the mailer finds one record per person, channel and purpose — with
 * status, source, unit, text version and proof — and double opt-in can never be skipped.
 */
export async function requestConsent(
  ctx: Parameters<typeof timeline.add>[0],
  request: ConsentRequest,
): Promise<boolean> {
  const recorded = await insertPendingConsent(ctx.db, request);
  if (recorded) {
    await timeline.add(ctx, request.personId, 'consent.requested', {
      channel: request.channel,
      source: request.source,
    });
  }
  return recorded;
}
