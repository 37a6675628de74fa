package main

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestLoadClientTellsSheddingFromFailure: the load tests' client counts a
// 503 with Retry-After (admission shedding load on a busy machine) apart,
// and any other error as a failure.
func TestLoadClientTellsSheddingFromFailure(t *testing.T) {
	tests := []struct {
		name         string
		status       int
		retryAfter   string
		shed, failed int64
	}{
		{"admission sheds load", http.StatusServiceUnavailable, "1", 1, 0},
		{"503 without Retry-After", http.StatusServiceUnavailable, "", 0, 1},
		{"500", http.StatusInternalServerError, "", 0, 1},
	}
	for _, tt := range tests {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if tt.retryAfter != "" {
				w.Header().Set("Retry-After", tt.retryAfter)
			}
			w.Header().Set("Content-Type", "application/problem+json")
			w.WriteHeader(tt.status)
			w.Write([]byte(`{"status": 503}`))
		}))
		c := &loadClient{}
		c.search(&testServer{base: srv.URL, client: srv.Client()}, "captcha", 1)
		srv.Close()
		if c.shed.Load() != tt.shed || c.failed.Load() != tt.failed || c.served.Load() != 0 {
			t.Errorf("%s: shed %d, failed %d, served %d; want shed %d, failed %d", tt.name, c.shed.Load(), c.failed.Load(), c.served.Load(), tt.shed, tt.failed)
		}
	}
}
