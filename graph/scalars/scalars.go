// Package scalars implements Guichet's custom GraphQL scalars. The back
// offices speak local wall-clock time of the venue; the API speaks instants
// with their offset.
package scalars

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/99designs/gqlgen/graphql"
)

// Paris is the venue's time zone: every vendor local time is read in it.
var Paris = mustZone("Europe/Paris")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		// time/tzdata is imported by main, so this only fails in a broken build.
		panic(err)
	}
	return loc
}

// MarshalDateTime writes an instant in RFC 3339 with the Paris offset.
// RFC 3339 output is digits and separators only, so quoting it is adding
// the quotes; into the executor's buffer it is written without the
// intermediate strings (three allocations per performance of a listing).
func MarshalDateTime(t time.Time) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		if b, ok := w.(*bytes.Buffer); ok {
			buf := append(b.AvailableBuffer(), '"')
			buf = t.In(Paris).AppendFormat(buf, time.RFC3339)
			b.Write(append(buf, '"'))
			return
		}
		io.WriteString(w, strconv.Quote(t.In(Paris).Format(time.RFC3339)))
	})
}

// UnmarshalDateTime reads an RFC 3339 instant; the offset is required.
func UnmarshalDateTime(v any) (time.Time, error) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, fmt.Errorf("DateTime must be an RFC 3339 string such as 2026-12-04T20:30:00+01:00")
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("DateTime %q is not RFC 3339 with an offset (e.g. 2026-12-04T20:30:00+01:00)", s)
	}
	return t, nil
}

// MarshalDate writes YYYY-MM-DD; a Date is held as midnight in Paris.
func MarshalDate(t time.Time) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		io.WriteString(w, strconv.Quote(t.In(Paris).Format(time.DateOnly)))
	})
}

// UnmarshalDate reads YYYY-MM-DD as midnight in Paris.
func UnmarshalDate(v any) (time.Time, error) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, fmt.Errorf("Date must be a string YYYY-MM-DD")
	}
	t, err := time.ParseInLocation(time.DateOnly, s, Paris)
	if err != nil {
		return time.Time{}, fmt.Errorf("Date %q is not YYYY-MM-DD", s)
	}
	return t, nil
}
