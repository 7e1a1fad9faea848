import * as React from 'react';
import { useFetchClient } from '@strapi/strapi/admin';
import { auditApi, type VerifyResponse } from '../api';

export type Verification =
  | { status: 'idle' }
  | { status: 'running' }
  | { status: 'done'; report: VerifyResponse['data']; at: Date }
  | { status: 'error'; message: string };

/** The Verify button: walks the whole chain on the server and keeps its report. */
export const useVerify = () => {
  const { post } = useFetchClient();
  const [verification, setVerification] = React.useState<Verification>({ status: 'idle' });
  const verify = React.useCallback(async () => {
    setVerification({ status: 'running' });
    try {
      const { data } = await post<VerifyResponse>(auditApi.verify());
      setVerification({ status: 'done', report: data.data, at: new Date() });
    } catch (error) {
      setVerification({ status: 'error', message: (error as Error).message });
    }
  }, [post]);
  return { verification, verify };
};
