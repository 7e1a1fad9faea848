import { afterEach, describe, expect, it } from 'vitest';
import { headingLevel, mediaUrl, plainText, safeHref, type BlockNode } from '../lib/blocks';

describe('links and media from rich text', () => {
  afterEach(() => {
    delete process.env.CMS_PUBLIC_URL;
  });

  it('keeps http(s) and mailto links', () => {
    expect(safeHref('https://example.com/a?b=1')).toBe('https://example.com/a?b=1');
    expect(safeHref(' http://example.com ')).toBe('http://example.com/');
    expect(safeHref('mailto:hello@example.com')).toBe('mailto:hello@example.com');
  });

  it('refuses script, data and relative links, however they are disguised', () => {
    for (const url of [
      'javascript:alert(1)',
      ' JavaScript:alert(1)',
      'java\tscript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox(1)',
      '//evil.example',
      '/relative',
      '',
      null,
      42,
    ]) {
      expect(safeHref(url), String(url)).toBeUndefined();
    }
  });

  it('serves uploads from the CMS public origin and refuses other schemes', () => {
    process.env.CMS_PUBLIC_URL = 'https://cms.example/';
    expect(mediaUrl('/uploads/a.jpg')).toBe('https://cms.example/uploads/a.jpg');
    expect(mediaUrl('https://bucket.example/a.jpg')).toBe('https://bucket.example/a.jpg');
    expect(mediaUrl('javascript:alert(1)')).toBeUndefined();
    expect(mediaUrl('data:image/svg+xml,<svg onload=alert(1)>')).toBeUndefined();
  });

  it('starts post headings at h2 and reads plain text out of a tree', () => {
    expect(headingLevel(1)).toBe(2);
    expect(headingLevel(4)).toBe(4);
    expect(headingLevel('nonsense')).toBe(2);
    const body: BlockNode[] = [
      { type: 'paragraph', children: [{ type: 'text', text: 'Hello' }, { type: 'link', url: 'https://x', children: [{ type: 'text', text: 'world' }] }] },
    ];
    expect(plainText(body)).toBe('Hello world');
  });
});
