/**
 * The default text of an Einwilligungsanfrage (consent request) in the sender's language: a
 * friendly question and one button with the personal confirmation link `{{consentUrl}}`, which the
 * worker fills in per recipient (its click grants the newsletter consent with the same proof as a
 * double opt-in).
 */
export function consentRequestText(locale: 'de' | 'en', orgName: string) {
  const org = orgName.replace(/[&<>"']/g, '');
  if (locale === 'en')
    return {
      subject: `May ${org} send you its newsletter?`,
      html:
        '<p>Hello {{firstName|there}},</p>' +
        `<p>${org} would like to keep you informed by newsletter: news, invitations to events and ways to get involved. ` +
        'We only send it if you agree. Your consent can be withdrawn at any time with one click in every mail.</p>' +
        '<p><a data-button href="{{consentUrl}}">Yes, send me the newsletter</a></p>' +
        '<p>If you do not want it, just ignore this mail: you will not get the newsletter.</p>',
    };
  return {
    subject: `Dürfen wir dir den Newsletter von ${org} schicken?`,
    html:
      '<p>Hallo {{firstName|du}},</p>' +
      `<p>${org} möchte dich per Newsletter auf dem Laufenden halten: Neuigkeiten, Einladungen zu Veranstaltungen und Möglichkeiten mitzumachen. ` +
      'Wir schicken ihn nur mit deiner Einwilligung. Du kannst sie jederzeit mit einem Klick in jeder Mail widerrufen.</p>' +
      '<p><a data-button href="{{consentUrl}}">Ja, schickt mir den Newsletter</a></p>' +
      '<p>Wenn du das nicht möchtest, ignoriere diese Mail einfach: Dann bekommst du keinen Newsletter.</p>',
  };
}
