package soap

// IsEntity marks Subscriber as an Apollo Federation entity for gqlgen, which
// binds only types carrying this marker to an @key type.
func (Subscriber) IsEntity() {}
