import * as React from 'react';
import { useAPIErrorHandler, useFetchClient, useNotification, isFetchError } from '@strapi/strapi/admin';
import { tokensApi, type ListTokensResponse, type RotateTokenResponse, type SetBudgetResponse, type TokenUsage } from '../api';
import { useTranslate } from './useTranslate';

export type TokensState = { status: 'loading' } | { status: 'error'; error: unknown } | { status: 'ready'; tokens: TokenUsage[]; defaultPerMinute: number };

/** The content-API tokens with their usage and budgets; setting a budget; rotating a token (its new value returned once). */
export const useTokens = () => {
  const { get, put, post } = useFetchClient();
  const { toggleNotification } = useNotification();
  const { formatAPIError } = useAPIErrorHandler();
  const t = useTranslate();
  const [state, setState] = React.useState<TokensState>({ status: 'loading' });

  const load = React.useCallback(async () => {
    try {
      const { data } = await get<ListTokensResponse>(tokensApi.list());
      setState({ status: 'ready', tokens: data.data, defaultPerMinute: data.meta.defaultPerMinute });
    } catch (error) {
      setState({ status: 'error', error });
    }
  }, [get]);

  React.useEffect(() => {
    void load();
  }, [load]);

  const replace = (token: TokenUsage) =>
    setState((previous) => (previous.status === 'ready' ? { ...previous, tokens: previous.tokens.map((row) => (row.id === token.id ? token : row)) } : previous));

  const fail = (error: unknown) =>
    toggleNotification({ type: 'danger', message: isFetchError(error) ? formatAPIError(error) : t('tokens.failed', 'That did not work. Try again.') });

  const setBudget = async (id: number, perMinute: number | null) => {
    try {
      const { data } = await put<SetBudgetResponse>(tokensApi.budget(id), { perMinute });
      replace(data.data);
      toggleNotification({ type: 'success', message: t('tokens.budget.saved', 'Budget saved.') });
      return true;
    } catch (error) {
      fail(error);
      return false;
    }
  };

  const rotate = async (id: number, overlapHours: number) => {
    try {
      const { data } = await post<RotateTokenResponse>(tokensApi.rotate(id), { overlapHours });
      replace(data.data.token);
      return data.data;
    } catch (error) {
      fail(error);
      return null;
    }
  };

  return { state, setBudget, rotate };
};
