import { Badge, Table, Tbody, Td, Tr, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import type { JobState, JobsSummary } from '../api';
import { useTranslate } from '../hooks/useTranslate';
import { ALERT_BADGE, useStateLabel } from './JobStateBadge';
import { Section } from './Section';
import { TableHead } from './TableHead';

/** States that need a person: their counts are drawn in red when there are any. */
const NEEDS_A_LOOK: JobState[] = ['failed', 'dead'];

/** How many jobs of each name are in each state: the first thing the engineer on call reads. */
export const JobCounts = ({ summary }: { summary: JobsSummary }) => {
  const t = useTranslate();
  const stateLabel = useStateLabel();
  const { formatNumber } = useIntl();
  const count = (name: string, state: JobState) =>
    summary.counts.find((row) => row.name === name && row.state === state)?.count ?? 0;
  const columns = [t('counts.column.name', 'Job'), ...summary.states.map(stateLabel)];

  return (
    <Section title={t('counts.title', 'Jobs by state')}>
      <Table colCount={columns.length} rowCount={summary.names.length + 1}>
        <TableHead columns={columns} />
        <Tbody>
          {summary.names.map((name) => (
            <Tr key={name}>
              <Td>
                <Typography fontWeight="semiBold">{name}</Typography>
              </Td>
              {summary.states.map((state) => {
                const value = count(name, state);
                return (
                  <Td key={state}>
                    {value > 0 && NEEDS_A_LOOK.includes(state) ? (
                      <Badge {...ALERT_BADGE}>{formatNumber(value)}</Badge>
                    ) : (
                      <Typography textColor={value > 0 ? 'neutral800' : 'neutral600'} fontWeight={value > 0 ? 'semiBold' : undefined}>{formatNumber(value)}</Typography>
                    )}
                  </Td>
                );
              })}
            </Tr>
          ))}
        </Tbody>
      </Table>
    </Section>
  );
};
