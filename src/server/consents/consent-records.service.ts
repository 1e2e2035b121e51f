import type { z } from 'zod';
import type { ConsentCreate, ConsentEventView, ConsentView } from '../../shared/consents.ts';
import { audit } from '../audit/audit.service.ts';
import { requireOrgPermission } from '../auth/scope.ts';
import type { Ctx } from '../context.ts';
import { AppError } from '../errors.ts';
import { requirePerson } from '../people/people.service.ts';
import * as repo from './consents.repo.ts';
import { type ConsentRequestOutcome, requestConsent, revokeConsent } from './consents.service.ts';

/**
 * The consents of a person as people with an account see and record them (the profile's
 * "Einwilligungen" card): `GET/POST /api/people/:id/consents`, `POST …/:consentId/revoke`. Scope
 * is the person's (people:read / people:write); a unit asked for must be one the actor may write
 * and in line with the person's unit.
 */

const iso = (d: Date | null) => d?.toISOString() ?? null;

export async function consentViewsOf(ctx: Ctx, personId: string): Promise<ConsentView[]> {
  const [rows, events] = await Promise.all([
    repo.findConsentsOfPerson(ctx.db, personId),
    repo.findEventsOfPerson(ctx.db, personId),
  ]);
  return rows.map((c) => {
    const history: ConsentEventView[] = events
      .filter((e) => e.consentId === c.id)
      .map((e) => ({
        id: e.id,
        at: e.at.toISOString(),
        status: e.status,
        source: e.source,
        sourceRef: e.sourceRef,
        textVersion: e.textVersion,
        textHash: e.textHash,
        proof: e.proof,
        actorName: e.actorName,
      }));
    const since =
      (c.status === 'granted' ? c.grantedAt : c.status === 'revoked' ? c.revokedAt : null) ??
      (history.length ? new Date(history[history.length - 1]!.at) : c.updatedAt);
    return {
      id: c.id,
      channel: c.channel,
      purpose: c.purpose,
      orgId: c.orgId,
      orgName: c.orgName,
      status: c.status,
      source: c.source,
      textVersion: c.textVersion,
      textHash: c.textHash,
      createdAt: c.createdAt.toISOString(),
      since: since.toISOString(),
      grantedAt: iso(c.grantedAt),
      confirmedAt: iso(c.confirmedAt),
      revokedAt: iso(c.revokedAt),
      history,
    };
  });
}

export async function listConsents(ctx: Ctx, personId: string) {
  const person = await requirePerson(ctx, personId, 'people:read');
  return { items: await consentViewsOf(ctx, person.id) };
}

/** A consent recorded by hand: pending, with the double opt-in mail (requestConsent). */
export async function recordConsentRequest(
  ctx: Ctx,
  personId: string,
  body: z.infer<typeof ConsentCreate>,
): Promise<{ created: boolean; outcome: ConsentRequestOutcome; mailed: boolean; consent: ConsentView }> {
  const person = await requirePerson(ctx, personId, 'people:write');
  await requireOrgPermission(ctx, body.orgId, 'people:write');
  if (!(await repo.isInLineWith(ctx.db, body.orgId, person.orgId)))
    throw new AppError(
      'rule_violation',
      "The unit is not in line with the person's unit (it must be the unit, one above or one below it).",
      [{ path: 'body.orgId', message: 'unit not in line with the person', reason: 'unit_not_in_line' }],
    );
  const result = await requestConsent(ctx, {
    personId: person.id,
    channel: 'newsletter',
    purpose: body.purpose,
    orgId: body.orgId,
    source: body.source,
    sourceRef: null,
    recordedBy: ctx.actor.userId,
    locale: body.locale,
    proof: { recordedBy: ctx.actor.userId, ...(body.note ? { note: body.note } : {}) },
  });
  await audit.record(
    ctx,
    'consent.requested',
    { type: 'person', id: person.id, orgId: person.orgId },
    { consentId: result.consentId, orgId: body.orgId, source: body.source, outcome: result.outcome },
  );
  const consent = (await consentViewsOf(ctx, person.id)).find((c) => c.id === result.consentId)!;
  return { created: result.outcome === 'requested', ...result, consent };
}

/** Withdrawn by hand (the person said so on the phone, in a letter …); a revoked one stays as it is. */
export async function revokeConsentByHand(ctx: Ctx, personId: string, consentId: string, note?: string) {
  const person = await requirePerson(ctx, personId, 'people:write');
  const consent = await repo.findConsent(ctx.db, consentId);
  if (!consent || consent.personId !== person.id) throw new AppError('not_found', 'Not found.');
  const ended = await revokeConsent(ctx, {
    personId: person.id,
    channel: consent.channel,
    purpose: consent.purpose,
    consentIds: [consent.id],
    source: 'manual',
    proof: { recordedBy: ctx.actor.userId, ...(note ? { note } : {}) },
  });
  if (ended)
    await audit.record(
      ctx,
      'consent.revoked',
      { type: 'person', id: person.id, orgId: person.orgId },
      { consentId: consent.id },
    );
  return (await consentViewsOf(ctx, person.id)).find((c) => c.id === consent.id)!;
}
