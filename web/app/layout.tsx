import { AntdRegistry } from '@ant-design/nextjs-registry';
import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { Providers } from '@/components/Providers';
import { t } from '@/lib/i18n';
import './globals.css';

// Every page renders per request: the Content-Security-Policy nonce (proxy.ts) exists only then, and
// Next.js puts it on its scripts; a page prerendered at build time would carry none and not hydrate.
export const dynamic = 'force-dynamic';

export const metadata: Metadata = {
  title: { default: t.app.name, template: `%s - ${t.app.name}` },
  description: t.landing.heroDesc,
};

export const viewport: Viewport = {
  width: 'device-width',
  initialScale: 1,
  themeColor: '#00706b',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="zh-CN">
      <body>
        <AntdRegistry>
          <Providers>{children}</Providers>
        </AntdRegistry>
      </body>
    </html>
  );
}
