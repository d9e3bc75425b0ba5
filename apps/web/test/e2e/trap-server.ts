// A stand-in "remote host": counts every request that reaches it.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A 1x1 transparent PNG. */
export const PIXEL_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

export interface TrapServer {
  origin: string;
  hits: string[];
  close(): Promise<void>;
}

export async function startTrapServer(): Promise<TrapServer> {
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    hits.push(req.url ?? '');
    res.writeHead(200, { 'content-type': req.url?.endsWith('.png') ? 'image/png' : 'text/plain' }).end(req.url?.endsWith('.png') ? PIXEL_PNG : 'trap');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    hits,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
