import { describe, expect, it } from 'vitest';
import { buildSearchText, normalizePhone, searchForms, searchTerms } from './normalize.ts';

describe('normalizePhone', () => {
  it('normalises German landline and mobile numbers to E.164', () => {
    expect(normalizePhone('0351 / 123 45-6')).toEqual({
      raw: '0351 / 123 45-6',
      e164: '+49351123456',
      type: 'landline',
      status: 'valid',
    });
    expect(normalizePhone('0171 1234567')).toMatchObject({
      e164: '+491711234567',
      type: 'mobile',
      status: 'valid',
    });
    expect(normalizePhone('+49 (0)341 9876543')).toMatchObject({ e164: '+493419876543', status: 'valid' });
    expect(normalizePhone('0043 1 5880000')).toMatchObject({ e164: '+4315880000' });
  });

  it('keeps what cannot be a number and marks it invalid', () => {
    expect(normalizePhone('keine')).toEqual({
      raw: 'keine',
      e164: null,
      type: 'landline',
      status: 'invalid',
    });
    expect(normalizePhone('12')).toMatchObject({ e164: null, status: 'invalid' });
  });
});

describe('search text', () => {
  it('finds umlauts by either spelling and phone numbers in national or international form', () => {
    const text = buildSearchText({
      firstName: 'Jürgen',
      lastName: 'Müller',
      memberNumber: 'M-1234',
      postalCode: '01067',
      city: 'Dresden',
      emails: ['J.Mueller@Example.org'],
      phones: [{ raw: '0351 1234556', e164: '+493511234556' }],
    });
    for (const needle of [
      'müller',
      'mueller',
      'muller',
      'jürgen',
      'juergen',
      '0351123',
      '493511234556',
      'm-1234',
      '01067',
      'dresden',
      'j.mueller@example.org',
    ]) {
      expect(text).toContain(needle);
    }
    expect(searchForms('Straße')).toContain('strasse');
  });

  it('splits a query into terms and strips phone punctuation', () => {
    expect(searchTerms('  Müller   0351/123-4 ')).toEqual(['müller', '03511234']);
    expect(searchTerms('+49 351')).toEqual(['49', '351']);
    expect(searchTerms('a de Müller')).toEqual(['müller']);
  });
});
