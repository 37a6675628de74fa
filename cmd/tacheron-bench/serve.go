package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// serveAndLoad starts tacheron serve on a free port, waits until it is
// ready, runs the load and stops it.
func serveAndLoad(ctx context.Context, bin, indexDir string, rep *benchReport, dur time.Duration, stderr io.Writer) error {
	addr, err := freeAddr()
	if err != nil {
		return err
	}
	logf, err := os.Create(rep.Serve.LogFile)
	if err != nil {
		return err
	}
	defer logf.Close()
	cmd := exec.Command(bin, "serve", "--index", indexDir, "--addr", addr)
	cmd.Stdout, cmd.Stderr = logf, logf
	fmt.Fprintf(stderr, "==> serve: %s serve --index %s --addr %s (log: %s)\n", bin, indexDir, addr, rep.Serve.LogFile)
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start tacheron serve: %w", err)
	}
	// exited is closed when the server has exited, with waitErr set.
	exited := make(chan struct{})
	var waitErr error
	go func() {
		waitErr = cmd.Wait()
		close(exited)
	}()
	stop := func() {
		select {
		case <-exited:
			return
		default:
		}
		cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(15 * time.Second):
			fmt.Fprintln(stderr, "==> serve: no exit 15s after SIGTERM: killing it")
			cmd.Process.Kill()
			<-exited
		}
	}
	defer stop()
	exitErr := func() error { <-exited; return waitErr }

	base := "http://" + addr
	timeout := readyTimeout(rep.Corpus.Docs)
	if err := waitReady(ctx, base, timeout, exited, exitErr); err != nil {
		return fmt.Errorf("%w (log %s: %s)", err, rep.Serve.LogFile, tail(rep.Serve.LogFile, 400))
	}
	rep.Serve.ReadySeconds = time.Since(start).Seconds()
	fmt.Fprintf(stderr, "==> serve: ready after %.1fs; load: %v clients, %v per class\n", rep.Serve.ReadySeconds, rep.Clients, dur)

	rep.Load, err = load(ctx, loadOptions{URL: base, Clients: rep.Clients, Duration: dur,
		Seed: rep.Corpus.Seed, Docs: rep.Corpus.Docs, Log: stderr})
	if err != nil {
		return fmt.Errorf("load: %w", err)
	}
	rep.Serve.RSSBytes = procStatus(cmd.Process.Pid, "VmRSS")
	rep.Serve.PeakRSSBytes = procStatus(cmd.Process.Pid, "VmHWM")
	select {
	case <-exited:
		return fmt.Errorf("tacheron serve exited during the load: %v", exitErr())
	default:
	}
	return nil
}

// readyTimeout is how long a server may take to open an index of docs.
func readyTimeout(docs int) time.Duration {
	return time.Minute + time.Duration(docs/1000)*time.Second
}

// waitReady polls /healthz, then /readyz, until both answer 200.
// exited is closed when the server exits; exitErr then says why.
func waitReady(ctx context.Context, base string, timeout time.Duration, exited <-chan struct{}, exitErr func() error) error {
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(timeout)
	for _, path := range []string{"/healthz", "/readyz"} {
		for {
			resp, err := client.Get(base + path)
			if err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					break
				}
				if path == "/healthz" && resp.StatusCode == http.StatusNotFound {
					return fmt.Errorf("GET %s: 404: this tacheron serve has no health check", path)
				}
			}
			select {
			case <-exited:
				return fmt.Errorf("tacheron serve exited before it was ready: %v", exitErr())
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(100 * time.Millisecond):
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("GET %s%s: not 200 within %v", base, path, timeout)
			}
		}
	}
	return nil
}

// freeAddr returns a loopback address with a port free right now.
func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return "127.0.0.1:" + strconv.Itoa(l.Addr().(*net.TCPAddr).Port), nil
}

// tail returns the last n bytes of a file, on one line.
func tail(name string, n int) string {
	data, err := os.ReadFile(name)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return "(no log)"
		}
		return err.Error()
	}
	if len(data) > n {
		data = data[len(data)-n:]
	}
	s := strings.Join(strings.Fields(string(data)), " ")
	if s == "" {
		return "(empty log)"
	}
	return s
}
