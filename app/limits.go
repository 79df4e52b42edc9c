package app

import "github.com/guichet/guichet/graph"

// requestLimits are the configured limits of one request (zero fields take
// graph.DefaultLimits, negative ones are off).
func (a *app) requestLimits() graph.Limits {
	c := a.cfg
	return graph.Limits{
		MaxDepth: c.MaxDepth, MaxIntrospectionDepth: c.MaxIntrospectionDepth, MaxAliases: c.MaxAliases,
		MaxRootFields: c.MaxRootFields, MaxFields: c.MaxFields, MaxRepeats: c.MaxRepeats,
		MaxEntities: c.MaxEntities, MaxErrors: c.MaxErrors,
	}
}

func (a *app) maxBodyBytes() int64 {
	if a.cfg.MaxBodyBytes > 0 {
		return a.cfg.MaxBodyBytes
	}
	return graph.DefaultMaxBodyBytes
}
