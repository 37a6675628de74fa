// Package apitest holds what the tests of tacheron's HTTP dialects share:
// an index of the bundled corpus to serve, and the OpenAPI document that
// every response is checked against. It is imported by tests only.
package apitest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"tacheron/corpus"
	"tacheron/index/store"
)

// Bundled builds the bundled corpus into a store at dir and returns a Live
// serving it; the caller closes it.
func Bundled(dir string) (*store.Live, error) {
	c, err := corpus.Bundled()
	if err != nil {
		return nil, err
	}
	st := store.Open(dir)
	if _, err := st.Publish(context.Background(), c, store.PublishOptions{}); err != nil {
		return nil, fmt.Errorf("build the test index: %w", err)
	}
	live := store.NewLive(st)
	if _, err := live.Reload(); err != nil {
		live.Close()
		return nil, fmt.Errorf("open the test index: %w", err)
	}
	return live, nil
}

// LoadSpec loads and validates an OpenAPI document and returns it with a
// router that finds the operation of a request.
func LoadSpec(data []byte) (*openapi3.T, routers.Router, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(data)
	if err != nil {
		return nil, nil, fmt.Errorf("load the OpenAPI document: %w", err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		return nil, nil, fmt.Errorf("the OpenAPI document is not valid: %w", err)
	}
	// The document's one server is "/", the host that serves it: the
	// router matches operations by path whatever the request's host (an
	// absolute target names another).
	routed := *doc
	routed.Servers = nil
	router, err := legacy.NewRouter(&routed)
	return doc, router, err
}

// ShortBody returns a body cut to a length that a test failure can show.
func ShortBody(b []byte) string {
	if len(b) > 600 {
		return string(b[:600]) + "…"
	}
	return string(b)
}

// CheckMeili validates a response of the Meilisearch API against
// the OpenAPI document: errors are MeiliErrors, but for 413, 414 and 431.
func CheckMeili(doc *openapi3.T, router routers.Router, req *http.Request, status int, header http.Header, body []byte) error {
	if header.Get("X-Content-Type-Options") != "nosniff" {
		return fmt.Errorf("no X-Content-Type-Options: nosniff")
	}
	if status >= 400 && status != 413 && status != 414 && status != 431 {
		if ct := header.Get("Content-Type"); ct != "application/json" {
			return fmt.Errorf("an error's Content-Type = %q, want application/json", ct)
		}
		var v any
		if err := json.Unmarshal(body, &v); err != nil {
			return err
		}
		if err := doc.Components.Schemas["MeiliError"].Value.VisitJSON(v, openapi3.EnableJSONSchema2020()); err != nil {
			return fmt.Errorf("not a MeiliError: %w", err)
		}
	}
	// The document's one server is "/": route by the path alone.
	routed := req.Clone(req.Context())
	routed.URL.Scheme, routed.URL.Host = "", ""
	route, pathParams, err := router.FindRoute(routed)
	if err != nil {
		if req.Method == http.MethodOptions && status == http.StatusNoContent && len(body) == 0 {
			return nil
		}
		if status < 400 {
			return fmt.Errorf("no operation for the request, yet %d", status)
		}
		return nil
	}
	ctx := context.Background()
	opts := &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true, SkipSettingDefaults: true}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: pathParams, Route: route, Options: opts}
	if status < 400 {
		if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
			return fmt.Errorf("request: %w", err)
		}
	}
	return openapi3filter.ValidateResponse(ctx, &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in, Status: status, Header: header,
		Body: io.NopCloser(bytes.NewReader(body)), Options: opts,
	})
}

// Run builds the bundled corpus into a temporary store, sets *live to the
// Live serving it, runs the tests and returns their exit code: the body of
// a TestMain.
func Run(m *testing.M, live **store.Live) int {
	dir, err := os.MkdirTemp("", "tacheron-api-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	if *live, err = Bundled(dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer (*live).Close()
	return m.Run()
}

// A LogWriter writes a logger's lines to a test's log.
type LogWriter struct{ TB testing.TB }

func (w LogWriter) Write(p []byte) (int, error) {
	w.TB.Helper()
	w.TB.Log(strings.TrimSuffix(string(p), "\n"))
	return len(p), nil
}
