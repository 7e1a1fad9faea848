import * as React from 'react';
import { useFetchClient } from '@strapi/strapi/admin';
import { adminApi, type EventListItem } from '../api';

type EventsState =
  | { status: 'loading' }
  | { status: 'error'; error: unknown }
  | { status: 'ready'; events: EventListItem[] };

/** The published events, newest first, loaded once when the list page opens. */
export const useEvents = () => {
  const { get } = useFetchClient();
  const [state, setState] = React.useState<EventsState>({ status: 'loading' });

  React.useEffect(() => {
    get<{ data: EventListItem[] }>(adminApi.events()).then(
      ({ data }) => setState({ status: 'ready', events: data.data }),
      (error: unknown) => setState({ status: 'error', error })
    );
  }, [get]);

  return state;
};
