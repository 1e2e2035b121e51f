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
  if (!['single_choice', 'multiple_choice', 'yes_no', 'scale'].includes(question.type))
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
  return (
    <Box component="fieldset" m={0} p={0} style={{ border: 0 }}>
      <Text component="legend" fw={600} mb={6} p={0}>
        {question.text}
      </Text>
      {question.type === 'single_choice' ? (
        <Chip.Group value={(value as string) ?? null} onChange={(v) => onChange(v)}>
          <OptionChips options={options} />
        </Chip.Group>
      ) : question.type === 'multiple_choice' ? (
        <Chip.Group multiple value={(value as string[]) ?? []} onChange={(v) => onChange(v)}>
          <OptionChips options={options} />
        </Chip.Group>
      ) : question.type === 'yes_no' ? (
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
      ) : (
        <SegmentedControl
          fullWidth
          size="lg"
          data={scaleSteps(question)}
          value={typeof value === 'number' ? String(value) : ''}
          onChange={(v) => onChange(Number(v))}
        />
      )}
    </Box>
  );
}

/** The values of a scale question, from its min to its max (at most 11). */
function scaleSteps(question: OpenCall['questions'][number]): string[] {
  const min = typeof question.min === 'number' ? question.min : 1;
  const max = typeof question.max === 'number' ? question.max : 5;
  return Array.from({ length: Math.min(max - min + 1, 11) }, (_, i) => String(min + i));
}

function OptionChips({ options }: { options: string[] }) {
  return (
    <Group gap="xs">
      {options.map((o) => (
        <Chip key={o} value={o} size="lg">
          {o}
        </Chip>
      ))}
    </Group>
  );
}
