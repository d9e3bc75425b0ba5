import type { NextConfig } from 'next';

const config: NextConfig = {
  // @letterbox/contracts ships TypeScript sources.
  transpilePackages: ['@letterbox/contracts'],
  poweredByHeader: false,
  reactStrictMode: true,
  // The server serves the UI behind its own HTTP listener; no image optimiser (no sharp).
  images: { unoptimized: true },
  typescript: { ignoreBuildErrors: true }, // `pnpm typecheck` checks types; the build stays fast.
  // The UI's own pages: no framing by other sites (its buttons delete mail), no sniffing.
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Frame-Options', value: 'SAMEORIGIN' },
          { key: 'X-Content-Type-Options', value: 'nosniff' },
        ],
      },
    ];
  },
  turbopack: { root: new URL('../..', import.meta.url).pathname },
};

export default config;
