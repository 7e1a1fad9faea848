import * as React from 'react';
import { Badge, Button, Flex, Table, Tbody, Td, Tr, Typography } from '@strapi/design-system';
import { Layouts, Page, useRBAC } from '@strapi/strapi/admin';
import { useIntl } from 'react-intl';
import type { TokenUsage } from '../api';
import { BudgetDialog } from '../components/BudgetDialog';
import { RotateDialog } from '../components/RotateDialog';
import { TableHead } from '../components/TableHead';
import { useTokens } from '../hooks/useTokens';
import { useTranslate } from '../hooks/useTranslate';

/** Changing a budget takes Strapi's "update" on API tokens; rotating, its "regenerate". */
const MAY = [
  { action: 'admin::api-tokens.update', subject: null },
  { action: 'admin::api-tokens.regenerate', subject: null },
];

/** Settings › API token budgets: each content-API token's requests, last use and budget; rotation with an overlap. */
export const TokensPage = () => {
  const t = useTranslate();
  const { formatDate, formatNumber } = useIntl();
  const { state, setBudget, rotate } = useTokens();
  const { allowedActions } = useRBAC(MAY);
  const [editing, setEditing] = React.useState<TokenUsage | null>(null);
  const [rotating, setRotating] = React.useState<TokenUsage | null>(null);
  const title = t('tokens.name', 'API token budgets');

  if (state.status === 'loading') return <Page.Loading />;
  if (state.status === 'error') return <Page.Error />;
  const columns = [
    t('tokens.column.name', 'Token'),
    t('tokens.column.lastUsed', 'Last used'),
    t('tokens.column.today', 'Today'),
    t('tokens.column.week', '7 days'),
    t('tokens.column.month', '30 days'),
    t('tokens.column.budget', 'Requests a minute'),
    t('tokens.column.actions', 'Actions'),
  ];
  const date = (iso: string) => formatDate(iso, { dateStyle: 'medium', timeStyle: 'short' });

  return (
    <Page.Main>
      <Page.Title>{title}</Page.Title>
      <Layouts.Header
        title={title}
        subtitle={t('tokens.subtitle', 'Each content-API token may make its budget of requests a minute (the default is {perMinute}); past it, 429 with Retry-After.', {
          perMinute: formatNumber(state.defaultPerMinute),
        })}
      />
      <Layouts.Content>
        {state.tokens.length === 0 ? (
          <Typography textColor="neutral600">{t('tokens.empty', 'No content-API token yet: create one in Settings › API Tokens.')}</Typography>
        ) : (
          <Table colCount={columns.length} rowCount={state.tokens.length + 1}>
            <TableHead columns={columns} />
            <Tbody>
              {state.tokens.map((token) => (
                <Tr key={token.id} data-token-id={token.id}>
                  <Td>
                    <Flex direction="column" alignItems="start">
                      <Typography fontWeight="semiBold">{token.name}</Typography>
                      <Typography variant="pi" textColor="neutral600">
                        {token.previousKeyValidUntil
                          ? t('tokens.previous', 'Previous value works until {time}', { time: date(token.previousKeyValidUntil) })
                          : token.expiresAt
                            ? t('tokens.expires', 'Expires {time}', { time: date(token.expiresAt) })
                            : t('tokens.noExpiry', 'Does not expire')}
                      </Typography>
                    </Flex>
                  </Td>
                  <Td>
                    <Typography>{token.lastUsedAt ? date(token.lastUsedAt) : t('tokens.never', 'Never')}</Typography>
                  </Td>
                  <Td>
                    <Typography>{formatNumber(token.requests.today)}</Typography>
                  </Td>
                  <Td>
                    <Typography>{formatNumber(token.requests.last7Days)}</Typography>
                  </Td>
                  <Td>
                    <Typography>{formatNumber(token.requests.last30Days)}</Typography>
                  </Td>
                  <Td>
                    <Flex gap={2}>
                      <Typography>{formatNumber(token.perMinute)}</Typography>
                      {!token.customBudget && <Badge>{t('tokens.default', 'Default')}</Badge>}
                    </Flex>
                  </Td>
                  <Td>
                    <Flex gap={2}>
                      {allowedActions.canUpdate && (
                        <Button variant="secondary" size="S" onClick={() => setEditing(token)}>
                          {t('tokens.budget.edit', 'Budget')}
                        </Button>
                      )}
                      {allowedActions.canRegenerate && (
                        <Button variant="secondary" size="S" onClick={() => setRotating(token)}>
                          {t('tokens.rotate.open', 'Rotate')}
                        </Button>
                      )}
                    </Flex>
                  </Td>
                </Tr>
              ))}
            </Tbody>
          </Table>
        )}
      </Layouts.Content>
      <BudgetDialog token={editing} defaultPerMinute={state.defaultPerMinute} onCancel={() => setEditing(null)} onSave={(token, perMinute) => setBudget(token.id, perMinute)} />
      <RotateDialog token={rotating} onClose={() => setRotating(null)} onRotate={(token, hours) => rotate(token.id, hours)} />
    </Page.Main>
  );
};
