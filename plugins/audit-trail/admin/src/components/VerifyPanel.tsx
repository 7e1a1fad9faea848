import { Button, Flex, Typography } from '@strapi/design-system';
import { Shield } from '@strapi/icons';
import { useIntl } from 'react-intl';
import type { Verification } from '../hooks/useVerify';
import { useTranslate } from '../hooks/useTranslate';

type VerifyPanelProps = { verification: Verification; onVerify: () => void };

/** "Verify the chain": walks every entry and says how many verified, or where the chain breaks and how. */
export const VerifyPanel = ({ verification, onVerify }: VerifyPanelProps) => {
  const t = useTranslate();
  const { formatTime } = useIntl();
  const result = () => {
    switch (verification.status) {
      case 'done': {
        const { report, at } = verification;
        const time = formatTime(at, { timeStyle: 'medium' });
        return report.ok ? (
          <Typography textColor="success600" role="status">
            {t('verify.ok', 'Verified at {time}: {count, plural, one {# entry} other {# entries}}, unchanged, in order, none missing.', { time, count: report.verified })}
          </Typography>
        ) : (
          <Typography textColor="danger600" role="alert">
            {t('verify.broken', 'The chain breaks at entry {seq} ({kind}): {reason}. {count, plural, one {# entry} other {# entries}} before it verified.', {
              seq: report.problem.seq,
              kind: report.problem.kind,
              reason: report.problem.reason,
              count: report.verified,
            })}
          </Typography>
        );
      }
      case 'error':
        return (
          <Typography textColor="danger600" role="alert">
            {t('verify.error', 'Could not verify: {message}', { message: verification.message })}
          </Typography>
        );
      default:
        return null;
    }
  };
  return (
    <Flex gap={4} wrap="wrap" alignItems="center">
      <Button variant="secondary" startIcon={<Shield />} loading={verification.status === 'running'} onClick={onVerify}>
        {t('verify.action', 'Verify the chain')}
      </Button>
      {result()}
    </Flex>
  );
};
