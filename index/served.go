package index

import "errors"

// ErrNoSnapshot reports an index that has no snapshot to serve yet.
var ErrNoSnapshot = errors.New("the index holds no snapshot yet")

// Status describes what a searcher serves: whether a snapshot is loaded, its generation and its documents.
type Status struct {
	Ready      bool
	Generation uint64
	Documents  int
}

// IsNoSnapshot reports whether err means that nothing is served yet.
func IsNoSnapshot(err error) bool { return errors.Is(err, ErrNoSnapshot) }

// A servedError is the error of a request that a snapshot answered.
type servedError struct {
	gen uint64
	err error
}

func (e *servedError) Error() string { return e.err.Error() }
func (e *servedError) Unwrap() error { return e.err }

// WithGeneration records in err the generation of the snapshot that
// answered; nil stays nil.
func WithGeneration(gen uint64, err error) error {
	if err == nil {
		return nil
	}
	return &servedError{gen: gen, err: err}
}

// GenerationOf returns the generation of the snapshot that answered a
// request with err, if a Live served it.
func GenerationOf(err error) (uint64, bool) {
	var se *servedError
	if errors.As(err, &se) {
		return se.gen, true
	}
	return 0, false
}
