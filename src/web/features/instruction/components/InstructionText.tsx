import { Stack, Text } from '@mantine/core';

/** The instruction as written: paragraphs split on blank lines, line breaks kept. */
export function InstructionText({ text }: { text: string }) {
  const paragraphs = text.split(/\n\s*\n/).filter((p) => p.trim());
  return (
    <Stack gap="sm" data-testid="instruction-text">
      {paragraphs.map((paragraph, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: paragraphs of a fixed text
        <Text key={index} style={{ whiteSpace: 'pre-wrap' }} lh={1.6}>
          {paragraph.trim()}
        </Text>
      ))}
    </Stack>
  );
}
