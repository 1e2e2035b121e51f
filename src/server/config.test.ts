import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('config', () => {
  it('has defaults for an embedded, demo-seeded instance', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      databaseUrl: undefined,
      smtpUrl: undefined,
      demo: true,
      publicUrl: 'http://127.0.0.1:3000',
    });
    expect(c.dataDir).toMatch(/\/data$/);
  });

  it('turns demo data off by default on PostgreSQL, and on when asked', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u@db/draht' }).demo).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgres://u@db/draht', DRAHT_DEMO: '1' }).demo).toBe(true);
  });

  it('derives secure cookies from an https public URL', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://draht.example.org/' })).toMatchObject({
      publicUrl: 'https://draht.example.org',
      secureCookies: true,
    });
  });

  it('reads the mailing rates: global and per receiving domain', () => {
    expect(loadConfig({})).toMatchObject({ mailRatePerSecond: 0, mailDomainRates: {} });
    expect(
      loadConfig({ MAIL_RATE_PER_SECOND: '50', MAIL_DOMAIN_RATES: 'GMX.de=10, web.de=10,t-online.de=5' }),
    ).toMatchObject({
      mailRatePerSecond: 50,
      mailDomainRates: { 'gmx.de': 10, 'web.de': 10, 't-online.de': 5 },
    });
  });

  it.each([
    ['MAIL_DOMAIN_RATES', 'gmx.de:10'],
    ['MAIL_DOMAIN_RATES', 'gmx.de=0'],
    ['MAIL_DOMAIN_RATES', 'gmx.de=0.5'],
    ['MAIL_RATE_PER_SECOND', '-1'],
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://x'],
    ['SMTP_URL', 'mail.example.org'],
    ['DRAHT_DEMO', 'yes'],
    ['LOG_LEVEL', 'loud'],
    ['PUBLIC_URL', 'not a url'],
  ])('stops with one line naming %s for a bad value', (name, value) => {
    let error: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain(name);
    expect(message.split('\n')).toHaveLength(1);
  });
});
