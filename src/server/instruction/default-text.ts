/** The data-protection instruction that ships with Draht (version 1); superadmins replace it. */
export const DEFAULT_INSTRUCTION_TEXT = `Datenschutzbelehrung für die Arbeit mit Draht

1. Zweck. Du erhältst Zugang zu personenbezogenen Daten von Mitgliedern und Interessierten, damit du sie im Auftrag deiner Einheit kontaktieren kannst (z. B. für Telefonaktionen, Einladungen zu Veranstaltungen). Du verwendest diese Daten ausschließlich für diesen Zweck.

2. Vertraulichkeit. Du behandelst alle Daten vertraulich und gibst sie nicht an Dritte weiter – auch nicht innerhalb der Partei an Personen, die keinen Zugang haben. Die Verpflichtung gilt auch nach dem Ende deiner Tätigkeit.

3. Datensparsamkeit. Du siehst nur die Daten, die für deine Aufgabe nötig sind. Du fertigst keine Kopien, Screenshots, Ausdrucke oder eigene Listen (z. B. Excel) an und speicherst keine Daten auf privaten Geräten außerhalb von Draht.

4. Besondere Kategorien. Angaben zur Mitgliedschaft in einer Partei sind politische Meinungen im Sinne von Art. 9 DSGVO und besonders schützenswert. Äußerungen aus Gesprächen hältst du nur fest, soweit sie für die Aktion erforderlich sind.

5. Wünsche der Betroffenen. Möchte jemand nicht mehr angerufen oder angeschrieben werden, trägst du das sofort in Draht ein. Auskunfts- oder Löschwünsche leitest du an die verantwortliche Person deiner Einheit weiter.

6. Sicherheit. Du hältst dein Passwort geheim, nutzt es nirgends sonst, meldest dich nach der Arbeit ab und sperrst dein Gerät. Verdacht auf einen Datenschutzverstoß (z. B. verlorenes Gerät) meldest du unverzüglich der verantwortlichen Person.

7. Protokollierung. Zugriffe und Änderungen werden zur Kontrolle der Datenschutzvorgaben protokolliert.

Mit der Bestätigung erklärst du, diese Belehrung gelesen zu haben und die Vorgaben einzuhalten. Verstöße können datenschutzrechtliche Folgen haben.`;
