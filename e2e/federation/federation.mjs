// Composes Guichet (GUICHET_URL, its /graphql endpoint) with a small
// "reviews" subgraph that extends Show, in a real Apollo Gateway, and runs
// queries that cross the two in both directions. Exits non-zero on failure.
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { ApolloGateway, IntrospectAndCompose } from '@apollo/gateway';
import gql from 'graphql-tag';
import assert from 'node:assert/strict';

const guichet = process.env.GUICHET_URL;
if (!guichet) {
  console.error('GUICHET_URL is required (e.g. http://127.0.0.1:8080/graphql)');
  process.exit(2);
}

async function post(url, query, variables) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = await res.json();
  if (body.errors) throw new Error(`${url}: ${JSON.stringify(body.errors)}`);
  return body.data;
}

// The subgraph SDL must declare Federation 2 and the entity keys.
const sdl = (await post(guichet, '{ _service { sdl } }'))._service.sdl;
assert.match(sdl, /@link\(url: "https:\/\/specs\.apollo\.dev\/federation\/v2/, 'Guichet SDL lacks the Federation 2 @link');
for (const t of ['Show', 'Performance']) {
  assert.match(sdl, new RegExp(`type ${t} @key\\(fields: "id"\\)`), `${t} is not an entity`);
}

const listing = await post(guichet, '{ shows(first: 3) { edges { node { id title } } } }');
const shows = listing.shows.edges.map((e) => e.node);
assert.equal(shows.length, 3, 'Guichet should list 3 shows');

// A second team's subgraph: reviews attached to Guichet's shows.
const reviewsFor = (id) => [
  { author: 'Le Progrès', rating: (Number(String(id).replace(/\D/g, '')) % 5) + 1, text: `Critique du spectacle ${id}` },
];
const reviews = new ApolloServer({
  schema: buildSubgraphSchema({
    typeDefs: gql`
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
      type Show @key(fields: "id") {
        id: ID!
        reviews: [Review!]!
      }
      type Review {
        author: String!
        rating: Int!
        text: String!
        show: Show!
      }
      type Query {
        featuredReviews: [Review!]!
      }
    `,
    resolvers: {
      Show: { __resolveReference: (ref) => ({ id: ref.id }), reviews: (show) => reviewsFor(show.id) },
      Review: { show: (r) => ({ id: r.showId }) },
      Query: {
        featuredReviews: () => shows.map((s) => ({ ...reviewsFor(s.id)[0], showId: s.id })),
      },
    },
  }),
});
const { url: reviewsUrl } = await startStandaloneServer(reviews, { listen: { port: 0, host: '127.0.0.1' } });

const gateway = new ApolloGateway({
  supergraphSdl: new IntrospectAndCompose({
    subgraphs: [
      { name: 'guichet', url: guichet },
      { name: 'reviews', url: reviewsUrl },
    ],
  }),
});
const router = new ApolloServer({ gateway });
const { url: routerUrl } = await startStandaloneServer(router, { listen: { port: 0, host: '127.0.0.1' } });

let failed = false;
try {
  // Guichet first, then the reviews subgraph resolves Show entities.
  const a = await post(routerUrl, '{ shows(first: 3) { edges { node { id title reviews { rating author } } } } }');
  const got = a.shows.edges.map((e) => e.node);
  assert.deepEqual(got.map((s) => s.id), shows.map((s) => s.id));
  for (const s of got) assert.equal(s.reviews.length, 1);

  // Reviews first, then Guichet resolves Show entities through _entities.
  const b = await post(routerUrl, '{ featuredReviews { text show { id title performances { id startsAt } } } }');
  assert.equal(b.featuredReviews.length, 3);
  b.featuredReviews.forEach((r, i) => {
    assert.equal(r.show.id, shows[i].id);
    assert.equal(r.show.title, shows[i].title, 'title must come from Guichet through _entities');
    assert.ok(r.show.performances.length > 0, 'performances from Guichet');
  });
  console.log(`federation ok: ${got.length} shows with reviews; ${b.featuredReviews.length} reviews resolved to Guichet shows`);
} catch (e) {
  console.error('federation test failed:', e.message);
  failed = true;
} finally {
  await router.stop();
  await reviews.stop();
}
process.exit(failed ? 1 : 0);
