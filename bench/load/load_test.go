package load

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// Ensure percentiles are nearest-rank over sorted values.
func TestPercentile(t *testing.T) {
	v := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	for _, c := range []struct{ p, want float64 }{{50, 5}, {90, 9}, {99, 10}, {100, 10}, {1, 1}} {
		if got := Percentile(v, c.p); got != c.want {
			t.Errorf("p%v = %v, want %v", c.p, got, c.want)
		}
	}
	if Percentile(nil, 50) != 0 {
		t.Error("empty input")
	}
}

// Ensure a server that stops answering is charged for it: with one slot in
// flight, every request that finds it taken is dropped and counted as an
// error, never queued or silently skipped, and nothing counts as a success.
func TestStalledServerDropsAreErrors(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	r := Run(context.Background(), Target{Build: func(int) (*http.Request, error) {
		return http.NewRequest(http.MethodGet, srv.URL, nil)
	}}, Options{Rate: 1000, Duration: 50 * time.Millisecond, MaxInFlight: 1, Timeout: 500 * time.Millisecond})
	if r.Sent < 10 || r.OK != 0 || r.Errors != r.Sent || r.Dropped != r.Sent-r.Started || r.Started != 1 {
		t.Fatalf("sent %d started %d ok %d errors %d dropped %d", r.Sent, r.Started, r.OK, r.Errors, r.Dropped)
	}
}
