import {
  Autocomplete,
  type CSSVariablesResolver,
  createTheme,
  DEFAULT_THEME,
  darken,
  luminance,
  NativeSelect,
  PasswordInput,
  Select,
  Textarea,
  TextInput,
} from '@mantine/core';

/**
 * Required fields get their asterisk from CSS (app.css), not from a text node in the label, so a
 * label's text is exactly its name ("Passwort", not "Passwort *") for assistive tech and tests.
 */
const noAsterisk = { defaultProps: { withAsterisk: false } };

export const theme = createTheme({
  primaryColor: 'grape',
  primaryShade: { light: 7, dark: 5 },
  defaultRadius: 'md',
  fontFamily:
    'Inter, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif',
  headings: { fontWeight: '700' },
  cursorType: 'pointer',
  focusRing: 'auto',
  components: {
    TextInput: TextInput.extend(noAsterisk),
    PasswordInput: PasswordInput.extend(noAsterisk),
    Select: Select.extend(noAsterisk),
    NativeSelect: NativeSelect.extend(noAsterisk),
    Textarea: Textarea.extend(noAsterisk),
    Autocomplete: Autocomplete.extend(noAsterisk),
  },
});

const contrast = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
};

/** `color`, darkened in small steps until it reaches 4.6:1 against `background` (WCAG AA + margin). */
function readableOn(color: string, background: string): string {
  for (let amount = 0; amount < 0.9; amount += 0.05) {
    const candidate = amount === 0 ? color : darken(color, amount);
    if (contrast(candidate, background) >= 4.6) return candidate;
  }
  return '#000';
}

/**
 * Colour variables of every palette colour that reach WCAG AA (4.5:1) in light mode. Mantine's
 * defaults do not for most colours: light badges (shade 9 on shade 1: teal 4.3, yellow 2.7),
 * coloured text (shade 7 on white: teal 3.1) and white on filled shade 7 (yellow 2.1).
 */
const paletteVariables = Object.fromEntries(
  Object.entries(DEFAULT_THEME.colors).flatMap(([name, shades]) => {
    const filled = readableOn(shades[7], '#ffffff');
    return [
      [`--mantine-color-${name}-light-color`, readableOn(shades[9], shades[1])],
      [`--mantine-color-${name}-text`, filled],
      [`--mantine-color-${name}-filled`, filled],
      [`--mantine-color-${name}-outline`, filled],
    ];
  }),
);

/**
 * Text colours that reach WCAG AA in light mode: dimmed text (Mantine's #868e96 is 3.3:1 on white)
 * becomes #5c636a (6.1:1 on white, 4.7:1 on the light grape of active rows); placeholders (gray 5,
 * 2.1:1) #666d75 (5.2:1); read-only fields (gray 5 at 60 % opacity on gray 2, 1.75:1) gray 7 on
 * gray 1 (7.4:1) at full opacity (app.css): the grey background and the cursor still mark them.
 */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    ...paletteVariables,
    '--mantine-color-dimmed': '#5c636a',
    '--mantine-color-placeholder': '#666d75',
    '--mantine-color-disabled': 'var(--mantine-color-gray-1)',
    '--mantine-color-disabled-color': 'var(--mantine-color-gray-7)',
  },
  dark: {},
});
