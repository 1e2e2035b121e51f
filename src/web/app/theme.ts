import {
  Autocomplete,
  createTheme,
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
