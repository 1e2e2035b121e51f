import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { page } from '../../shared/common.ts';
import {
  ConfirmationsQuery,
  ConfirmationView,
  InstructionUpdateBody,
  InstructionView,
} from '../../shared/instruction.ts';
import * as service from './instruction.service.ts';

const tags = ['instruction'];

export async function instructionRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/instruction', {
    schema: { tags, response: { 200: InstructionView } },
    config: { permission: 'account:self' },
    handler: (req) => service.getCurrentInstruction(req.ctx),
  });

  r.put('/api/instruction', {
    schema: { tags, body: InstructionUpdateBody, response: { 200: InstructionView } },
    config: { permission: 'instance:manage' },
    handler: (req) => service.publishInstruction(req.ctx, req.body.text),
  });

  r.get('/api/instruction/confirmations', {
    schema: { tags, querystring: ConfirmationsQuery, response: { 200: page(ConfirmationView) } },
    config: { permission: 'instruction:confirmations:read' },
    handler: (req) => service.listConfirmations(req.ctx, req.query.orgId),
  });
}
