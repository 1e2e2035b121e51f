import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CallAssignmentCreate,
  CallAssignmentListQuery,
  CallAssignmentUpdate,
  CallAssignmentView,
  CallerAdd,
  CallerParams,
  CallListQuery,
  CallOutcomeBody,
  CallProgress,
  CallRecordView,
  CallSkipBody,
  ClaimPersonBody,
  FollowUpListQuery,
  LockResponse,
  MyCallAssignment,
  MyCallStats,
  MyCallStatsQuery,
  NextCallResponse,
  TargetSearchQuery,
  TargetSearchResult,
} from '../../shared/calls.ts';
import { IdParams, Ok, page } from '../../shared/common.ts';
import * as assignments from './call-assignments.service.ts';
import { recordCallOutcome } from './call-outcome.service.ts';
import * as queue from './call-queue.service.ts';

const tags = ['calls'];

export async function callsRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  // ---- managing assignments (organizers and admins of the unit) ----

  r.post('/api/call-assignments', {
    schema: { tags, body: CallAssignmentCreate, response: { 201: CallAssignmentView } },
    config: { permission: 'calls:manage' },
    handler: async (req, reply) =>
      reply.status(201).send(await assignments.createAssignment(req.ctx, req.body)),
  });

  r.get('/api/call-assignments', {
    schema: { tags, querystring: CallAssignmentListQuery, response: { 200: page(CallAssignmentView) } },
    config: { permission: 'calls:manage' },
    handler: (req) => assignments.listAssignments(req.ctx, req.query.orgId),
  });

  r.get('/api/call-assignments/:id', {
    schema: { tags, params: IdParams, response: { 200: CallAssignmentView } },
    config: { permission: 'calls:manage' },
    handler: (req) => assignments.getAssignment(req.ctx, req.params.id),
  });

  r.patch('/api/call-assignments/:id', {
    schema: { tags, params: IdParams, body: CallAssignmentUpdate, response: { 200: CallAssignmentView } },
    config: { permission: 'calls:manage' },
    handler: (req) => assignments.updateAssignment(req.ctx, req.params.id, req.body),
  });

  r.get('/api/call-assignments/:id/progress', {
    schema: { tags, params: IdParams, response: { 200: CallProgress } },
    config: { permission: 'calls:manage' },
    handler: (req) => assignments.getProgress(req.ctx, req.params.id),
  });

  r.get('/api/call-assignments/:id/calls', {
    schema: { tags, params: IdParams, querystring: CallListQuery, response: { 200: page(CallRecordView) } },
    config: { permission: 'calls:manage' },
    handler: (req) => assignments.listCalls(req.ctx, req.params.id, req.query),
  });

  r.get('/api/call-assignments/:id/follow-ups', {
    schema: {
      tags,
      params: IdParams,
      querystring: FollowUpListQuery,
      response: { 200: page(CallRecordView) },
    },
    config: { permission: 'calls:manage' },
    handler: (req) => assignments.listCalls(req.ctx, req.params.id, req.query),
  });

  r.post('/api/calls/:id/follow-up/resolve', {
    schema: { tags, params: IdParams, response: { 200: CallRecordView } },
    config: { permission: 'calls:manage' },
    handler: (req) => assignments.resolveFollowUp(req.ctx, req.params.id),
  });

  r.post('/api/call-assignments/:id/callers', {
    schema: { tags, params: IdParams, body: CallerAdd, response: { 200: CallAssignmentView } },
    config: { permission: 'calls:manage' },
    handler: (req) => assignments.addCaller(req.ctx, req.params.id, req.body),
  });

  r.delete('/api/call-assignments/:id/callers/:userId', {
    schema: { tags, params: CallerParams, response: { 204: z.null() } },
    config: { permission: 'calls:manage' },
    handler: async (req, reply) => {
      await assignments.removeCaller(req.ctx, req.params.id, req.params.userId);
      return reply.status(204).send(null);
    },
  });

  // ---- calling (callers added to the assignment) ----

  r.get('/api/me/call-assignments', {
    schema: { tags, response: { 200: page(MyCallAssignment) } },
    config: { permission: 'calls:make' },
    handler: (req) => assignments.listMyAssignments(req.ctx),
  });

  r.get('/api/me/call-assignments/:id', {
    schema: { tags, params: IdParams, response: { 200: MyCallAssignment } },
    config: { permission: 'calls:make' },
    handler: (req) => assignments.getMyAssignment(req.ctx, req.params.id),
  });

  r.post('/api/call-assignments/:id/next', {
    schema: { tags, params: IdParams, response: { 200: NextCallResponse } },
    config: { permission: 'calls:make' },
    handler: (req) => queue.nextCall(req.ctx, req.params.id),
  });

  r.get('/api/call-assignments/:id/targets', {
    schema: { tags, params: IdParams, querystring: TargetSearchQuery, response: { 200: TargetSearchResult } },
    config: { permission: 'calls:make' },
    handler: (req) => queue.searchTargets(req.ctx, req.params.id, req.query.q),
  });

  r.post('/api/call-assignments/:id/claim', {
    schema: { tags, params: IdParams, body: ClaimPersonBody, response: { 200: NextCallResponse } },
    config: { permission: 'calls:make' },
    handler: (req) => queue.claimPerson(req.ctx, req.params.id, req.body.personId),
  });

  r.get('/api/call-assignments/:id/my-stats', {
    schema: { tags, params: IdParams, querystring: MyCallStatsQuery, response: { 200: MyCallStats } },
    config: { permission: 'calls:make' },
    handler: (req) => queue.myStats(req.ctx, req.params.id, req.query.since),
  });

  r.post('/api/call-assignments/:id/heartbeat', {
    schema: { tags, params: IdParams, response: { 200: LockResponse } },
    config: { permission: 'calls:make' },
    handler: (req) => queue.extendCallLock(req.ctx, req.params.id),
  });

  r.post('/api/calls/:id/outcome', {
    schema: { tags, params: IdParams, body: CallOutcomeBody, response: { 200: Ok } },
    config: { permission: 'calls:make' },
    handler: (req) => recordCallOutcome(req.ctx, req.params.id, req.body),
  });

  r.post('/api/calls/:id/skip', {
    schema: { tags, params: IdParams, body: CallSkipBody.optional(), response: { 200: Ok } },
    config: { permission: 'calls:make' },
    handler: (req) => queue.skipCall(req.ctx, req.params.id, req.body?.reason),
  });
}
