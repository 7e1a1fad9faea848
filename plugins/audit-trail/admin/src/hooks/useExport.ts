import * as React from 'react';
import { useFetchClient } from '@strapi/strapi/admin';
import { auditApi, type EntryFilters, type ExportFormat } from '../api';

/**
 * Downloads the entries the filters select, as CSV or NDJSON: the server streams them (and records
 * the export in the trail before the first byte); the browser saves the file under the server's name.
 */
export const useExport = (filters: EntryFilters) => {
  const { get } = useFetchClient();
  const [exporting, setExporting] = React.useState<ExportFormat | null>(null);
  const [failed, setFailed] = React.useState(false);
  const download = React.useCallback(
    async (format: ExportFormat) => {
      setExporting(format);
      setFailed(false);
      try {
        const { data, headers } = await get<Blob>(auditApi.export(filters, format), { responseType: 'blob' });
        const name = /filename="?([^";]+)"?/.exec(headers?.get('content-disposition') ?? '')?.[1] ?? `audit-trail.${format}`;
        const url = URL.createObjectURL(data);
        const link = Object.assign(document.createElement('a'), { href: url, download: name });
        document.body.append(link);
        link.click();
        link.remove();
        URL.revokeObjectURL(url);
      } catch {
        setFailed(true);
      } finally {
        setExporting(null);
      }
    },
    [get, filters]
  );
  return { exporting, failed, download };
};
