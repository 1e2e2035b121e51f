import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { ConfirmationView, InstructionView } from '../../../shared/instruction.ts';
import { api, type Page } from '../../lib/api.ts';
import { meKey } from '../auth/api.ts';

export type Instruction = z.infer<typeof InstructionView>;
export type Confirmation = z.infer<typeof ConfirmationView>;

const instructionKey = ['instruction'] as const;

export function useInstruction() {
  return useQuery({ queryKey: instructionKey, queryFn: () => api.get<Instruction>('/api/instruction') });
}

export function useConfirmInstruction() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (version: number) => api.post<{ ok: true }>('/api/auth/confirm-instruction', { version }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: meKey }),
  });
}

export function usePublishInstruction() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (text: string) => api.put<Instruction>('/api/instruction', { text }),
    onSuccess: async (instruction) => {
      queryClient.setQueryData(instructionKey, instruction);
      await queryClient.invalidateQueries({ queryKey: ['instruction-confirmations'] });
      await queryClient.invalidateQueries({ queryKey: meKey });
    },
  });
}

export function useConfirmations(orgId: string | undefined) {
  return useQuery({
    queryKey: ['instruction-confirmations', orgId],
    queryFn: () => api.get<Page<Confirmation>>('/api/instruction/confirmations', { orgId }),
    enabled: Boolean(orgId),
  });
}
