package api

import (
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"net/http"
	"strings"
	"tacheron/api/gate"
	"time"

	"github.com/gin-gonic/gin"

	"tacheron/index"
	"tacheron/index/store"
)

// The admin endpoints reload and rebuild the index. They exist only when
// the server has an admin token (Options.AdminToken), and answer only
// requests that carry it: Authorization: Bearer <token>.

// A Reloader swaps in the index's current snapshot; *store.Live is one.
type Reloader interface {
	Reload() (swapped bool, err error)
}

// A Reindexer rebuilds the index in the background; *store.Reindexer is
// one.
type Reindexer interface {
	Start() (store.ReindexStatus, error)
	Status() store.ReindexStatus
}

// Problem types of the admin endpoints.
const (
	problemUnauthorized = "urn:tacheron:problem:unauthorized"
	problemConflict     = "urn:tacheron:problem:conflict"
	problemReload       = "urn:tacheron:problem:reload-failed"
)

// ReloadResponse is the body of POST /api/v1/admin/reload.
type ReloadResponse struct {
	// Swapped says whether a new snapshot was swapped in.
	Swapped    bool   `json:"swapped"`
	Generation uint64 `json:"generation"`
	Documents  int    `json:"documents"`
}

// ReindexStatus is the body of GET and POST /api/v1/admin/reindex.
type ReindexStatus struct {
	// State is "running" or "idle".
	State string `json:"state"`
	// Run is the run in progress, absent when idle.
	Run *ReindexRun `json:"run,omitempty"`
	// Last is the last run that finished, absent before the first.
	Last *ReindexRun `json:"last,omitempty"`
}

// A ReindexRun is a run of the reindex.
type ReindexRun struct {
	StartedAt  time.Time  `json:"started_at"`
	FinishedAt *time.Time `json:"finished_at,omitempty"`
	// Phase is building, validating, publishing, swapping, then done.
	Phase string `json:"phase"`
	// Documents counts the documents indexed so far.
	Documents int `json:"documents"`
	// Outcome is "ok" or "error" once the run has finished.
	Outcome string `json:"outcome,omitempty"`
	// Message says why a run failed.
	Message string `json:"message,omitempty"`
	// Generation is the generation the run published.
	Generation uint64 `json:"generation,omitempty"`
}

func newReindexStatus(st store.ReindexStatus) ReindexStatus {
	out := ReindexStatus{State: "idle", Run: newReindexRun(st.Running), Last: newReindexRun(st.Last)}
	if st.Running != nil {
		out.State = "running"
	}
	return out
}

func newReindexRun(r *store.ReindexRun) *ReindexRun {
	if r == nil {
		return nil
	}
	out := &ReindexRun{StartedAt: r.Started, Phase: r.Phase, Documents: r.Documents, Generation: r.Generation}
	if !r.Finished.IsZero() {
		finished := r.Finished
		out.FinishedAt = &finished
		out.Outcome = "ok"
		if r.Err != nil {
			out.Outcome, out.Message = "error", r.Err.Error()
		}
	}
	return out
}

// adminRoutes registers the admin endpoints when the server has a token.
func (s *Server) adminRoutes() {
	if s.opts.AdminToken == "" {
		return // unknown routes: 404
	}
	g := s.engine.Group("/api/v1/admin", s.authorize)
	g.POST("/reload", s.reload)
	g.POST("/reindex", s.startReindex)
	g.GET("/reindex", s.reindexStatus)
}

// authorize lets through the requests that carry the admin token,
// comparing digests in constant time; the others get 401.
func (s *Server) authorize(c *gin.Context) {
	c.Header("Cache-Control", "no-store")
	token, ok := bearerToken(c.GetHeader("Authorization"))
	if ok {
		sum := sha256.Sum256([]byte(token))
		if subtle.ConstantTimeCompare(sum[:], s.adminDigest[:]) == 1 {
			c.Next()
			return
		}
	}
	challenge := `Bearer realm="tacheron admin"`
	detail := "this endpoint needs the admin token: Authorization: Bearer <token>"
	if ok {
		challenge += `, error="invalid_token"`
		detail = "the admin token is wrong"
	}
	c.Header("WWW-Authenticate", challenge)
	s.WriteProblem(c, &gate.Problem{Type: problemUnauthorized, Title: "Unauthorized", Status: http.StatusUnauthorized, Detail: detail})
}

// bearerToken returns the token of an Authorization header value of the
// Bearer scheme (RFC 6750).
func bearerToken(header string) (string, bool) {
	scheme, token, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimLeft(token, " ")
	return token, token != ""
}

// reload answers POST /api/v1/admin/reload: swap in the current snapshot
// if it is new.
func (s *Server) reload(c *gin.Context) {
	swapped, err := s.opts.Reloader.Reload()
	if err != nil {
		if errors.Is(err, index.ErrNoSnapshot) {
			s.WriteProblem(c, gate.Unavailable("the index holds no snapshot yet"))
			return
		}
		s.Log.ErrorContext(c.Request.Context(), "reload", "err", err)
		s.WriteProblem(c, &gate.Problem{Type: problemReload, Title: "Reload failed", Status: http.StatusInternalServerError,
			Detail: "the current snapshot could not be loaded; the previous one is still served: " + err.Error()})
		return
	}
	st := s.Searcher.Status()
	gate.SetGeneration(c, st.Generation)
	s.WriteJSON(c, http.StatusOK, "application/json", ReloadResponse{Swapped: swapped, Generation: st.Generation, Documents: st.Documents})
}

// startReindex answers POST /api/v1/admin/reindex: start a rebuild in the
// background.
func (s *Server) startReindex(c *gin.Context) {
	st, err := s.opts.Reindexer.Start()
	switch {
	case errors.Is(err, store.ErrReindexRunning), errors.Is(err, store.ErrLocked):
		s.WriteProblem(c, &gate.Problem{Type: problemConflict, Title: "A reindex is running", Status: http.StatusConflict, Detail: err.Error()})
		return
	case err != nil:
		s.fail(c, err)
		return
	}
	c.Header("Location", "/api/v1/admin/reindex")
	s.WriteJSON(c, http.StatusAccepted, "application/json", newReindexStatus(st))
}

// reindexStatus answers GET /api/v1/admin/reindex.
func (s *Server) reindexStatus(c *gin.Context) {
	s.WriteJSON(c, http.StatusOK, "application/json", newReindexStatus(s.opts.Reindexer.Status()))
}
