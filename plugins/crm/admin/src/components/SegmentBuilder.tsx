import * as React from 'react';
import { Box, Button, Field, Flex, SingleSelect, SingleSelectOption, Table, Tbody, Td, TextInput, Th, Thead, Tr, Typography } from '@strapi/design-system';
import type { MaskedMember, SegmentView } from '../api';
import { useCrmApi } from '../hooks/useCrmApi';
import { useTranslate } from '../hooks/useTranslate';
import { FIELDS, OPERATORS, toRules, type DraftCondition } from '../utils/rules';

const LIVE_DELAY_MS = 300;
const first: DraftCondition = { field: 'consent', op: 'has', text: 'marketing_sms/sms' };

/** Rules combined with AND or OR, the live count and ten masked members while editing, and Save. */
export const SegmentBuilder = ({ canManage, onSaved }: { canManage: boolean; onSaved: (segment: SegmentView) => void }) => {
  const t = useTranslate();
  const api = useCrmApi();
  const [name, setName] = React.useState('');
  const [combine, setCombine] = React.useState<'all' | 'any'>('all');
  const [rows, setRows] = React.useState<DraftCondition[]>([first]);
  const [count, setCount] = React.useState<number | null>(null);
  const [members, setMembers] = React.useState<MaskedMember[]>([]);

  const rules = React.useMemo(() => toRules(rows, combine), [rows, combine]);
  React.useEffect(() => {
    const timer = setTimeout(async () => {
      const [counted, sample] = await Promise.all([api.count(rules), api.sample(rules)]);
      setCount(counted?.count ?? null);
      setMembers(sample?.members ?? []);
    }, LIVE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [api, rules]);

  const change = (index: number, patch: Partial<DraftCondition>) =>
    setRows((current) => current.map((row, i) => (i === index ? { ...row, ...patch, ...(patch.field ? { op: OPERATORS[patch.field][0], text: '' } : {}) } : row)));
  const save = async () => {
    const saved = await api.createSegment({ name, rules });
    if (saved) onSaved(saved);
  };

  return (
    <Flex direction="column" alignItems="stretch" gap={4}>
      <Flex gap={4} alignItems="flex-end">
        <Field.Root name="segment-name" id="segment-name">
          <Field.Label>{t('segment.name', 'Segment name')}</Field.Label>
          <TextInput value={name} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setName(e.target.value)} />
        </Field.Root>
        <Field.Root name="segment-combine" id="segment-combine">
          <Field.Label>{t('segment.combine', 'Fans who match')}</Field.Label>
          <SingleSelect value={combine} onChange={(value: string | number) => setCombine(value as 'all' | 'any')}>
            <SingleSelectOption value="all">{t('segment.all', 'all of the rules')}</SingleSelectOption>
            <SingleSelectOption value="any">{t('segment.any', 'any of the rules')}</SingleSelectOption>
          </SingleSelect>
        </Field.Root>
      </Flex>
      {rows.map((row, index) => (
        <Flex key={index} gap={2} alignItems="flex-end" aria-label={t('segment.rule', 'Rule {number}', { number: index + 1 })} role="group">
          <Field.Root name={`field-${index}`} id={`rule-field-${index}`}>
            <Field.Label>{t('segment.field', 'Field')}</Field.Label>
            <SingleSelect value={row.field} onChange={(value: string | number) => change(index, { field: value as DraftCondition['field'] })}>
              {FIELDS.map((field) => (
                <SingleSelectOption key={field} value={field}>
                  {field}
                </SingleSelectOption>
              ))}
            </SingleSelect>
          </Field.Root>
          <Field.Root name={`op-${index}`} id={`rule-op-${index}`}>
            <Field.Label>{t('segment.op', 'Operator')}</Field.Label>
            <SingleSelect value={row.op} onChange={(value: string | number) => change(index, { op: String(value) })}>
              {OPERATORS[row.field].map((op) => (
                <SingleSelectOption key={op} value={op}>
                  {op}
                </SingleSelectOption>
              ))}
            </SingleSelect>
          </Field.Root>
          <Field.Root name={`value-${index}`} id={`rule-value-${index}`} hint={t('segment.valueHint', 'Lists comma-separated; dates from..to; consent purpose/channel')}>
            <Field.Label>{t('segment.value', 'Value')}</Field.Label>
            <TextInput value={row.text} onChange={(e: React.ChangeEvent<HTMLInputElement>) => change(index, { text: e.target.value })} />
          </Field.Root>
          {rows.length > 1 && (
            <Button variant="tertiary" onClick={() => setRows((current) => current.filter((_, i) => i !== index))}>
              {t('segment.remove', 'Remove')}
            </Button>
          )}
        </Flex>
      ))}
      <Flex gap={2}>
        <Button variant="secondary" onClick={() => setRows((current) => [...current, { field: 'tags', op: 'any', text: '' }])}>
          {t('segment.addRule', 'Add a rule')}
        </Button>
        {canManage && (
          <Button onClick={() => void save()} disabled={!name.trim()}>
            {t('segment.save', 'Save segment')}
          </Button>
        )}
      </Flex>
      <Typography variant="omega" fontWeight="bold" role="status">
        {count === null ? t('segment.countUnknown', 'Finish the rules to see how many fans match.') : t('segment.count', '{count} fans match', { count })}
      </Typography>
      {members.length > 0 && (
        <Box>
          <Table colCount={3} rowCount={members.length + 1}>
            <Thead>
              <Tr>
                <Th><Typography variant="sigma">{t('member.phone', 'Phone')}</Typography></Th>
                <Th><Typography variant="sigma">{t('member.language', 'Language')}</Typography></Th>
                <Th><Typography variant="sigma">{t('member.country', 'Country')}</Typography></Th>
              </Tr>
            </Thead>
            <Tbody>
              {members.map((member) => (
                <Tr key={member.id}>
                  <Td><Typography>{member.phone ?? '—'}</Typography></Td>
                  <Td><Typography>{member.language}</Typography></Td>
                  <Td><Typography>{member.country ?? '—'}</Typography></Td>
                </Tr>
              ))}
            </Tbody>
          </Table>
        </Box>
      )}
    </Flex>
  );
};
