// Composes Guichet (GUICHET_URL, its /graphql) as a Federation v2 subgraph
// in Hive Gateway and runs its subscriptions through the gateway, once with
// the gateway subscribing to Guichet over SSE (Hive Gateway's default) and
// once over WebSocket (graphql-transport-ws). Each time: seatsChanged of
// PERFORMANCE gives the current count, a sale is made at the ticketing
// sandbox (SANDBOX_URL/_sandbox/purchase), and the new count arrives; with
// the back-office key (KEY) forwarded, orderNotified brings the order.
import { createServer } from 'node:http';
import { parse } from 'graphql';
import { composeServices } from '@theguild/federation-composition';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';

const { GUICHET_URL: subgraph, PERFORMANCE: perf, SANDBOX_URL: sandbox, CONTACT: contact, KEY: key } = process.env;
if (!subgraph || !perf || !sandbox || !contact || !key) {
  console.error('GUICHET_URL, PERFORMANCE, SANDBOX_URL, CONTACT and KEY are required');
  process.exit(2);
}
const timeout = Number(process.env.TIMEOUT_MS || 15000);

async function sdl() {
  const res = await fetch(subgraph, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ query: '{ _service { sdl } }' }),
  });
  const body = await res.json();
  if (!body.data?._service?.sdl) throw new Error('no _service.sdl: ' + JSON.stringify(body));
  return body.data._service.sdl;
}

// events subscribes through the gateway over SSE and yields each result.
async function* events(url, query, headers = {}) {
  const ctrl = new AbortController();
  const res = await fetch(url, {
    method: 'POST', signal: ctrl.signal,
    headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream', ...headers },
    body: JSON.stringify({ query }),
  });
  if (!(res.headers.get('content-type') || '').startsWith('text/event-stream')) {
    throw new Error(`gateway answered ${res.status} ${await res.text()}`);
  }
  const reader = res.body.getReader();
  const dec = new TextDecoder();
  let buf = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buf += dec.decode(value, { stream: true });
      for (let i = buf.indexOf('\n\n'); i >= 0; i = buf.indexOf('\n\n')) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const data = block.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5).trim()).join('\n');
        if (block.includes('event: complete')) return;
        if (data) yield JSON.parse(data);
      }
    }
  } finally {
    ctrl.abort();
  }
}

function within(p, what) {
  return Promise.race([p, new Promise((_, rej) => setTimeout(() => rej(new Error('timeout: ' + what)), timeout))]);
}

async function sell(seats) {
  const res = await fetch(sandbox.replace(/\/$/, '') + '/_sandbox/purchase', {
    method: 'POST', body: JSON.stringify({ id_contact: Number(contact), id_rep: perf, qtte: seats }),
  });
  const body = await res.json();
  if (!body.pushed) throw new Error('sale not pushed: ' + JSON.stringify(body));
  return body.id_caddy;
}

const seatsQuery = `subscription { seatsChanged(performanceIds: ["${perf}"]) { performanceId performance { show { title } } availability { seatsLeft } } }`;
const ordersQuery = 'subscription { orderNotified { id lines { quantity performance { id } } } }';

async function run(mode) {
  const composed = composeServices([{ name: 'guichet', typeDefs: parse(await sdl()), url: subgraph }]);
  if (composed.errors?.length) throw new Error('composition: ' + composed.errors.map((e) => e.message).join('; '));
  const transportEntries = mode === 'ws'
    ? { guichet: { options: { subscriptions: { kind: 'ws', location: new URL(subgraph).pathname, options: { connectionParams: { Authorization: 'Bearer ' + key } } } } } }
    : undefined;
  const gw = createGatewayRuntime({
    supergraph: composed.supergraphSdl, transportEntries, logging: false,
    // The back-office key travels to the subgraph (SSE: as a header).
    propagateHeaders: { fromClientToSubgraphs: ({ request }) => ({ authorization: request.headers.get('authorization') }) },
  });
  const server = createServer(gw);
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${server.address().port}/graphql`;
  try {
    const seats = events(url, seatsQuery);
    const first = (await within(seats.next(), mode + ' first count')).value;
    const n = first?.data?.seatsChanged?.availability?.seatsLeft;
    if (typeof n !== 'number' || !first.data.seatsChanged.performance?.show?.title) {
      throw new Error(`${mode}: first event ${JSON.stringify(first)}`);
    }
    const orders = events(url, ordersQuery, { Authorization: 'Bearer ' + key });
    const nextOrder = within(orders.next(), mode + ' orderNotified');
    await new Promise((r) => setTimeout(r, 300)); // the order subscription reaches Guichet
    const t0 = Date.now();
    const id = await sell(2);
    const after = (await within(seats.next(), mode + ' count after the sale')).value;
    const ms = Date.now() - t0;
    if (after?.data?.seatsChanged?.availability?.seatsLeft !== n - 2) {
      throw new Error(`${mode}: after selling 2 of ${n}: ${JSON.stringify(after)}`);
    }
    const order = (await nextOrder).value;
    if (order?.data?.orderNotified?.id !== id) throw new Error(`${mode}: order event ${JSON.stringify(order)}`);
    await seats.return();
    await orders.return();
    console.log(`hive gateway, ${mode} to the subgraph: ${n} → ${n - 2} seats ${ms} ms after the sale; order ${id} notified`);
  } finally {
    server.closeAllConnections?.();
    server.close();
    await gw.dispose?.();
  }
}

let failed = false;
for (const mode of ['sse', 'ws']) {
  try {
    await run(mode);
  } catch (e) {
    console.error(`hive gateway, ${mode}: ${e.stack || e.message}`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
