import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { TopBar } from './_components/top-bar';
import './globals.css';

export const metadata: Metadata = { title: 'Letterbox', description: 'Mail caught by Letterbox' };
export const viewport: Viewport = { width: 'device-width', initialScale: 1, colorScheme: 'light dark' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#content">Skip to content</a>
        <TopBar />
        {children}
      </body>
    </html>
  );
}
