/**
 * One CSV cell (RFC 4180), safe to open in a spreadsheet: quoted when it holds a quote, a comma or a
 * line break, and a value starting with a formula character (`=`, `+`, `-`, `@`, tab, carriage return)
 * quoted with a leading apostrophe, so the spreadsheet shows it as text instead of running it
 * (CSV injection). Shared by every CSV the platform serves (the artist dashboard, the CRM's exports).
 */
export const csvCell = (value: string | number | boolean | null | undefined) => {
  const text = value === null || value === undefined ? '' : String(value);
  return /^[=+\-@\t\r]/.test(text) ? `"'${text.replace(/"/g, '""')}"` : /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** One CSV line, CRLF-terminated. */
export const csvLine = (cells: readonly (string | number | boolean | null | undefined)[]) => `${cells.map(csvCell).join(',')}\r\n`;
