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

	"tacheron/api/apitest"
	"tacheron/api/gate"
	"tacheron/index/store"
)

// testLive serves an index of the bundled corpus, built once in TestMain.
var testLive *store.Live

func TestMain(m *testing.M) {
	os.Exit(apitest.Run(m, &testLive))
}

// newTestServer returns a Server over the test index, logging to the
// test.
func newTestServer(tb testing.TB, opts Options) *Server {
	tb.Helper()
	if opts.Searcher == nil {
		opts.Searcher = testLive
	}
	if _, ok := opts.Searcher.(*store.Live); ok {
		// The store's live index notices its deadline, and tacheron serve
		// says so: its searches run on the request's goroutine.
		opts.PromptSearcher = true
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(apitest.LogWriter{TB: tb}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	s, err := NewServer(opts)
	if err != nil {
		tb.Fatal(err)
	}
	return s
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
		spec.doc, spec.router, spec.err = apitest.LoadSpec(rec.Body.Bytes())
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
func (r *response) problem(tb testing.TB) gate.Problem {
	tb.Helper()
	var p gate.Problem
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

func shortBody(b []byte) string { return apitest.ShortBody(b) }

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
		var p gate.Problem
		if err := json.Unmarshal(r.Body, &p); err != nil {
			return fmt.Errorf("problem: %w", err)
		}
		if p.Status != r.Status {
			return fmt.Errorf("problem status %d, response status %d", p.Status, r.Status)
		}
	}
	ctx := context.Background()
	// A document id may hold an escaped slash ("http:%2F%2Fexample.org"):
	// the router matches path segments, so it sees the escaped path.
	// The document's one server is "/": a request sent to an absolute URL
	// (a proxy's form, or a real connection's) is routed by its path.
	routed := req.Clone(req.Context())
	routed.URL.Scheme, routed.URL.Host = "", ""
	if req.URL.RawPath != "" {
		routed.URL.Path = req.URL.RawPath
	}
	route, pathParams, err := router.FindRoute(routed)
	if err == nil && !strings.Contains(route.Path, "{") && route.Path != routed.URL.Path {
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
