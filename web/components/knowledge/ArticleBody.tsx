'use client';

import { Typography } from 'antd';
import Link from 'next/link';
import type { ReactNode } from 'react';

/** What the API returns for an article body (api/src/modules/knowledge/content.rules.ts): blocks, never HTML. */
export type Inline = { t: 'text'; s: string } | { t: 'b'; s: string } | { t: 'a'; s: string; href: string };
export type Block = { t: 'h2' | 'h3' | 'p'; inl: Inline[] } | { t: 'ul' | 'ol'; items: Inline[][] } | { t: 'img'; key: string; alt: string };
export type Segment = { text: string; hit: boolean };

function inlines(xs: Inline[]): ReactNode[] {
  return xs.map((x, i) => {
    const key = `${i}-${x.t}`;
    if (x.t === 'b') return <strong key={key}>{x.s}</strong>;
    if (x.t === 'a')
      return x.href.startsWith('/') ? (
        <Link key={key} href={x.href}>
          {x.s}
        </Link>
      ) : (
        <a key={key} href={x.href} target="_blank" rel="noopener noreferrer nofollow">
          {x.s}
        </a>
      );
    return <span key={key}>{x.s}</span>;
  });
}

/** Renders an article's blocks as React elements (text is text: nothing from the database becomes markup). */
export function ArticleBody({ blocks, images }: { blocks: Block[]; images: { key: string; dataUrl: string; alt: string }[] }) {
  const imageOf = new Map(images.map((i) => [i.key, i]));
  return (
    <div className="ps-article">
      {blocks.map((b, i) => {
        const key = `${i}-${b.t}`;
        switch (b.t) {
          case 'h2':
            return (
              <Typography.Title key={key} level={4}>
                {inlines(b.inl)}
              </Typography.Title>
            );
          case 'h3':
            return (
              <Typography.Title key={key} level={5}>
                {inlines(b.inl)}
              </Typography.Title>
            );
          case 'p':
            return <p key={key}>{inlines(b.inl)}</p>;
          case 'ul':
          case 'ol': {
            const items = b.items.map((it, j) => <li key={`${key}-${j}`}>{inlines(it)}</li>);
            return b.t === 'ul' ? <ul key={key}>{items}</ul> : <ol key={key}>{items}</ol>;
          }
          case 'img': {
            const img = imageOf.get(b.key);
            if (!img || !/^data:image\/(png|jpeg|webp);base64,/.test(img.dataUrl)) return null;
            return <img key={key} src={img.dataUrl} alt={b.alt || img.alt} style={{ maxWidth: '100%', borderRadius: 6, margin: '8px 0' }} />;
          }
        }
        return null;
      })}
    </div>
  );
}

/** Text with the matched words marked. */
export function Highlighted({ segments }: { segments: Segment[] }) {
  return (
    <>
      {segments.map((s, i) =>
        s.hit ? (
          <mark key={i} className="ps-hit">
            {s.text}
          </mark>
        ) : (
          <span key={i}>{s.text}</span>
        ),
      )}
    </>
  );
}
