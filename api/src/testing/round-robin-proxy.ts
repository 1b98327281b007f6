import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small round-robin load balancer for tests: each request goes to the next upstream in turn, streamed
 * both ways (SSE passes through unbuffered). `x-upstream: <name>` pins a request to one upstream (as a
 * sticky route would); every response says who served it in `x-served-by`. An upstream that refuses the
 * connection is skipped for that request (nginx's proxy_next_upstream error) when the body is not yet sent.
 */
export interface Upstream {
  name: string;
  port: number;
}

export async function startRoundRobinProxy(upstreams: Upstream[]): Promise<{ url: string; served: Record<string, number>; close(): Promise<void> }> {
  let next = 0;
  const served: Record<string, number> = {};
  const server = http.createServer(async (req, res) => {
    const body = req.method === 'GET' || req.method === 'HEAD' ? Buffer.alloc(0) : Buffer.concat(await req.toArray());
    const pinned = upstreams.find((u) => u.name === req.headers['x-upstream']);
    const order = pinned ? [pinned] : upstreams.map((_, i) => upstreams[(next + i) % upstreams.length]);
    if (!pinned) next = (next + 1) % upstreams.length;
    const attempt = (i: number) => {
      const up = order[i];
      const headers = { ...req.headers, host: `127.0.0.1:${up.port}`, 'x-forwarded-for': req.socket.remoteAddress ?? '' };
      const upReq = http.request({ host: '127.0.0.1', port: up.port, path: req.url, method: req.method, headers }, (upRes) => {
        served[up.name] = (served[up.name] ?? 0) + 1;
        res.writeHead(upRes.statusCode ?? 502, { ...upRes.headers, 'x-served-by': up.name });
        res.flushHeaders();
        upRes.pipe(res);
      });
      upReq.on('error', () => {
        if (!res.headersSent && i + 1 < order.length) return attempt(i + 1);
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
        res.end();
      });
      res.on('close', () => upReq.destroy()); // a client that goes away closes its stream upstream too
      upReq.end(body);
    };
    attempt(0);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    served,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
