import * as React from 'react';
import { Box, Button, Flex, Typography } from '@strapi/design-system';
import { ArrowLeft, ArrowRight, Check } from '@strapi/icons';
import { BackButton, Layouts, Page, useNotification } from '@strapi/strapi/admin';
import { useNavigate, useParams } from 'react-router-dom';
import { DetailsStep } from '../components/wizard/DetailsStep';
import { LineupStep } from '../components/wizard/LineupStep';
import { ReviewStep } from '../components/wizard/ReviewStep';
import { RoundsStep } from '../components/wizard/RoundsStep';
import { Stepper } from '../components/wizard/Stepper';
import { STEPS, toInput, type FieldErrors, type WizardForm } from '../components/wizard/form';
import { fieldId } from '../components/wizard/WizardField';
import { useKeywordCheck } from '../hooks/useKeywordCheck';
import { useTranslate } from '../hooks/useTranslate';
import { useWizard, type Refusal } from '../hooks/useWizard';

const stepOf = (path: string) => path.split('.')[0];

/**
 * The event wizard: details → rounds → lineup → review, then saved whole (as a draft, or published)
 * in one request. "Next" asks the server to check what is filled in so far with the save's own rules;
 * a refused save brings the editor to the first step with a problem, each problem at its field.
 */
export const WizardPage = () => {
  const { documentId } = useParams<{ documentId: string }>();
  const t = useTranslate();
  const navigate = useNavigate();
  const { toggleNotification } = useNotification();
  const fallback = t('actions.error', 'Something went wrong. Try again.');
  const { loaded, check, save, reload } = useWizard(documentId, fallback);
  const [form, setForm] = React.useState<WizardForm | null>(null);
  const [step, setStep] = React.useState(0);
  const [reached, setReached] = React.useState(documentId ? STEPS.length - 1 : 0);
  const [errors, setErrors] = React.useState<FieldErrors>({});
  const [message, setMessage] = React.useState<string | null>(null);
  const [busy, setBusy] = React.useState(false);
  const headingRef = React.useRef<HTMLHeadingElement>(null);
  const keyword = useKeywordCheck(form?.details.keyword ?? '', documentId);

  React.useEffect(() => {
    if (loaded.status === 'ready') setForm(loaded.form);
  }, [loaded]);

  const goTo = (next: number) => {
    setStep(next);
    setReached((current) => Math.max(current, next));
    // The new step's heading takes the focus, so a keyboard or screen-reader user starts at its top.
    requestAnimationFrame(() => headingRef.current?.focus());
  };

  /** Shows a refusal's problems from `upTo` back; goes to the first step with one. Returns whether there were any. */
  const showRefusal = (refusal: Refusal, upTo: number) => {
    const steps = STEPS.slice(0, upTo + 1) as string[];
    const fields = Object.fromEntries(Object.entries(refusal.fields).filter(([path]) => steps.includes(stepOf(path))));
    const general = Object.keys(refusal.fields).length === 0;
    setErrors(fields);
    if (!general && Object.keys(fields).length === 0) return false;
    setMessage(general ? refusal.message : t('wizard.fix', 'Some fields need attention: each problem is shown under its field.'));
    const first = STEPS.findIndex((name) => Object.keys(fields).some((path) => stepOf(path) === name));
    if (first >= 0 && first !== step) goTo(first);
    else requestAnimationFrame(() => document.getElementById(fieldId(Object.keys(fields)[0] ?? ''))?.focus());
    return true;
  };

  const next = async () => {
    if (!form) return;
    setBusy(true);
    const refusal = await check(toInput(form, false));
    setBusy(false);
    if (refusal && showRefusal(refusal, step)) return;
    setErrors({});
    setMessage(null);
    goTo(step + 1);
  };

  const submit = async (publish: boolean) => {
    if (!form) return;
    setBusy(true);
    const outcome = await save(toInput(form, publish));
    setBusy(false);
    if ('refusal' in outcome) {
      showRefusal(outcome.refusal, STEPS.length - 1);
      return;
    }
    const { result } = outcome;
    toggleNotification({
      type: 'success',
      message: result.published ? t('wizard.published', 'The event is published.') : t('wizard.savedDraft', 'The event is saved as a draft.'),
    });
    // Paths relative to this page: `new`, or `<documentId>/edit`.
    if (result.published) navigate(documentId ? '..' : `../${result.documentId}`, { relative: 'path' });
    else if (documentId) reload();
    else navigate(`../${result.documentId}/edit`, { relative: 'path' });
  };

  if (loaded.status === 'loading' || (loaded.status === 'ready' && !form)) return <Page.Loading />;
  if (loaded.status === 'not-found') return <Page.Error content={t('wizard.notFound', 'This event does not exist.')} />;
  if (loaded.status === 'error' || !form) return <Page.Error />;

  const title = documentId ? t('wizard.editTitle', 'Edit event') : t('wizard.newTitle', 'New event');
  const stepNames = [t('wizard.step.details', 'Details'), t('wizard.step.rounds', 'Rounds'), t('wizard.step.lineup', 'Lineup'), t('wizard.step.review', 'Review')];
  const withErrors = new Set(Object.keys(errors).map(stepOf));
  const isReview = STEPS[step] === 'review';
  const published = loaded.status === 'ready' && loaded.published;

  return (
    <Page.Main aria-busy={busy}>
      <Page.Title>{title}</Page.Title>
      <Layouts.Header
        navigationAction={<BackButton fallback={documentId ? `../${documentId}` : '..'} />}
        title={form.details.title.en ? `${title}: ${form.details.title.en}` : title}
        subtitle={t('wizard.subtitle', 'The event, its rounds and its lineup are saved together, in English and Spanish.')}
      />
      <Layouts.Content>
        <Flex direction="column" alignItems="stretch" gap={6}>
          <Stepper current={step} reached={reached} onGo={goTo} withErrors={withErrors} />
          <Box tag="section" aria-labelledby="wizard-step-heading" background="neutral0" hasRadius shadow="tableShadow" padding={6}>
            <Flex direction="column" alignItems="stretch" gap={4}>
              <Typography id="wizard-step-heading" ref={headingRef} tabIndex={-1} tag="h2" variant="beta">
                {t('wizard.stepHeading', 'Step {number} of {count}: {name}', { number: step + 1, count: STEPS.length, name: stepNames[step] })}
              </Typography>
              {message && (
                <Box role="alert" padding={3} background="danger100" hasRadius>
                  <Typography textColor="danger700">{message}</Typography>
                </Box>
              )}
              {STEPS[step] === 'details' && (
                <DetailsStep details={form.details} errors={errors} keyword={keyword} onChange={(patch) => setForm({ ...form, details: { ...form.details, ...patch } })} />
              )}
              {STEPS[step] === 'rounds' && <RoundsStep rounds={form.rounds} eventEnds={form.details.endsAt} errors={errors} onChange={(rounds) => setForm({ ...form, rounds })} />}
              {STEPS[step] === 'lineup' && loaded.status === 'ready' && (
                <LineupStep lineup={form.lineup} artists={loaded.artists} errors={errors} onChange={(lineup) => setForm({ ...form, lineup })} />
              )}
              {isReview && loaded.status === 'ready' && <ReviewStep form={form} artists={loaded.artists} />}
              <Flex justifyContent="space-between" paddingTop={4}>
                <Button variant="tertiary" startIcon={<ArrowLeft />} disabled={step === 0 || busy} onClick={() => goTo(step - 1)}>
                  {t('wizard.back', 'Back')}
                </Button>
                {isReview ? (
                  <Flex gap={2}>
                    <Button variant="secondary" loading={busy} onClick={() => submit(false)}>
                      {published ? t('wizard.saveDraft', 'Save as draft') : t('wizard.createDraft', 'Create as draft')}
                    </Button>
                    <Button startIcon={<Check />} loading={busy} onClick={() => submit(true)}>
                      {t('wizard.publish', 'Publish')}
                    </Button>
                  </Flex>
                ) : (
                  <Button endIcon={<ArrowRight />} loading={busy} onClick={next}>
                    {t('wizard.next', 'Next')}
                  </Button>
                )}
              </Flex>
            </Flex>
          </Box>
        </Flex>
      </Layouts.Content>
    </Page.Main>
  );
};
