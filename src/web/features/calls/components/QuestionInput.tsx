import { Box, Chip, Group, SegmentedControl, Text, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { OpenCall } from '../api.ts';

/** One question of the assignment, answered during the call. */
export function QuestionInput({
  question,
  value,
  onChange,
}: {
  question: OpenCall['questions'][number];
  value: unknown;
  onChange: (value: unknown) => void;
}) {
  const { t } = useTranslation('calls');
  const options = Array.isArray(question.options) ? (question.options as string[]) : [];
  const label = (
    <Text component="legend" fw={600} mb={6} p={0}>
      {question.text}
    </Text>
  );
  switch (question.type) {
    case 'single_choice':
      return (
        <Box component="fieldset" m={0} p={0} style={{ border: 0 }}>
          {label}
          <Chip.Group value={(value as string) ?? null} onChange={(v) => onChange(v)}>
            <Group gap="xs">
              {options.map((o) => (
                <Chip key={o} value={o} size="lg">
                  {o}
                </Chip>
              ))}
            </Group>
          </Chip.Group>
        </Box>
      );
    case 'multiple_choice':
      return (
        <Box component="fieldset" m={0} p={0} style={{ border: 0 }}>
          {label}
          <Chip.Group multiple value={(value as string[]) ?? []} onChange={(v) => onChange(v)}>
            <Group gap="xs">
              {options.map((o) => (
                <Chip key={o} value={o} size="lg">
                  {o}
                </Chip>
              ))}
            </Group>
          </Chip.Group>
        </Box>
      );
    case 'yes_no':
      return (
        <Box component="fieldset" m={0} p={0} style={{ border: 0 }}>
          {label}
          <SegmentedControl
            fullWidth
            size="lg"
            data={[
              { value: 'yes', label: t('caller.yes') },
              { value: 'no', label: t('caller.no') },
            ]}
            value={value === true ? 'yes' : value === false ? 'no' : ''}
            onChange={(v) => onChange(v === 'yes')}
          />
        </Box>
      );
    case 'scale': {
      const min = typeof question.min === 'number' ? question.min : 1;
      const max = typeof question.max === 'number' ? question.max : 5;
      const steps = Array.from({ length: Math.min(max - min + 1, 11) }, (_, i) => String(min + i));
      return (
        <Box component="fieldset" m={0} p={0} style={{ border: 0 }}>
          {label}
          <SegmentedControl
            fullWidth
            size="lg"
            data={steps}
            value={typeof value === 'number' ? String(value) : ''}
            onChange={(v) => onChange(Number(v))}
          />
        </Box>
      );
    }
    default:
      return (
        <Textarea
          label={question.text}
          size="md"
          autosize
          minRows={2}
          value={(value as string) ?? ''}
          onChange={(e) => onChange(e.currentTarget.value)}
        />
      );
  }
}
