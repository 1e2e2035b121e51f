import { describe, expect, it } from 'vitest';
import { OUTCOME_LABELS } from '../src/server/campaigns/campaign-labels.ts';
import callsDe from '../src/web/features/calls/l10n/de.json' with { type: 'json' };
import callsEn from '../src/web/features/calls/l10n/en.json' with { type: 'json' };

describe('labels the server writes into files', () => {
  it('call outcomes in exports read exactly as in the web app', () => {
    expect(OUTCOME_LABELS.de).toEqual(callsDe.outcomes);
    expect(OUTCOME_LABELS.en).toEqual(callsEn.outcomes);
  });
});
