// Package s3test runs a real S3-compatible server for tests: the Versity S3
// Gateway (versitygw) over a POSIX directory, on 127.0.0.1.
//
// Install it with
//
//	go install github.com/versity/versitygw/cmd/versitygw@v1.8.0
//
// Without it, tests that need it are skipped with a loud message, or fail
// when TACHERON_REQUIRE_S3 is set (as in CI).
package s3test

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// Credentials of the gateway's root user.
const (
	AccessKey = "tacheron-test"
	SecretKey = "tacheron-test-secret"
)

// A Server is a running versitygw.
type Server struct {
	// Endpoint is its URL, like http://127.0.0.1:40123.
	Endpoint string

	bin, addr, root, sidecar string
	log                      *bytes.Buffer
	mu                       sync.Mutex
	cmd                      *exec.Cmd
	exited                   chan struct{}
}

// Binary returns the path of versitygw, or "" when it is not installed (in
// $PATH or go env GOPATH/bin).
func Binary() string {
	if p, err := exec.LookPath("versitygw"); err == nil {
		return p
	}
	gopath := os.Getenv("GOPATH")
	if gopath == "" {
		home, _ := os.UserHomeDir()
		gopath = filepath.Join(home, "go")
	}
	p := filepath.Join(gopath, "bin", "versitygw")
	if _, err := os.Stat(p); err == nil {
		return p
	}
	return ""
}

// Require skips t loudly when versitygw is missing, or fails it when
// TACHERON_REQUIRE_S3 is set; it returns the binary's path.
func Require(t testing.TB) string {
	t.Helper()
	bin := Binary()
	if bin == "" {
		msg := "*** S3 TEST SKIPPED: versitygw not found; install it with: go install github.com/versity/versitygw/cmd/versitygw@v1.8.0 ***"
		if os.Getenv("TACHERON_REQUIRE_S3") != "" {
			t.Fatal(msg + " (TACHERON_REQUIRE_S3 is set)")
		}
		fmt.Fprintln(os.Stderr, msg)
		t.Skip(msg)
	}
	return bin
}

// Start starts versitygw on an ephemeral port of 127.0.0.1 with a bucket
// named bucket, and stops it at the end of the test.
func Start(t testing.TB, bucket string) *Server {
	t.Helper()
	bin := Require(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	dir := t.TempDir()
	s := &Server{
		Endpoint: "http://" + addr, bin: bin, addr: addr,
		root: filepath.Join(dir, "root"), sidecar: filepath.Join(dir, "meta"),
		log: &bytes.Buffer{},
	}
	for _, d := range []string{filepath.Join(s.root, bucket), s.sidecar} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(s.Stop)
	if err := s.Restart(); err != nil {
		t.Fatal(err)
	}
	return s
}

// Env returns the AWS environment variables that point a client at s.
func (s *Server) Env() []string {
	return []string{
		"AWS_ACCESS_KEY_ID=" + AccessKey,
		"AWS_SECRET_ACCESS_KEY=" + SecretKey,
		"AWS_REGION=us-east-1",
		"AWS_ENDPOINT_URL_S3=" + s.Endpoint,
		"AWS_EC2_METADATA_DISABLED=true",
		"AWS_CONFIG_FILE=" + os.DevNull,
		"AWS_SHARED_CREDENTIALS_FILE=" + os.DevNull,
	}
}

// SetEnv sets s's environment variables for the rest of the test.
func (s *Server) SetEnv(t *testing.T) {
	for _, kv := range s.Env() {
		k, v, _ := bytes.Cut([]byte(kv), []byte("="))
		t.Setenv(string(k), string(v))
	}
}

// Restart starts the server again after Stop (same port, same data) and
// waits until it answers.
func (s *Server) Restart() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd != nil {
		return fmt.Errorf("versitygw already runs")
	}
	cmd := exec.Command(s.bin, "--access", AccessKey, "--secret", SecretKey,
		"--port", s.addr, "--quiet", "posix", "--sidecar", s.sidecar, s.root)
	cmd.Stdout, cmd.Stderr = s.log, s.log
	if err := cmd.Start(); err != nil {
		return err
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	s.cmd, s.exited = cmd, exited
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for {
		// Any HTTP answer (403 without credentials) means it serves.
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.Endpoint+"/", nil)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			return nil
		}
		select {
		case <-exited:
			s.cmd = nil
			return fmt.Errorf("versitygw exited: %s", s.log.String())
		case <-ctx.Done():
			return fmt.Errorf("versitygw does not answer on %s: %s", s.addr, s.log.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// Stop kills the server; Restart brings it back.
func (s *Server) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return
	}
	s.cmd.Process.Kill()
	<-s.exited
	s.cmd = nil
}

// Path returns the file that holds object key of bucket, to alter it
// behind the server's back.
func (s *Server) Path(bucket, key string) string {
	return filepath.Join(s.root, bucket, filepath.FromSlash(key))
}
