// A second team's subgraph for the reference stack: press reviews attached
// to Guichet's shows (it extends the Show entity by id). Listens on
// REVIEWS_ADDR (host:port, default 127.0.0.1:4001), path /graphql.
import { createServer } from 'node:http';
import { createYoga } from 'graphql-yoga';
import { buildSubgraphSchema } from '@apollo/subgraph';
import gql from 'graphql-tag';

const [host, port] = (process.env.REVIEWS_ADDR || '127.0.0.1:4001').split(':');

const typeDefs = gql`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Show @key(fields: "id") {
    id: ID!
    "Press reviews of the show."
    reviews: [Review!]!
  }

  type Review {
    author: String!
    rating: Int!
  }
`;

// Deterministic, so the stack test can check what crossed the router.
const reviewsOf = (id) => [{ author: 'Le Progrès', rating: (String(id).length % 5) + 1 }];

const schema = buildSubgraphSchema({
  typeDefs,
  resolvers: { Show: { __resolveReference: (ref) => ({ id: ref.id }), reviews: (show) => reviewsOf(show.id) } },
});

createServer(createYoga({ schema, graphqlEndpoint: '/graphql', logging: 'warn' })).listen(Number(port), host, () => {
  console.log(`reviews subgraph on http://${host}:${port}/graphql`);
});
