package index

import (
	"errors"
	"fmt"
)

// ErrNoSnapshot reports an index that has no snapshot to serve yet.
var ErrNoSnapshot = errors.New("the index holds no snapshot yet")

// Status describes what a searcher serves: whether a snapshot is loaded, its generation and its documents.
type Status struct {
	Ready      bool
	Generation uint64
	Documents  int
	// Corpus names the corpus the snapshot was built from (Stats.Corpus):
	// corpus.BundledName or a directory's absolute path.
	Corpus string
	// ReadOnly reports a snapshot served from a read-only file system,
	// without the lock that keeps builds from removing it.
	ReadOnly bool
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

// ErrGenerationUnavailable reports a request for a generation that this
// server does not hold but another replica may: newer than the one it
// serves, or among those replicas keep open. Ask another replica.
var ErrGenerationUnavailable = errors.New("generation not held by this replica")

// ErrGenerationGone reports a request for a generation older than those
// replicas keep open: no replica serves it any more.
var ErrGenerationGone = errors.New("generation no longer served")

// A GenerationError is the error of a request for a generation that is
// not held; it matches ErrGenerationGone or ErrGenerationUnavailable.
type GenerationError struct {
	// Generation is the one asked for; Serving the one served.
	Generation, Serving uint64
	// Gone reports a generation no replica serves any more.
	Gone bool
}

func (e *GenerationError) Error() string {
	return fmt.Sprintf("generation %d: %v (this replica serves generation %d)", e.Generation, e.Unwrap(), e.Serving)
}

// Unwrap returns ErrGenerationGone or ErrGenerationUnavailable.
func (e *GenerationError) Unwrap() error {
	if e.Gone {
		return ErrGenerationGone
	}
	return ErrGenerationUnavailable
}
