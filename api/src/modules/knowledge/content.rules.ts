/**
 * Article bodies: a small Markdown subset the editors type, parsed here into blocks the apps render
 * themselves (no HTML from the database ever reaches a page). Pure.
 *
 *   ## 标题 / ### 小标题        headings
 *   - 条目 (or * 条目)          bullet list
 *   1. 条目                     numbered list
 *   ![说明](img1)               an image of the article (its `images`, checked by content when uploaded)
 *   **加粗**  [文字](链接)       inline: bold; links to /knowledge/<编号> or to http(s) addresses only
 *   blank line                  new paragraph
 */
import { DomainError } from '../../lib/errors';

export type Inline = { t: 'text'; s: string } | { t: 'b'; s: string } | { t: 'a'; s: string; href: string };
export type Block = { t: 'h2' | 'h3' | 'p'; inl: Inline[] } | { t: 'ul' | 'ol'; items: Inline[][] } | { t: 'img'; key: string; alt: string };

export const MAX_BODY_CHARS = 20_000;
export const MAX_IMAGES = 6;
export const MAX_IMAGE_BYTES = 512 * 1024;

/** Where a link may point: our own knowledge pages, or a web address. Anything else (javascript:, data:) is plain text. */
export function safeHref(href: string): string | null {
  const h = href.trim();
  if (/^\/knowledge(\/[a-z0-9-]+)?$/i.test(h)) return h;
  if (/^https?:\/\/[^\s<>"']+$/i.test(h)) return h;
  return null;
}

const INLINE = /\*\*([^*]+)\*\*|\[([^\]]+)\]\(([^)\s]+)\)/g;

export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  let last = 0;
  for (const m of text.matchAll(INLINE)) {
    const i = m.index ?? 0;
    if (i > last) out.push({ t: 'text', s: text.slice(last, i) });
    if (m[1] !== undefined) out.push({ t: 'b', s: m[1] });
    else {
      const href = safeHref(m[3]);
      out.push(href ? { t: 'a', s: m[2], href } : { t: 'text', s: m[2] });
    }
    last = i + m[0].length;
  }
  if (last < text.length) out.push({ t: 'text', s: text.slice(last) });
  return out;
}

const IMG = /^!\[([^\]]*)\]\(([a-z0-9_-]{1,20})\)$/i;

export function parseBody(body: string): Block[] {
  const blocks: Block[] = [];
  let para: string[] = [];
  let list: { t: 'ul' | 'ol'; items: Inline[][] } | null = null;
  const flush = () => {
    if (para.length) blocks.push({ t: 'p', inl: parseInline(para.join('')) });
    para = [];
    if (list) blocks.push(list);
    list = null;
  };
  for (const raw of body.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trim();
    if (!line) {
      flush();
      continue;
    }
    const heading = /^(#{2,3})\s+(.+)$/.exec(line);
    const img = IMG.exec(line);
    const item = /^[-*]\s+(.+)$/.exec(line) ?? /^\d{1,2}[.、]\s*(.+)$/.exec(line);
    if (heading) {
      flush();
      blocks.push({ t: heading[1].length === 2 ? 'h2' : 'h3', inl: parseInline(heading[2]) });
    } else if (img) {
      flush();
      blocks.push({ t: 'img', key: img[2], alt: img[1] });
    } else if (item) {
      const kind = /^[-*]/.test(line) ? 'ul' : 'ol';
      if (para.length) {
        blocks.push({ t: 'p', inl: parseInline(para.join('')) });
        para = [];
      }
      if (list && list.t !== kind) {
        blocks.push(list);
        list = null;
      }
      list ??= { t: kind, items: [] };
      list.items.push(parseInline(item[1]));
    } else {
      if (list) {
        blocks.push(list);
        list = null;
      }
      para.push(line);
    }
  }
  flush();
  return blocks;
}

/** The body as plain text (for the index, snippets and the diff's companions). */
export function plainText(body: string): string {
  const inl = (xs: Inline[]) => xs.map((x) => x.s).join('');
  return parseBody(body)
    .map((b) => ('alt' in b ? b.alt : 'items' in b ? b.items.map(inl).join('；') : inl(b.inl)))
    .filter(Boolean)
    .join('\n');
}

/** Image keys the body refers to. */
export const imageKeys = (body: string) => parseBody(body).flatMap((b) => (b.t === 'img' ? [b.key] : []));

/** Refuses a body that refers to an image the article does not have. */
export function checkBody(body: string, images: readonly { key: string }[]): void {
  if (body.length > MAX_BODY_CHARS) throw new DomainError('BAD_REQUEST', `正文不能超过${MAX_BODY_CHARS}字`);
  const have = new Set(images.map((i) => i.key));
  const missing = imageKeys(body).filter((k) => !have.has(k));
  if (missing.length) throw new DomainError('BAD_REQUEST', `正文引用的图片 ${missing.join('、')} 不存在，请重新插入`);
  if (images.length > MAX_IMAGES) throw new DomainError('BAD_REQUEST', `每篇文章最多${MAX_IMAGES}张图片`);
}
