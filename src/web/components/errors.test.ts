import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../shared/errors.ts';
import de from '../app/l10n/de.json' with { type: 'json' };
import en from '../app/l10n/en.json' with { type: 'json' };
import { ApiError } from '../lib/api.ts';
import { errorText } from './errors.ts';

/** Every error detail's `reason` (`{ path, message, reason: '…' }`) and UnreadableFileError('…', …) in the server code. */
function serverReasons(): string[] {
  const found = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
        const text = readFileSync(path, 'utf8');
        for (const m of text.matchAll(/\{\s*path[,:][^{}]*?reason: '([a-z0-9_]+)'/g)) found.add(m[1]);
        for (const m of text.matchAll(/UnreadableFileError\(\s*'([a-z0-9_]+)'/g)) found.add(m[1]);
      }
    }
  };
  walk(join(import.meta.dirname, '../../server'));
  return [...found].sort();
}

describe('error texts', () => {
  it('every error code of the API has a German and an English text', () => {
    for (const code of [...ERROR_CODES, 'network_error']) {
      expect({ code, de: typeof (de.errors as Record<string, unknown>)[code] }).toEqual({
        code,
        de: 'string',
      });
      expect({ code, en: typeof (en.errors as Record<string, unknown>)[code] }).toEqual({
        code,
        en: 'string',
      });
    }
  });

  it('every reason the server gives in error details has a German and an English text', () => {
    const reasons = serverReasons();
    expect(reasons).toEqual(
      expect.arrayContaining(['not_csv_or_xlsx', 'no_header_row', 'file_empty', 'mapping_unknown_column']),
    );
    for (const reason of reasons) {
      expect({ reason, de: typeof (de.errors.reasons as Record<string, unknown>)[reason] }).toEqual({
        reason,
        de: 'string',
      });
      expect({ reason, en: typeof (en.errors.reasons as Record<string, unknown>)[reason] }).toEqual({
        reason,
        en: 'string',
      });
    }
  });

  it('shows the specific reason instead of the generic text of the code', async () => {
    const i18n = i18next.createInstance();
    await i18n.init({ lng: 'de', resources: { de: { common: de } }, ns: ['common'] });
    const t = i18n.getFixedT('de', 'common');
    const png = new ApiError('validation_failed', 'This is neither a CSV nor an XLSX file.', 400, [
      { path: 'body.file', message: 'This is neither a CSV nor an XLSX file.', reason: 'not_csv_or_xlsx' },
    ]);
    expect(errorText(t, png)).toBe(de.errors.reasons.not_csv_or_xlsx);
    const plain = new ApiError('validation_failed', 'Invalid body.', 400, [
      { path: 'body.x', message: 'bad' },
    ]);
    expect(errorText(t, plain)).toBe(de.errors.validation_failed);
    const unknownReason = new ApiError('conflict', 'x', 409, [
      { path: '', message: 'x', reason: 'from_the_future' },
    ]);
    expect(errorText(t, unknownReason)).toBe(de.errors.conflict);
  });
});
