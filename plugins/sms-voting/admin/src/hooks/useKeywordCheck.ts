import * as React from 'react';
import { useFetchClient } from '@strapi/strapi/admin';
import { WIZARD_API, type KeywordAvailability } from '../../../shared/contracts';

export type KeywordCheck = { status: 'idle' | 'checking' } | { status: 'done'; result: KeywordAvailability } | { status: 'error' };

const DEBOUNCE_MS = 350;

/** Whether the keyword being typed is free, asked once typing pauses; an answer for an older keyword is dropped. */
export const useKeywordCheck = (keyword: string, documentId?: string): KeywordCheck => {
  const { get } = useFetchClient();
  const [check, setCheck] = React.useState<KeywordCheck>({ status: 'idle' });

  React.useEffect(() => {
    const word = keyword.trim();
    if (!word) {
      setCheck({ status: 'idle' });
      return undefined;
    }
    let current = true;
    setCheck({ status: 'checking' });
    const timer = setTimeout(() => {
      get<{ data: KeywordAvailability }>(WIZARD_API.keyword(word, documentId)).then(
        ({ data }) => current && setCheck({ status: 'done', result: data.data }),
        () => current && setCheck({ status: 'error' })
      );
    }, DEBOUNCE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [keyword, documentId, get]);

  return check;
};
