package catalogue

// IsEntity marks the types the GraphQL API exposes as Apollo Federation
// entities; gqlgen binds only types that carry this marker.
func (Show) IsEntity()        {}
func (Performance) IsEntity() {}
