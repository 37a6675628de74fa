package api

import (
	"net/url"
	"slices"

	"github.com/gin-gonic/gin"

	"tacheron/api/gate"
)

// repeatable reports whether a native parameter takes several values (the
// filters and the trends' series); every other parameter takes one.
func repeatable(name string) bool {
	switch name {
	case "source", "concept", "kind", "lang", "author", "tag", "series":
		return true
	}
	return false
}

// once refuses a parameter that takes one value yet is given several
// ("to=&to=0"): which one was meant is anyone's guess, and reading only
// the first would answer a question the client did not ask.
func once(v url.Values) *gate.Problem {
	names := make([]string, 0, len(v))
	for name, values := range v {
		if len(values) > 1 && !repeatable(name) {
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		return nil
	}
	slices.Sort(names)
	return gate.InvalidParam(names[0], "%s is given %d times; it takes one value", gate.Shown(names[0]), len(v[names[0]]))
}

// single is the middleware of the native routes that applies once to the
// request's query string.
func (s *Server) single(c *gin.Context) {
	if p := once(gate.Params(c)); p != nil {
		s.WriteProblem(c, p)
		c.Abort()
		return
	}
	c.Next()
}
