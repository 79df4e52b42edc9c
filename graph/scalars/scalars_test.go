package scalars

import (
	"bytes"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Ensure DateTime is written as the quoted RFC 3339 rendering in Paris,
// into the executor's buffer (appended in place) and into any writer,
// including years that RFC 3339 cannot hold and sub-second instants.
func TestMarshalDateTimeBytes(t *testing.T) {
	for _, at := range []time.Time{
		time.Date(2026, 12, 4, 19, 30, 0, 0, time.UTC),
		time.Date(2026, 7, 14, 22, 0, 0, 123456789, time.UTC),
		time.Date(2026, 3, 29, 1, 30, 0, 0, time.UTC), // the change to summer time
		{},
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC),
	} {
		want := strconv.Quote(at.In(Paris).Format(time.RFC3339))
		b := bytes.NewBufferString("x:")
		MarshalDateTime(at).MarshalGQL(b)
		if got := b.String(); got != "x:"+want {
			t.Errorf("%v into a buffer: %s, want x:%s", at, got, want)
		}
		var sb strings.Builder
		MarshalDateTime(at).MarshalGQL(&sb)
		if sb.String() != want {
			t.Errorf("%v into a writer: %s, want %s", at, sb.String(), want)
		}
	}
}
