import * as React from 'react';
import { Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import type { FanProfile } from '../../../shared/contracts/privacy';
import { useTranslate } from '../hooks/useTranslate';
import { Section } from './Section';

const when = (value: string | null) => (value ? new Date(value).toLocaleString() : '—');
const evidenceOf = (evidence: unknown) => (evidence && typeof evidence === 'object' ? Object.entries(evidence).map(([key, value]) => `${key}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`).join(' · ') : '—');

/** One table of the fan's history in a region named by its title, with a line when it is empty. */
const HistoryTable = ({ title, headers, rows }: { title: string; headers: string[]; rows: React.ReactNode[][] }) => {
  const t = useTranslate();
  return (
    <Section title={title}>
      {rows.length === 0 ? (
        <Typography textColor="neutral600">{t('fans.none', 'None.')}</Typography>
      ) : (
        <Table colCount={headers.length} rowCount={rows.length + 1}>
          <Thead>
            <Tr>
              {headers.map((header) => (
                <Th key={header}><Typography variant="sigma">{header}</Typography></Th>
              ))}
            </Tr>
          </Thead>
          <Tbody>
            {rows.map((cells, i) => (
              <Tr key={i}>
                {cells.map((cell, j) => (
                  <Td key={j}><Typography>{cell}</Typography></Td>
                ))}
              </Tr>
            ))}
          </Tbody>
        </Table>
      )}
    </Section>
  );
};

/** Consent per purpose and channel with its evidence, events attended, votes, and messages with their status. */
export const FanHistory = ({ profile }: { profile: FanProfile }) => {
  const t = useTranslate();
  const action = { opt_in: t('fans.optIn', 'opted in'), opt_out: t('fans.optOut', 'opted out') };
  return (
    <>
      <HistoryTable
        title={t('fans.consents', 'Consent history')}
        headers={[t('fans.when', 'When'), t('fans.channel', 'Channel'), t('fans.purpose', 'Purpose'), t('fans.action', 'Action'), t('fans.source', 'Source'), t('fans.evidence', 'Evidence')]}
        rows={profile.consents.map((c) => [when(c.occurredAt), c.channel, c.purpose, action[c.action], c.source, evidenceOf(c.evidence)])}
      />
      <HistoryTable
        title={t('fans.events', 'Events attended')}
        headers={[t('fans.event', 'Event'), t('fans.source', 'Source'), t('fans.when', 'When')]}
        rows={profile.attendances.map((a) => [a.eventTitle ?? a.eventRef, a.source, when(a.joinedAt)])}
      />
      <HistoryTable
        title={t('fans.votes', 'Votes')}
        headers={[t('fans.event', 'Event'), t('fans.round', 'Round'), t('fans.code', 'Vote code'), t('fans.channel', 'Channel'), t('fans.when', 'When')]}
        rows={profile.votes.map((v) => [v.eventTitle ?? v.eventRef, v.roundNumber ?? '—', v.voteCode, v.channel, when(v.votedAt)])}
      />
      <HistoryTable
        title={t('fans.messages', 'Messages sent')}
        headers={[t('fans.when', 'When'), t('fans.channel', 'Channel'), t('fans.purpose', 'Purpose'), t('fans.status', 'Status'), t('fans.message', 'Message')]}
        rows={profile.messages.map((m) => [when(m.sentAt ?? m.createdAt), m.channel, m.purpose ?? '—', m.error ? `${m.state}: ${m.error}` : m.state, m.subject ? `${m.subject}: ${m.body}` : m.body])}
      />
    </>
  );
};
