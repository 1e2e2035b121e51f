import type { TFunction } from 'i18next';
import type { UnsubscribeInfo, UnsubscribeResult, UnsubscribeScope } from '../../../shared/unsubscribe.ts';
import { h } from '../dom.ts';
import type { PublicPage } from '../pages.ts';

/**
 * The unsubscribe page (`/u/:token`, the link in every mailing's footer and List-Unsubscribe
 * header): two choices — this purpose from this unit, or everything — and a confirmation. An
 * expired link or an unknown one gets a friendly text. The answer of the API is kept per token,
 * so switching the language does not ask again.
 */

type Loaded =
  | { kind: 'info'; info: UnsubscribeInfo }
  | { kind: 'unknown' }
  | { kind: 'error' }
  | { kind: 'done'; info: UnsubscribeInfo; result: UnsubscribeResult };

const loaded = new Map<string, Loaded>();
const pending = new Map<string, Promise<Loaded>>();

function load(token: string): Promise<Loaded> {
  const hit = loaded.get(token);
  if (hit) return Promise.resolve(hit);
  let p = pending.get(token);
  if (!p) {
    p = fetch(`/api/public/unsubscribe/${encodeURIComponent(token)}`, {
      headers: { accept: 'application/json' },
    })
      .then(async (res): Promise<Loaded> => {
        if (res.status === 404) return { kind: 'unknown' };
        if (!res.ok) return { kind: 'error' };
        return { kind: 'info', info: (await res.json()) as UnsubscribeInfo };
      })
      .catch((): Loaded => ({ kind: 'error' }))
      .then((l) => {
        if (l.kind !== 'error') loaded.set(token, l);
        pending.delete(token);
        return l;
      });
    pending.set(token, p);
  }
  return p;
}

const purposeLabel = (t: TFunction, purpose: UnsubscribeInfo['purpose']) =>
  t(`unsubscribe.purposes.${purpose}`);

function doneView(t: TFunction, info: UnsubscribeInfo, scope: UnsubscribeScope): Node[] {
  const text =
    scope === 'all'
      ? t('unsubscribe.doneAll', { email: info.maskedEmail })
      : t('unsubscribe.doneUnit', {
          email: info.maskedEmail,
          purpose: purposeLabel(t, info.purpose),
          org: info.orgName,
        });
  return [h('p', { role: 'status', 'data-testid': 'unsubscribe-done', 'data-scope': scope }, text)];
}

function choiceView(t: TFunction, token: string, info: UnsubscribeInfo, rerender: () => void): Node[] {
  const purpose = purposeLabel(t, info.purpose);
  const status = h('p', { role: 'status', 'aria-live': 'polite', 'data-testid': 'unsubscribe-status' });
  const option = (scope: UnsubscribeScope, label: string, checked: boolean) => {
    const id = `unsubscribe-${scope}`;
    const input = h('input', { type: 'radio', name: 'scope', value: scope, id, checked });
    return h('div', { class: 'choice' }, input, h('label', { for: id }, label));
  };
  const choices: Node[] = [];
  if (info.scope !== 'unit_purpose')
    choices.push(option('unit_purpose', t('unsubscribe.choiceUnit', { purpose, org: info.orgName }), true));
  choices.push(option('all', t('unsubscribe.choiceAll'), info.scope === 'unit_purpose'));
  const button = h(
    'button',
    { type: 'submit', class: 'primary', 'data-testid': 'unsubscribe-submit' },
    t('unsubscribe.submit'),
  );
  const form = h(
    'form',
    { 'data-testid': 'unsubscribe-form' },
    h('fieldset', {}, h('legend', {}, t('unsubscribe.question')), ...choices),
    h('div', { class: 'actions' }, button, status),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const chosen = (form.querySelector('input[name="scope"]:checked') as HTMLInputElement | null)?.value as
      | UnsubscribeScope
      | undefined;
    if (!chosen) return;
    button.disabled = true;
    status.textContent = t('unsubscribe.sending');
    void fetch(`/api/public/unsubscribe/${encodeURIComponent(token)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ scope: chosen }),
    })
      .then(async (res) => {
        if (!res.ok) throw new Error(String(res.status));
        loaded.set(token, { kind: 'done', info, result: (await res.json()) as UnsubscribeResult });
        rerender();
      })
      .catch(() => {
        status.textContent = t('unsubscribe.failed');
        button.disabled = false;
      });
  });
  const intro = h(
    'p',
    { 'data-testid': 'unsubscribe-intro' },
    t('unsubscribe.intro', { email: info.maskedEmail, org: info.orgName, purpose }),
  );
  const already =
    info.scope === 'unit_purpose'
      ? h(
          'p',
          { 'data-testid': 'unsubscribe-already' },
          t('unsubscribe.alreadyUnit', { purpose, org: info.orgName }),
        )
      : null;
  return already ? [intro, already, form] : [intro, form];
}

function view(t: TFunction, token: string, l: Loaded, rerender: () => void): Node[] {
  if (l.kind === 'unknown')
    return [h('p', { 'data-testid': 'unsubscribe-unknown' }, t('unsubscribe.unknown'))];
  if (l.kind === 'error')
    return [h('p', { role: 'alert', 'data-testid': 'unsubscribe-error' }, t('unsubscribe.failed'))];
  if (l.kind === 'done') return doneView(t, l.info, l.result.scope);
  const { info } = l;
  if (info.scope === 'all') return doneView(t, info, 'all');
  if (info.state !== 'valid')
    return [
      h('p', { 'data-testid': 'unsubscribe-expired' }, t('unsubscribe.expired', { org: info.orgName })),
    ];
  return choiceView(t, token, info, rerender);
}

export function unsubscribePage(t: TFunction, token: string): PublicPage {
  const box = h('div', { 'data-testid': 'public-unsubscribe' });
  const show = (l: Loaded) => box.replaceChildren(...view(t, token, l, () => show(loaded.get(token) ?? l)));
  const known = loaded.get(token);
  if (known) show(known);
  else {
    box.append(h('p', { role: 'status' }, t('unsubscribe.loading')));
    void load(token).then(show);
  }
  return { title: t('unsubscribe.title'), body: [box] };
}
