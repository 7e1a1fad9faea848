/**
 * Strapi "blocks" rich text, as stored on posts. The CMS sanitises on write; the site still treats
 * every value as untrusted: components build elements from this JSON (text is always escaped by
 * Astro) and only the links and images that `safeHref` / `safeImageSrc` accept are rendered.
 */
import { cmsPublicUrl } from './cms';
import { resolveMediaUrl } from './media';

export interface TextLeaf {
  type: 'text';
  text: string;
  bold?: boolean;
  italic?: boolean;
  underline?: boolean;
  strikethrough?: boolean;
  code?: boolean;
}

export interface LinkNode {
  type: 'link';
  url: string;
  children: TextLeaf[];
}

export type Inline = TextLeaf | LinkNode;

export interface ParagraphBlock {
  type: 'paragraph';
  children: Inline[];
}
export interface HeadingBlock {
  type: 'heading';
  level: number;
  children: Inline[];
}
export interface ListItemBlock {
  type: 'list-item';
  children: (Inline | ListBlock)[];
}
export interface ListBlock {
  type: 'list';
  format: 'ordered' | 'unordered';
  children: (ListItemBlock | ListBlock)[];
}
export interface QuoteBlock {
  type: 'quote';
  children: Inline[];
}
export interface CodeBlock {
  type: 'code';
  children: Inline[];
}
export interface ImageBlock {
  type: 'image';
  image: { url: string; alternativeText?: string | null; width?: number; height?: number };
  children?: Inline[];
}

export type Block = ParagraphBlock | HeadingBlock | ListBlock | QuoteBlock | CodeBlock | ImageBlock;
export type BlockNode = Block | ListItemBlock | Inline;

const SAFE_LINK = /^(https?:|mailto:)/i;

/** `url` if it is an http(s) or mailto link, else undefined (the text is then shown unlinked). */
export function safeHref(url: unknown): string | undefined {
  if (typeof url !== 'string') return undefined;
  const trimmed = url.trim();
  if (!SAFE_LINK.test(trimmed)) return undefined;
  try {
    // Normalises and rejects malformed URLs; `new URL` also strips tabs/newlines browsers would ignore.
    return new URL(trimmed).href;
  } catch {
    return undefined;
  }
}

/**
 * A media URL browsers can load: uploads on the CMS (`/uploads/...`) get the CMS's public origin,
 * absolute http(s) URLs (an S3 bucket) pass, anything else is refused.
 */
export function mediaUrl(url: unknown): string | undefined {
  return resolveMediaUrl(url, cmsPublicUrl());
}

/** Plain text of a node tree, e.g. for a description meta tag. */
export function plainText(nodes: readonly BlockNode[] | null | undefined): string {
  if (!Array.isArray(nodes)) return '';
  return nodes
    .map((node) => {
      if (!node || typeof node !== 'object') return '';
      if (node.type === 'text') return typeof node.text === 'string' ? node.text : '';
      return 'children' in node ? plainText(node.children as BlockNode[]) : '';
    })
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Headings inside a post start at h2: the page's own title is its only h1. */
export function headingLevel(level: unknown): 2 | 3 | 4 | 5 | 6 {
  const n = Math.round(Number(level));
  return Math.min(6, Math.max(2, Number.isFinite(n) ? n : 2)) as 2 | 3 | 4 | 5 | 6;
}
