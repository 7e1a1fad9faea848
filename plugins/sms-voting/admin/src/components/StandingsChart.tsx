import { Box, Flex, Typography } from '@strapi/design-system';
import { useIntl } from 'react-intl';
import { styled } from 'styled-components';
import type { Standings } from '../api';
import { useTranslate } from '../hooks/useTranslate';
import { Section } from './Section';

/**
 * The current round's standings as horizontal bars. Every value is also written out, and the bars
 * are hidden from assistive technology, so the ordered list reads as the leaderboard itself.
 */
export const StandingsChart = ({ standings }: { standings: Standings }) => {
  const t = useTranslate();
  const { formatNumber } = useIntl();
  const { round, entries, totalVotes } = standings;
  const most = Math.max(1, ...entries.map((entry) => entry.votes));

  const title = t('standings.title', 'Leaderboard');
  const subtitle = round
    ? [
        round.title
          ? t('standings.round', 'Round {number}: {title}', { number: round.number, title: round.title })
          : t('rounds.name', 'Round {number}', { number: round.number }),
        round.state === 'open' ? t('standings.live', 'live') : t('standings.final', 'final'),
        t('standings.total', '{votes, plural, one {# vote} other {# votes}}', { votes: totalVotes }),
      ].join(' · ')
    : undefined;

  if (!round || entries.length === 0) {
    return (
      <Section title={title} subtitle={subtitle}>
        <Typography textColor="neutral600">
          {round
            ? t('standings.noLineup', 'This event has no acts in its lineup yet.')
            : t('standings.noRound', 'The leaderboard starts when the first round opens.')}
        </Typography>
      </Section>
    );
  }

  return (
    <Section title={title} subtitle={subtitle}>
      <Bars aria-label={subtitle}>
        {entries.map((entry, index) => {
          const share = totalVotes > 0 ? entry.votes / totalVotes : 0;
          return (
            <Flex key={entry.code} tag="li" gap={4} alignItems="center">
              <Box width="14rem" shrink={0}>
                <Typography fontWeight="semiBold" ellipsis tag="div">
                  {entry.artist?.name ?? t('standings.unknownArtist', 'Code {code}', { code: entry.code })}
                </Typography>
                <Typography variant="pi" textColor="neutral600">
                  {t('standings.code', 'Text {code}', { code: entry.code })}
                </Typography>
              </Box>
              <Track aria-hidden>
                <Fill $leader={index === 0 && entry.votes > 0} style={{ width: `${(entry.votes / most) * 100}%` }} />
              </Track>
              <Box width="11rem" shrink={0}>
                <Typography fontWeight="semiBold" tag="div" textAlign="right">
                  {t('standings.votes', '{votes, plural, one {# vote} other {# votes}}', { votes: entry.votes })}
                </Typography>
                <Typography variant="pi" textColor="neutral600" tag="div" textAlign="right">
                  {formatNumber(share, { style: 'percent', maximumFractionDigits: 1 })}
                </Typography>
              </Box>
            </Flex>
          );
        })}
      </Bars>
    </Section>
  );
};

const Bars = styled.ol`
  display: flex;
  flex-direction: column;
  gap: ${({ theme }) => theme.spaces[3]};
  list-style: none;
  margin: 0;
  padding: 0;
`;

const Track = styled.div`
  flex: 1;
  height: 2.4rem;
  border-radius: ${({ theme }) => theme.borderRadius};
  background: ${({ theme }) => theme.colors.neutral150};
  overflow: hidden;
`;

const Fill = styled.div<{ $leader: boolean }>`
  height: 100%;
  min-width: 2px;
  background: ${({ theme, $leader }) => ($leader ? theme.colors.primary600 : theme.colors.primary200)};
  transition: width 0.4s ease-out;

  @media (prefers-reduced-motion: reduce) {
    transition: none;
  }
`;
