/**
 * Sanitises a Strapi "blocks" rich-text value on write: only known node types and text marks are
 * kept, links and images must be http(s) or mailto, and anything else is dropped. The site renders
 * blocks as elements and text nodes, so no stored value can become markup or script.
 */
type Node = Record<string, unknown>;

const BLOCK_TYPES = new Set(['paragraph', 'heading', 'list', 'list-item', 'quote', 'code', 'image', 'link', 'text']);
const TEXT_MARKS = ['bold', 'italic', 'underline', 'strikethrough', 'code'] as const;
const SAFE_URL = /^(https?:\/\/|mailto:)/i;
const MAX_TEXT = 20_000;

const isNode = (value: unknown): value is Node =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function sanitizeText(node: Node): Node | null {
  if (typeof node.text !== 'string') return null;
  const clean: Node = { type: 'text', text: node.text.slice(0, MAX_TEXT) };
  for (const mark of TEXT_MARKS) if (node[mark] === true) clean[mark] = true;
  return clean;
}

function sanitizeNode(node: unknown, depth: number): Node | null {
  if (!isNode(node) || typeof node.type !== 'string' || !BLOCK_TYPES.has(node.type) || depth > 8) return null;
  if (node.type === 'text') return sanitizeText(node);

  const clean: Node = { type: node.type };
  if (node.type === 'heading') clean.level = Math.min(6, Math.max(1, Number(node.level) || 2));
  if (node.type === 'list') clean.format = node.format === 'ordered' ? 'ordered' : 'unordered';
  if (node.type === 'code' && typeof node.language === 'string') clean.language = node.language.slice(0, 30);
  if (node.type === 'link') {
    if (typeof node.url !== 'string' || !SAFE_URL.test(node.url.trim())) return null;
    clean.url = node.url.trim();
  }
  if (node.type === 'image') {
    const image = isNode(node.image) ? node.image : {};
    if (typeof image.url !== 'string' || !(SAFE_URL.test(image.url) || image.url.startsWith('/uploads/'))) return null;
    clean.image = {
      url: image.url,
      alternativeText: typeof image.alternativeText === 'string' ? image.alternativeText.slice(0, 300) : '',
      width: Number(image.width) || undefined,
      height: Number(image.height) || undefined,
    };
  }
  const children = Array.isArray(node.children) ? node.children : [];
  clean.children = children.map((child) => sanitizeNode(child, depth + 1)).filter((child) => child !== null);
  if ((clean.children as Node[]).length === 0) clean.children = [{ type: 'text', text: '' }];
  return clean;
}

export function sanitizeBlocks(value: unknown): Node[] | null {
  if (value === null || value === undefined) return null;
  if (!Array.isArray(value)) return [];
  return value.map((node) => sanitizeNode(node, 0)).filter((node): node is Node => node !== null && node.type !== 'text');
}
