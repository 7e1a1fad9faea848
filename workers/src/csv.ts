/**
 * One CSV cell (RFC 4180: quoted when it holds a quote, a comma or a line break). A text a
 * spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab or carriage return first) gets a
 * leading apostrophe, so it is shown as text (CSV injection); numbers are left as numbers. Shared by
 * the CSVs the cms's plugins serve (the artist dashboard, the CRM's exports); the audit trail, which
 * the workers load (so cannot depend on them), keeps the same rule in its own `csvField`.
 */
export const csvCell = (value: string | number | boolean | null | undefined) => {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** One CSV line, CRLF-terminated. */
export const csvLine = (cells: readonly (string | number | boolean | null | undefined)[]) => `${cells.map(csvCell).join(',')}\r\n`;
