import * as React from 'react';
import { Box, Flex, Typography } from '@strapi/design-system';

type SectionProps = { title: string; subtitle?: React.ReactNode; children: React.ReactNode };

/** One titled card of the Marketing page. */
export const Section = ({ title, subtitle, children }: SectionProps) => {
  const headingId = React.useId();
  return (
    <Box tag="section" aria-labelledby={headingId} background="neutral0" hasRadius shadow="tableShadow" padding={6}>
      <Flex direction="column" alignItems="stretch" gap={4}>
        <Flex direction="column" alignItems="stretch" gap={1}>
          <Typography id={headingId} tag="h2" variant="delta">
            {title}
          </Typography>
          {subtitle && (
            <Typography variant="pi" textColor="neutral600">
              {subtitle}
            </Typography>
          )}
        </Flex>
        {children}
      </Flex>
    </Box>
  );
};
