import crypto from 'crypto';

/** Where a short link is served on the cms: `${PUBLIC_URL}/l/<code>`. */
export const SHORT_LINK_PATH = '/l';
/** 8 random bytes as base64url: 11 characters, 64 bits, so codes cannot be guessed or walked. */
export const SHORT_CODE_LENGTH = 11;
export const SHORT_CODE = /^[A-Za-z0-9_-]{11}$/;
export const newShortCode = () => crypto.randomBytes(8).toString('base64url');

// A URL in a message: up to whitespace, with the punctuation that ends a sentence left out.
const URL_IN_TEXT = /https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/g;

export const shortLinkUrl = (publicUrl: string, code: string) => `${publicUrl.replace(/\/$/, '')}${SHORT_LINK_PATH}/${code}`;

/** Short links made for one message: the same URL twice shares one code. */
function linkCodes(publicUrl: string, newCode: () => string) {
  const codes = new Map<string, string>();
  return {
    short(url: string) {
      let code = codes.get(url);
      if (!code) codes.set(url, (code = newCode()));
      return shortLinkUrl(publicUrl, code);
    },
    links: () => [...codes].map(([url, code]) => ({ code, url })),
  };
}

/**
 * Each link in a rendered message replaced by a short link of its own (the same URL twice in one
 * message shares one), and the codes with the URLs they stand for, to be stored with the message.
 */
export function shortenLinks(body: string, publicUrl: string, newCode = newShortCode): { body: string; links: { code: string; url: string }[] } {
  const codes = linkCodes(publicUrl, newCode);
  return { body: body.replace(URL_IN_TEXT, (url) => codes.short(url)), links: codes.links() };
}

const unescapeAttribute = (value: string) => value.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'");

/**
 * An email's links as short links of its own: each `href` of its HTML (sanitised, so double-quoted;
 * images stay as they are) and each link in its text part, one code per URL across both.
 */
export function shortenEmailLinks(email: { html: string; text: string }, publicUrl: string, newCode = newShortCode) {
  const codes = linkCodes(publicUrl, newCode);
  const html = email.html.replace(/\bhref="(https?:\/\/[^"]+)"/g, (_, href: string) => `href="${codes.short(unescapeAttribute(href))}"`);
  const text = email.text.replace(URL_IN_TEXT, (url) => codes.short(url));
  return { html, text, links: codes.links() };
}

/**
 * A template as long as its messages will be, for the SMS length the editor shows: each link, and
 * `{{event.url}}`, counted as the short link that replaces it.
 */
export const withShortLinkLengths = (template: string, publicUrl: string) =>
  template.replace(/\{\{\s*event\.url\s*\}\}/g, 'https://event.url').replace(URL_IN_TEXT, shortLinkUrl(publicUrl, 'x'.repeat(SHORT_CODE_LENGTH)));
