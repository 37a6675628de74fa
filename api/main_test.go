package api

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"tacheron/corpus"
	"tacheron/index"
)

// testLive serves an index of the bundled corpus, built once in TestMain.
var testLive *index.Live

func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	dir, err := os.MkdirTemp("", "tacheron-api-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	c, err := corpus.Bundled()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	store := index.OpenStore(dir)
	if _, err := store.Publish(context.Background(), c, index.PublishOptions{}); err != nil {
		fmt.Fprintln(os.Stderr, "build the test index:", err)
		return 1
	}
	testLive = index.NewLive(store)
	defer testLive.Close()
	if _, err := testLive.Reload(); err != nil {
		fmt.Fprintln(os.Stderr, "open the test index:", err)
		return 1
	}
	return m.Run()
}

// newTestServer returns a Server over the test index, logging to the
// test.
func newTestServer(tb testing.TB, opts Options) *Server {
	tb.Helper()
	if opts.Searcher == nil {
		opts.Searcher = testLive
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(testWriter{tb}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	s, err := NewServer(opts)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// testWriter writes to a test's log.
type testWriter struct{ tb testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.tb.Helper()
	w.tb.Log(strings.TrimSuffix(string(p), "\n"))
	return len(p), nil
}

// spec is the served OpenAPI document, loaded once, and its router.
var spec struct {
	once   sync.Once
	doc    *openapi3.T
	router routers.Router
	err    error
}

// loadSpec loads the OpenAPI document as /openapi.json serves it.
func loadSpec(tb testing.TB) (*openapi3.T, routers.Router) {
	tb.Helper()
	spec.once.Do(func() {
		s, err := NewServer(Options{Searcher: testLive})
		if err != nil {
			spec.err = err
			return
		}
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/openapi.json", nil))
		if rec.Code != http.StatusOK {
			spec.err = fmt.Errorf("GET /openapi.json: %d", rec.Code)
			return
		}
		loader := openapi3.NewLoader()
		doc, err := loader.LoadFromData(rec.Body.Bytes())
		if err != nil {
			spec.err = fmt.Errorf("load /openapi.json: %w", err)
			return
		}
		if err := doc.Validate(loader.Context); err != nil {
			spec.err = fmt.Errorf("/openapi.json is not valid: %w", err)
			return
		}
		spec.doc = doc
		spec.router, spec.err = legacy.NewRouter(doc)
	})
	if spec.err != nil {
		tb.Fatal(spec.err)
	}
	return spec.doc, spec.router
}

// A response is what a test request got, its body decompressed.
type response struct {
	Status int
	Header http.Header
	Body   []byte
}

// json decodes the body into v.
func (r *response) json(tb testing.TB, v any) {
	tb.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		tb.Fatalf("decode %s: %v", r.Body, err)
	}
}

// problem decodes the body as a problem.
func (r *response) problem(tb testing.TB) Problem {
	tb.Helper()
	var p Problem
	r.json(tb, &p)
	return p
}

// serve runs req through h, checks the response against the OpenAPI
// document and the rules every response keeps, and returns it.
func serve(tb testing.TB, h http.Handler, req *http.Request) *response {
	tb.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := rec.Result()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		tb.Fatal(err)
	}
	if res.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			tb.Fatalf("%s %s: gzip: %v", req.Method, req.URL, err)
		}
		if body, err = io.ReadAll(zr); err != nil {
			tb.Fatalf("%s %s: gzip: %v", req.Method, req.URL, err)
		}
	}
	r := &response{Status: res.StatusCode, Header: res.Header, Body: body}
	if err := checkResponse(tb, req, r); err != nil {
		tb.Errorf("%s %s → %d: %v\n%s", req.Method, req.URL, r.Status, err, shortBody(r.Body))
	}
	return r
}

// get serves a GET of target through h.
func get(tb testing.TB, h http.Handler, target string) *response {
	tb.Helper()
	return serve(tb, h, httptest.NewRequest(http.MethodGet, target, nil))
}

func shortBody(b []byte) string {
	if len(b) > 600 {
		return string(b[:600]) + "…"
	}
	return string(b)
}

// checkResponse validates a response against the OpenAPI document (and a
// request expected to succeed too), and checks what every response holds.
func checkResponse(tb testing.TB, req *http.Request, r *response) error {
	doc, router := loadSpec(tb)
	if r.Status >= 500 && r.Status != http.StatusServiceUnavailable {
		if bytes.Contains(r.Body, []byte(".go")) || bytes.Contains(r.Body, []byte("goroutine")) {
			return fmt.Errorf("a %d body tells where the server failed", r.Status)
		}
	}
	if got := r.Header.Get("X-Content-Type-Options"); got != "nosniff" {
		return fmt.Errorf("X-Content-Type-Options = %q, want nosniff", got)
	}
	if r.Status >= 400 {
		if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
			return fmt.Errorf("an error's Content-Type = %q, want application/problem+json", ct)
		}
		var p Problem
		if err := json.Unmarshal(r.Body, &p); err != nil {
			return fmt.Errorf("problem: %w", err)
		}
		if p.Status != r.Status {
			return fmt.Errorf("problem status %d, response status %d", p.Status, r.Status)
		}
	}
	ctx := context.Background()
	route, pathParams, err := router.FindRoute(req)
	if err == nil && !strings.Contains(route.Path, "{") && route.Path != req.URL.Path {
		// The router forgives a trailing slash; the server does not.
		err = fmt.Errorf("no route for %s", req.URL.Path)
	}
	if err != nil {
		// No operation serves this: a CORS preflight (described in the
		// document's introduction), or a problem.
		if req.Method == http.MethodOptions && r.Status == http.StatusNoContent {
			if len(r.Body) > 0 {
				return fmt.Errorf("a preflight answered with a body")
			}
			return nil
		}
		if r.Status != http.StatusNotFound && r.Status != http.StatusMethodNotAllowed && r.Status < 400 {
			return fmt.Errorf("no operation for the request, yet %d", r.Status)
		}
		var v any
		if err := json.Unmarshal(r.Body, &v); err != nil {
			return err
		}
		return doc.Components.Schemas["Problem"].Value.VisitJSON(v, openapi3.EnableJSONSchema2020())
	}
	opts := &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true, SkipSettingDefaults: true,
		AuthenticationFunc: checkBearer}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: pathParams, Route: route, Options: opts}
	if r.Status < 400 {
		if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
			return fmt.Errorf("request: %w", err)
		}
	}
	return openapi3filter.ValidateResponse(ctx, &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 r.Status,
		Header:                 r.Header,
		Body:                   io.NopCloser(bytes.NewReader(r.Body)),
		Options:                opts,
	})
}

// checkBearer checks that a request the server accepted carries the
// Bearer token its operation requires (the value is the server's to check).
func checkBearer(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	scheme := in.SecurityScheme
	if scheme.Type != "http" || scheme.Scheme != "bearer" {
		return fmt.Errorf("security scheme %s: unexpected type %s %s", in.SecuritySchemeName, scheme.Type, scheme.Scheme)
	}
	h := in.RequestValidationInput.Request.Header.Get("Authorization")
	if scheme, token, _ := strings.Cut(h, " "); !strings.EqualFold(scheme, "bearer") || token == "" {
		return fmt.Errorf("security scheme %s: the request has no Bearer token", in.SecuritySchemeName)
	}
	return nil
}
