import * as React from 'react';
import { Box, Flex, Typography } from '@strapi/design-system';
import type { CampaignStats } from '../api';

type Series = 'sent' | 'delivered' | 'failed' | 'clicked';
// Strapi's palette, each at a contrast of at least 3:1 against white (WCAG 1.4.11).
const COLOURS: Record<Series, string> = { sent: '#4945ff', delivered: '#328048', failed: '#d02b20', clicked: '#9736e8' };
const HEIGHT = 160;

/**
 * Messages per hour as grouped bars. A picture only: the same numbers are in the table beside it,
 * so the chart is one labelled image for assistive technology.
 */
export const DeliveryChart = ({ timeline, labels, title }: { timeline: CampaignStats['timeline']; labels: Record<Series, string>; title: string }) => {
  const series = Object.keys(COLOURS) as Series[];
  const max = Math.max(1, ...timeline.flatMap((hour) => series.map((key) => hour[key])));
  const group = series.length * 10 + 12;
  const width = Math.max(group * timeline.length, 200);
  return (
    <Flex direction="column" alignItems="stretch" gap={2}>
      <Box overflow="auto">
        <svg role="img" aria-label={title} width={width} height={HEIGHT + 2} viewBox={`0 0 ${width} ${HEIGHT + 2}`}>
          {timeline.map((hour, index) =>
            series.map((key, position) => {
              const height = Math.round((hour[key] / max) * HEIGHT);
              return <rect key={`${hour.hour}-${key}`} x={index * group + position * 10} y={HEIGHT - height} width={8} height={height} fill={COLOURS[key]} />;
            })
          )}
          <line x1={0} x2={width} y1={HEIGHT + 1} y2={HEIGHT + 1} stroke="#666687" />
        </svg>
      </Box>
      <Flex gap={4} aria-hidden="true" wrap="wrap">
        {series.map((key) => (
          <Flex key={key} gap={1}>
            <Box width="1rem" height="1rem" style={{ background: COLOURS[key] }} />
            <Typography variant="pi">{labels[key]}</Typography>
          </Flex>
        ))}
      </Flex>
    </Flex>
  );
};
