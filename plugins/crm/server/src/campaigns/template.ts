import type { Language } from '../../../shared/contracts/crm';

/** The variables a campaign template may use, and what each is filled with at send time. */
export const TEMPLATE_VARIABLES = ['event.title', 'event.url', 'event.date', 'artist.name', 'fan.first_vote_artist', 'brand.name'] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];
export type TemplateValues = Partial<Record<TemplateVariable, string>>;

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** The problems with a template, each naming what is wrong: an unknown variable, a brace left open. */
export function templateProblems(text: string): string[] {
  const problems: string[] = [];
  for (const [, name] of text.matchAll(PLACEHOLDER)) {
    if (!(TEMPLATE_VARIABLES as readonly string[]).includes(name)) problems.push(`unknown variable {{${name}}} (known: ${TEMPLATE_VARIABLES.join(', ')})`);
  }
  const rest = text.replace(PLACEHOLDER, '');
  if (rest.includes('{{') || rest.includes('}}')) problems.push('a "{{" or "}}" without its other half');
  return problems;
}

export const variablesIn = (text: string) => [...new Set([...text.matchAll(PLACEHOLDER)].map(([, name]) => name as TemplateVariable))];

/** The template with each variable filled in; a value the fan lacks (no vote yet) reads as empty. */
export const renderTemplate = (text: string, values: TemplateValues) => text.replace(PLACEHOLDER, (_, name: TemplateVariable) => values[name] ?? '');

/** The language whose template a fan gets: their own when the campaign has it, else English. */
export const templateLanguage = (templates: Partial<Record<Language, unknown>>, language: string): Language =>
  language === 'es' && templates.es ? 'es' : 'en';
