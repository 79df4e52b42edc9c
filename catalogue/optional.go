package catalogue

import "time"

// Optional views of catalogue fields: nil where the ticketing system gave
// nothing, so the API says null rather than "" or 0001-01-01. They are
// plain methods (no context, no error) so the GraphQL layer reads them in
// line instead of running a resolver per field per item.

func optString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func optTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func (s *Show) OptSubtitle() *string      { return optString(s.Subtitle) }
func (s *Show) OptType() *string          { return optString(s.Type) }
func (s *Show) OptCategory() *string      { return optString(s.Category) }
func (s *Show) OptFestival() *string      { return optString(s.Festival) }
func (s *Show) OptInfo() *string          { return optString(s.Info) }
func (s *Show) OptDescription() *string   { return optString(s.Description) }
func (s *Show) OptModifiedAt() *time.Time { return optTime(s.ModifiedAt) }

// FirstPerformanceAt is when the show's first performance starts.
func (s *Show) FirstPerformanceAt() *time.Time {
	if len(s.Performances) == 0 {
		return nil
	}
	return optTime(s.Performances[0].StartsAt)
}

// LastPerformanceAt is when the show's last performance starts.
func (s *Show) LastPerformanceAt() *time.Time {
	if len(s.Performances) == 0 {
		return nil
	}
	return optTime(s.Performances[len(s.Performances)-1].StartsAt)
}

func (p *Performance) OptEndsAt() *time.Time { return optTime(p.EndsAt()) }

// DurationMinutes is the announced duration, nil when unknown.
func (p *Performance) DurationMinutes() *int {
	if p.Duration <= 0 {
		return nil
	}
	m := int(p.Duration / time.Minute)
	return &m
}

func (v *Venue) OptAddress() *string       { return optString(v.Address) }
func (a *Article) OptFamily() *string      { return optString(a.Family) }
func (a *Article) OptDescription() *string { return optString(a.Description) }
func (p *Pass) OptDescription() *string    { return optString(p.Description) }
