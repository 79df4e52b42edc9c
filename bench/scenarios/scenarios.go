// Package scenarios holds the GraphQL operations of the benchmark's
// scenarios, shared by the load run (go run ./bench) and the in-process
// benchmarks and golden answers of the root package, so that what is
// measured and what is pinned byte for byte are the same requests.
package scenarios

// The listing is the one of the respcache tests: 20 shows × their
// performances, venues and prices.
const (
	Listing = `query Listing($first: Int) { shows(first: $first) { count pageInfo { hasNextPage endCursor }
  edges { cursor node { id title subtitle type venue { name city }
    performances { id startsAt venue { name } prices { category total { formatted } } bookingUrl } } } } }`
	Show = `query Show($id: ID!) { show(id: $id) { id title subtitle type description venue { name city }
  performances { id startsAt venue { name } prices { category zone total { cents formatted } } availability { seatsLeft soldOut } } } }`
	Me = `query Me { me { id firstName lastName email
  tickets { id orderId label category seat startsAt price { cents } }
  cards { id name price { cents } tickets { id label startsAt } }
  orderLines { id orderId kind label quantity unitPrice { cents } total { cents } startsAt seat } } }`
	PaidBy     = `query PaidBy { subscribers(filter: {type: PAID_BY}) { items { code firstName lastName type payer { code firstName lastName type } } } }`
	Subscriber = `query Sub($code: Int!) { subscriber(code: $code) { code email firstName lastName type } }`
)
