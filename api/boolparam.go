package api

import (
	"net/url"
	"tacheron/api/gate"
)

// boolParam reads a boolean parameter: true or 1, false or 0; def when
// absent or empty.
func boolParam(v url.Values, name string, def bool) (bool, *gate.Problem) {
	s, ok := first(v, name)
	if !ok || s == "" {
		return def, nil
	}
	switch s {
	case "true", "1":
		return true, nil
	case "false", "0":
		return false, nil
	}
	return false, gate.InvalidParam(name, "%s must be true or false, not %q", name, gate.Shown(s))
}
