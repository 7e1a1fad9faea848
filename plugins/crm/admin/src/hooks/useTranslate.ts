import * as React from 'react';
import { useIntl } from 'react-intl';
import { getTranslation } from '../utils/getTranslation';

type Values = Record<string, string | number>;

/** Formats one of this plugin's messages; the English default lives next to its use. */
export const useTranslate = () => {
  const { formatMessage } = useIntl();
  return React.useCallback(
    (id: string, defaultMessage: string, values?: Values) => formatMessage({ id: getTranslation(id), defaultMessage }, values),
    [formatMessage]
  );
};
