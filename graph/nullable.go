package graph

// Go values to GraphQL's nullable ones and back.

// optional is s, or null when it is empty.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// deref is the value p points at, or the zero value for null.
func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// pointers are the addresses of in's elements, for lists of objects.
func pointers[T any](in []T) []*T {
	out := make([]*T, len(in))
	for i := range in {
		out[i] = &in[i]
	}
	return out
}
