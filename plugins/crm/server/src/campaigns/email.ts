import sanitizeHtml from 'sanitize-html';
import type { Language, Template } from '../../../shared/contracts/crm';
import { renderTemplate, type TemplateValues } from './template';

/**
 * What a campaign email's HTML may contain: text formatting, headings, lists, links (http, https,
 * mailto), images over https and tables for layout. No scripts, styles, forms, frames, event
 * handlers or `javascript:` links: those are removed when the campaign is saved.
 */
const SANITISE: sanitizeHtml.IOptions = {
  allowedTags: [
    'p', 'br', 'hr', 'strong', 'b', 'em', 'i', 'u', 's', 'small', 'span', 'div', 'blockquote',
    'h1', 'h2', 'h3', 'h4', 'ul', 'ol', 'li', 'a', 'img', 'table', 'thead', 'tbody', 'tr', 'th', 'td',
  ],
  allowedAttributes: { a: ['href', 'title'], img: ['src', 'alt', 'width', 'height'], td: ['align', 'colspan'], th: ['align', 'colspan'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['https'] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
};

/** A campaign email's HTML as it is saved: only what SANITISE allows. */
export const sanitiseEmailHtml = (html: string) => sanitizeHtml(html, SANITISE).trim();

const ENTITIES: Record<string, string> = { '&nbsp;': ' ', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&#x27;': "'", '&amp;': '&' };

/** The plain-text part of an HTML email: paragraphs as lines, links as "text (url)", no tags. */
export function textFromHtml(html: string) {
  return html
    .replace(/<a\s[^>]*href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/gi, (_, href: string, text: string) => {
      const label = text.replace(/<[^>]*>/g, '').trim();
      return label && label !== href ? `${label} (${href})` : href;
    })
    .replace(/<li[^>]*>/gi, '- ')
    .replace(/<(br|hr)\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|h\d|li|tr|blockquote|table)>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(nbsp|lt|gt|quot|amp|#39|#x27);/g, (entity) => ENTITIES[entity])
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const escapeHtml = (value: string) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/**
 * Where each message's own unsubscribe link goes: the fan-out stores the email with this marker and
 * the outbox puts the recipient's signed link in its place right before sending (services/unsubscribe.ts),
 * so no stored message holds a working link.
 */
export const UNSUBSCRIBE_MARKER = '[unsubscribe link]';

const FOOTER: Record<Language, { why: (brand: string) => string; link: string }> = {
  en: { why: (brand) => `You get this email because you asked ${brand} for news.`, link: 'Unsubscribe' },
  es: { why: (brand) => `Recibes este email porque pediste noticias a ${brand}.`, link: 'Darte de baja' },
};

/**
 * A campaign email for one fan: the subject, the HTML (variables filled in, escaped) and the plain
 * text (as written, else made from the HTML), each ending with the visible unsubscribe link.
 */
export function renderCampaignEmail(template: Template, values: TemplateValues, language: Language, brand: string) {
  const escaped = Object.fromEntries(Object.entries(values).map(([name, value]) => [name, value === undefined ? undefined : escapeHtml(value)])) as TemplateValues;
  const html = renderTemplate(template.body, escaped);
  const text = template.text ? renderTemplate(template.text, values) : textFromHtml(html);
  const footer = FOOTER[language];
  return {
    subject: renderTemplate(template.subject ?? '', values),
    html: `${html}\n<hr>\n<p><small>${escapeHtml(footer.why(brand))} <a href="${UNSUBSCRIBE_MARKER}">${footer.link}</a></small></p>`,
    text: `${text}\n\n--\n${footer.why(brand)}\n${footer.link}: ${UNSUBSCRIBE_MARKER}`,
  };
}
