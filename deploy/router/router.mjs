// The stack's federation router: reads each subgraph's `_service { sdl }`
// (Guichet through the load balancer, GUICHET_URL; the reviews subgraph,
// REVIEWS_URL), composes the supergraph with The Guild's federation
// composition into SUPERGRAPH (default ./supergraph.graphql), then serves it
// with Hive Gateway on ROUTER_ADDR (host:port, default 127.0.0.1:4000).
//
// Composition here rather than with mesh-compose: mesh-compose keeps only
// the first `type Query` of a subgraph and drops its `extend type Query`
// fields, which is how Guichet's schema is split across files.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { composeServices } from '@theguild/federation-composition';
import { parse } from 'graphql';

const here = dirname(fileURLToPath(import.meta.url));
const out = process.env.SUPERGRAPH || join(here, 'supergraph.graphql');
const [host, port] = (process.env.ROUTER_ADDR || '127.0.0.1:4000').split(':');
const subgraphs = [
  { name: 'guichet', url: process.env.GUICHET_URL || 'http://127.0.0.1:8080/graphql' },
  { name: 'reviews', url: process.env.REVIEWS_URL || 'http://127.0.0.1:4001/graphql' },
];

async function sdlOf(url) {
  // The subgraphs may still be starting: retry for a minute.
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ _service { sdl } }' }),
      });
      const body = await res.json();
      if (body?.data?._service?.sdl) return body.data._service.sdl;
      throw new Error(`${res.status} ${JSON.stringify(body).slice(0, 200)}`);
    } catch (err) {
      if (attempt === 30) throw new Error(`${url}: ${err.message}`);
      await new Promise((ok) => setTimeout(ok, 2000));
    }
  }
}

const services = [];
for (const s of subgraphs) services.push({ name: s.name, url: s.url, typeDefs: parse(await sdlOf(s.url)) });
const result = composeServices(services);
if (result.errors?.length) {
  for (const e of result.errors) console.error('composition:', e.message);
  process.exit(1);
}
writeFileSync(out, result.supergraphSdl);
console.log(`supergraph of ${subgraphs.map((s) => s.name).join(' + ')} written to ${out}`);

const gw = spawn(join(here, 'node_modules', '.bin', 'hive-gateway'), ['supergraph', out, '--host', host, '--port', port],
  { cwd: here, stdio: 'inherit' });
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => gw.kill(sig));
gw.on('exit', (code) => process.exit(code ?? 1));
