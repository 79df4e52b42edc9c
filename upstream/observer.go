package upstream

import "time"

// Outcome is how one call (or one attempt) to a back office ended, as the
// transport sees it: from the status line, before the client reads the body.
type Outcome string

const (
	OK             Outcome = "ok"              // 2xx/3xx
	ClientError    Outcome = "client_error"    // 4xx other than 429: our request, not the back office
	VendorError    Outcome = "vendor_error"    // an error document the vendor sends with a 5xx (SOAP fault)
	ServerError    Outcome = "server_error"    // 5xx without a vendor answer
	RateLimited    Outcome = "rate_limited"    // 429
	Timeout        Outcome = "timeout"         // deadline or network timeout, or no slot freed in time
	TransportError Outcome = "transport_error" // refused, reset, DNS…
	Cancelled      Outcome = "cancelled"       // the caller gave up
	BreakerOpen    Outcome = "breaker_open"    // failed fast, nothing sent
)

// failure reports whether the outcome says the back office is unwell: these
// open the breaker and are worth a retry for a read.
func (o Outcome) failure() bool {
	switch o {
	case ServerError, RateLimited, Timeout, TransportError:
		return true
	}
	return false
}

// State is the circuit breaker's state.
type State string

const (
	Closed   State = "closed"    // calls go through
	Open     State = "open"      // calls fail fast until the cooldown ends
	HalfOpen State = "half-open" // one probe goes through; its outcome closes or reopens
)

// Observer receives what the transports do, for metrics and logs. Calls come
// from request goroutines (BreakerState with the breaker's lock held: it must
// not call back into the Transport) and must be cheap and safe for
// concurrent use.
type Observer interface {
	// Call is one logical call, all attempts included, ended with outcome.
	Call(backend, op string, outcome Outcome, d time.Duration)
	// Retry is sent before attempt number attempt (2 for the first retry),
	// after an attempt that ended with reason.
	Retry(backend, op string, attempt int, reason Outcome)
	// BreakerState is a transition of the backend's breaker.
	BreakerState(backend string, from, to State)
	// InFlight is the number of calls holding a concurrency slot, after a change.
	InFlight(backend string, n int)
}

// Nop observes nothing; embed it to implement only some callbacks.
type Nop struct{}

func (Nop) Call(string, string, Outcome, time.Duration) {}
func (Nop) Retry(string, string, int, Outcome)          {}
func (Nop) BreakerState(string, State, State)           {}
func (Nop) InFlight(string, int)                        {}
