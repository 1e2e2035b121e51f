import { Button, Checkbox, Popover, Stack } from '@mantine/core';
import { IconColumns } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { COLUMNS, type Column } from './people-columns.ts';

export function ColumnChooser({
  columns,
  onChange,
}: {
  columns: Column[];
  onChange: (columns: Column[]) => void;
}) {
  const { t } = useTranslation('people');
  return (
    <Popover position="bottom-end" shadow="md" withinPortal>
      <Popover.Target>
        <Button
          variant="default"
          leftSection={<IconColumns size={18} aria-hidden />}
          data-testid="column-chooser"
        >
          {t('list.columns')}
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <Checkbox.Group
          label={t('list.columnsLabel')}
          value={columns}
          onChange={(value) => onChange(value as Column[])}
        >
          <Stack gap={8} mt="xs">
            {COLUMNS.map((column) => (
              <Checkbox
                key={column}
                value={column}
                label={t(`columns.${column}`)}
                disabled={column === 'name'}
                checked={column === 'name' ? true : undefined}
              />
            ))}
          </Stack>
        </Checkbox.Group>
      </Popover.Dropdown>
    </Popover>
  );
}
