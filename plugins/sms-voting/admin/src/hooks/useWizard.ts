import * as React from 'react';
import { isFetchError, useFetchClient } from '@strapi/strapi/admin';
import { WIZARD_API, type ArtistChoice, type EventWizardInput, type WizardResult } from '../../../shared/contracts';
import { emptyForm, fromInput, type FieldErrors, type WizardForm } from '../components/wizard/form';

type Loaded = { status: 'loading' } | { status: 'error' } | { status: 'not-found' } | { status: 'ready'; form: WizardForm; artists: ArtistChoice[]; published: boolean };

/** A refusal: each problem at its field (path joined with dots), or one message for the whole form. */
export type Refusal = { fields: FieldErrors; message: string };

const refusalOf = (error: unknown, fallback: string): Refusal => {
  if (isFetchError(error)) {
    const apiError = error.response?.data?.error as { message?: string; details?: { errors?: { path: (string | number)[]; message: string }[] } } | undefined;
    const fields: FieldErrors = {};
    for (const problem of apiError?.details?.errors ?? []) fields[problem.path.join('.')] ??= problem.message;
    return { fields, message: apiError?.message ?? fallback };
  }
  return { fields: {}, message: fallback };
};

/** The wizard's calls: the event to edit (if any) and the artists to pick, checking a step, saving. */
export const useWizard = (documentId: string | undefined, fallbackMessage: string) => {
  const { get, post, put } = useFetchClient();
  const [loaded, setLoaded] = React.useState<Loaded>({ status: 'loading' });
  const [version, setVersion] = React.useState(0);
  /** Reads the event again (after a save, so new rounds and entries carry their ids). */
  const reload = React.useCallback(() => setVersion((current) => current + 1), []);

  React.useEffect(() => {
    let current = true;
    const event = documentId ? get<{ data: EventWizardInput & { published: boolean } }>(WIZARD_API.event(documentId)).then(({ data }) => data.data) : Promise.resolve(null);
    Promise.all([event, get<{ data: ArtistChoice[] }>(WIZARD_API.artists()).then(({ data }) => data.data)]).then(
      ([input, artists]) => current && setLoaded({ status: 'ready', form: input ? fromInput(input) : emptyForm(), artists, published: input?.published ?? false }),
      (error: unknown) => current && setLoaded({ status: isFetchError(error) && error.status === 404 ? 'not-found' : 'error' })
    );
    return () => {
      current = false;
    };
  }, [documentId, get, version]);

  /** Every rule of a save (nothing is written): null when the submission would be accepted. */
  const check = React.useCallback(
    async (input: EventWizardInput): Promise<Refusal | null> => {
      try {
        await post(WIZARD_API.validate(), { ...input, ...(documentId ? { documentId } : {}) });
        return null;
      } catch (error) {
        return refusalOf(error, fallbackMessage);
      }
    },
    [post, documentId, fallbackMessage]
  );

  const save = React.useCallback(
    async (input: EventWizardInput): Promise<{ result: WizardResult } | { refusal: Refusal }> => {
      try {
        const { data } = documentId
          ? await put<{ data: WizardResult }>(WIZARD_API.event(documentId), input)
          : await post<{ data: WizardResult }>(WIZARD_API.create(), input);
        return { result: data.data };
      } catch (error) {
        return { refusal: refusalOf(error, fallbackMessage) };
      }
    },
    [post, put, documentId, fallbackMessage]
  );

  return { loaded, check, save, reload };
};
