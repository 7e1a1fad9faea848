import { Box, Flex } from '@strapi/design-system';
import { useTranslate } from '../../hooks/useTranslate';
import { STEPS } from './form';

type Props = { current: number; reached: number; onGo: (step: number) => void; withErrors: Set<string> };

/** The wizard's steps, in order: the current one marked, the ones already reached a click (or Enter) away. */
export const Stepper = ({ current, reached, onGo, withErrors }: Props) => {
  const t = useTranslate();
  const names = [t('wizard.step.details', 'Details'), t('wizard.step.rounds', 'Rounds'), t('wizard.step.lineup', 'Lineup'), t('wizard.step.review', 'Review')];
  return (
    <Box tag="nav" aria-label={t('wizard.steps', 'Steps')}>
      <Flex tag="ol" gap={2} wrap="wrap">
        {STEPS.map((step, index) => {
          const label = `${index + 1}. ${names[index]}${withErrors.has(step) ? ` (${t('wizard.step.hasErrors', 'needs attention')})` : ''}`;
          return (
            <li key={step}>
              <button
                type="button"
                onClick={() => onGo(index)}
                disabled={index > reached}
                aria-current={index === current ? 'step' : undefined}
                style={{
                  padding: '8px 12px',
                  borderRadius: 4,
                  border: '1px solid',
                  borderColor: index === current ? '#4945ff' : '#c0c0cf',
                  background: index === current ? '#4945ff' : '#ffffff',
                  color: index === current ? '#ffffff' : index > reached ? '#666687' : '#32324d',
                  cursor: index > reached ? 'default' : 'pointer',
                }}
              >
                <span style={{ fontSize: '1.4rem', fontWeight: index === current ? 600 : 400 }}>{label}</span>
              </button>
            </li>
          );
        })}
      </Flex>
    </Box>
  );
};
