package main

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tacheron/api"
)

// TestReindexKeepsTheServedCorpus: a server started on an index of the
// user's own documents, without --corpus, reindexes from the corpus that
// built the served snapshot — never from the bundled one; when that corpus
// is gone, the reindex refuses with a clear message and nothing changes.
func TestReindexKeepsTheServedCorpus(t *testing.T) {
	own := filepath.Join(t.TempDir(), "own")
	if err := os.Mkdir(own, 0o755); err != nil {
		t.Fatal(err)
	}
	const docs = 17
	writeCorpus(t, own, docs)
	idx := filepath.Join(t.TempDir(), "index")
	// Built from a relative path, as a user types it.
	wd, _ := os.Getwd()
	t.Chdir(filepath.Dir(own))
	if _, _, err := runCLI(t, nil, "index", "--corpus", "own", "--index", idx); err != nil {
		t.Fatal(err)
	}
	t.Chdir(wd)

	const token = "secret-token-for-tests"
	s := startServe(t, map[string]string{"TACHERON_ADMIN_TOKEN": token}, "--index", idx, "--watch-interval", "0")
	gen := reindexAdmin(t, s, token)
	var h api.Health
	if _, err := s.do(http.MethodGet, "/readyz", "", &h); err != nil {
		t.Fatal(err)
	}
	if h.Generation != gen || h.Documents != docs {
		t.Fatalf("after the reindex: generation %d with %d documents, want generation %d with the %d documents of the own corpus", h.Generation, h.Documents, gen, docs)
	}

	// The corpus is gone: the reindex fails and says how to go on.
	if err := os.RemoveAll(own); err != nil {
		t.Fatal(err)
	}
	var st api.ReindexStatus
	if res, err := s.do(http.MethodPost, "/api/v1/admin/reindex", token, &st); err != nil || res.StatusCode != http.StatusAccepted {
		t.Fatalf("POST reindex: %v %v", res, err)
	}
	waitFor(t, 60*time.Second, "the admin reindex finishes", func() bool {
		st = api.ReindexStatus{}
		_, err := s.do(http.MethodGet, "/api/v1/admin/reindex", token, &st)
		return err == nil && st.State == "idle" && st.Last != nil && st.Last.StartedAt.After(time.Time{})
	})
	if st.Last.Outcome != "error" || !strings.Contains(st.Last.Message, own) || !strings.Contains(st.Last.Message, "--corpus") {
		t.Errorf("reindex from a removed corpus: %+v, want an error naming %s and --corpus", st.Last, own)
	}
	if got := s.generation(t); got != gen {
		t.Errorf("generation %d after a refused reindex, want %d", got, gen)
	}
}
