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

/**
 * Each link in a rendered message replaced by a short link of its own (the same URL twice in one
 * message shares one), and the codes with the URLs they stand for, to be stored with the message.
 */
export function shortenLinks(body: string, publicUrl: string, newCode = newShortCode): { body: string; links: { code: string; url: string }[] } {
  const codes = new Map<string, string>();
  const shortened = body.replace(URL_IN_TEXT, (url) => {
    let code = codes.get(url);
    if (!code) codes.set(url, (code = newCode()));
    return shortLinkUrl(publicUrl, code);
  });
  return { body: shortened, links: [...codes].map(([url, code]) => ({ code, url })) };
}

/**
 * A template as long as its messages will be, for the SMS length the editor shows: each link, and
 * `{{event.url}}`, counted as the short link that replaces it.
 */
export const withShortLinkLengths = (template: string, publicUrl: string) =>
  template.replace(/\{\{\s*event\.url\s*\}\}/g, 'https://event.url').replace(URL_IN_TEXT, shortLinkUrl(publicUrl, 'x'.repeat(SHORT_CODE_LENGTH)));
