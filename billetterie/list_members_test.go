package billetterie

import (
	"encoding/json"
	"reflect"
	"testing"
)

// listTwoPass is how List read arrays before decodeMembers: into
// []json.RawMessage, then member by member.
func listTwoPass[T any](b []byte) (out List[T], bad int64, ok bool) {
	var raw []json.RawMessage
	if json.Unmarshal(b, &raw) != nil {
		return nil, 0, false
	}
	out = make(List[T], 0, len(raw))
	for _, r := range raw {
		var v T
		if json.Unmarshal(r, &v) != nil {
			bad++
			continue
		}
		out = append(out, v)
	}
	return out, bad, true
}

type listProbe struct {
	ID   XInt   `json:"id"`
	Name string `json:"name"`
	N    int    `json:"n"`
}

// FuzzListMembers: the one-pass reading of an array gives the same members,
// the same count of unreadable ones and the same verdict as the two-pass one.
func FuzzListMembers(f *testing.F) {
	for _, s := range []string{`[]`, `[{"id":"1","name":"a","n":2},{"n":"x"},null,{"name":3}]`, `[1,"a",{}]`, `[{"id":1}`,
		`[{"id":1}] x`, `[{"n":1e400}]`, ` [ {"name":"\u00e9"} , {} ] `, `[[1]]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) == 0 || b[0] != '[' {
			return
		}
		got, gotBad, gotOK := decodeMembers[listProbe](b)
		want, wantBad, wantOK := listTwoPass[listProbe](b)
		if gotOK != wantOK || gotBad != wantBad || !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: one pass %v %d %v, two passes %v %d %v", b, got, gotBad, gotOK, want, wantBad, wantOK)
		}
	})
}
