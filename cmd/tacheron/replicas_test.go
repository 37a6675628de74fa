package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"tacheron/index/replica/s3test"
)

// The replicas test: a real S3-compatible server (versitygw), three
// "tacheron serve --follow" replicas (the built binary) and Debian's nginx
// in front, configured from deploy/nginx.conf; eight clients page through
// nginx while five generations are published, one replica is killed
// during a download and restarted, and the object store is stopped for
// 10 seconds. Run it with "make replicas".

// convergeWithin is how soon after a publication every replica must serve
// it.
const convergeWithin = 10 * time.Second

// A replicaProc is a "tacheron serve --follow" process.
type replicaProc struct {
	name, addr, dir string
	args            []string
	env             []string
	bin             string
	log             *lockedBuffer
	cmd             *exec.Cmd
	exited          chan struct{}
}

// lockedBuffer is a log written by a process and read by the test.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// freeAddr returns an address of 127.0.0.1 with a port free now.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// start starts the replica's process.
func (r *replicaProc) start() error {
	cmd := exec.Command(r.bin, r.args...)
	cmd.Env = r.env
	fmt.Fprintf(r.log, "=== start\n")
	cmd.Stdout, cmd.Stderr = r.log, r.log
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("%s: %w", r.name, err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	r.cmd, r.exited = cmd, exited
	return nil
}

// kill sends sig and waits for the process to exit.
func (r *replicaProc) kill(sig syscall.Signal) {
	if r.cmd == nil {
		return
	}
	r.cmd.Process.Signal(sig)
	select {
	case <-r.exited:
	case <-time.After(20 * time.Second):
		r.cmd.Process.Kill()
		<-r.exited
	}
	r.cmd = nil
}

// generation returns the generation the replica serves (0: none, or down).
func (r *replicaProc) generation(client *http.Client) uint64 {
	res, err := client.Get("http://" + r.addr + "/readyz")
	if err != nil {
		return 0
	}
	defer res.Body.Close()
	var h struct{ Generation uint64 }
	if res.StatusCode != http.StatusOK || json.NewDecoder(res.Body).Decode(&h) != nil {
		return 0
	}
	return h.Generation
}

// metric returns the value of a metric from /metrics (name with its
// labels, if any), -1 when the replica does not answer.
func (r *replicaProc) metric(client *http.Client, name string) float64 {
	res, err := client.Get("http://" + r.addr + "/metrics")
	if err != nil {
		return -1
	}
	defer res.Body.Close()
	sc := bufio.NewScanner(res.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), name+" "); ok {
			f, _ := strconv.ParseFloat(v, 64)
			return f
		}
	}
	return 0 // a counter not incremented yet
}

// nginxConfig rewrites deploy/nginx.conf for the test: its listen
// address, the replicas' addresses and paths under dir.
func nginxConfig(t *testing.T, listen string, replicas []string, dir string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "deploy", "nginx.conf"))
	if err != nil {
		t.Fatal(err)
	}
	conf := string(data)
	servers := regexp.MustCompile(`(?m)^\s*server 127\.0\.0\.1:808[1-9] (.*);\n`)
	m := servers.FindAllStringSubmatch(conf, -1)
	if len(m) != 3 {
		t.Fatalf("deploy/nginx.conf: %d upstream server lines, want 3", len(m))
	}
	var lines strings.Builder
	for _, addr := range replicas {
		fmt.Fprintf(&lines, "\t\tserver %s %s;\n", addr, m[0][1])
	}
	first := true
	conf = servers.ReplaceAllStringFunc(conf, func(string) string {
		if first {
			first = false
			return lines.String()
		}
		return ""
	})
	for old, new := range map[string]string{
		"listen 127.0.0.1:8080;":    "listen " + listen + ";",
		"/tmp/tacheron-nginx.pid":   filepath.Join(dir, "nginx.pid"),
		"/tmp/tacheron-nginx-body":  filepath.Join(dir, "body"),
		"/tmp/tacheron-nginx-proxy": filepath.Join(dir, "proxy"),
		"worker_processes auto;":    "worker_processes 2;",
		"events {":                  "user root;\nevents {",
		"client_body_temp_path":     "fastcgi_temp_path " + filepath.Join(dir, "fastcgi") + ";\n\tuwsgi_temp_path " + filepath.Join(dir, "uwsgi") + ";\n\tscgi_temp_path " + filepath.Join(dir, "scgi") + ";\n\tclient_body_temp_path",
	} {
		if !strings.Contains(conf, old) {
			t.Fatalf("deploy/nginx.conf has no %q", old)
		}
		conf = strings.Replace(conf, old, new, 1)
	}
	p := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(p, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// loadStats are what the clients counted.
type loadStats struct {
	requests, pinned, failures, mixed atomic.Int64
	mu                                sync.Mutex
	errors                            []string
}

func (s *loadStats) fail(format string, args ...any) {
	s.failures.Add(1)
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.errors) < 20 {
		s.errors = append(s.errors, time.Now().Format("15:04:05.000")+" "+fmt.Sprintf(format, args...))
	}
}

// searchPage is the part of a search response the clients check.
type searchPage struct {
	Total      int
	Generation uint64
	Hits       []struct{ ID string }
}

// page asks nginx for a page; gen, when not 0, is asked for by header
// (viaHeader) or parameter.
func page(client *http.Client, base, q string, n int, gen uint64, viaHeader bool) (*searchPage, string, error) {
	v := url.Values{"q": {q}, "per_page": {"4"}, "page": {strconv.Itoa(n)}, "facets": {""}}
	if gen != 0 && !viaHeader {
		v.Set("generation", strconv.FormatUint(gen, 10))
	}
	req, err := http.NewRequest(http.MethodGet, base+"/api/v1/search?"+v.Encode(), nil)
	if err != nil {
		return nil, "", err
	}
	if gen != 0 && viaHeader {
		req.Header.Set("X-Index-Generation", strconv.FormatUint(gen, 10))
	}
	res, err := client.Do(req)
	if err != nil {
		return nil, "", err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, "", err
	}
	if res.StatusCode != http.StatusOK {
		return nil, "", fmt.Errorf("%s: %d %s", req.URL, res.StatusCode, body)
	}
	var p searchPage
	if err := json.Unmarshal(body, &p); err != nil {
		return nil, "", err
	}
	return &p, res.Header.Get("X-Index-Generation"), nil
}

// client pages through nginx until stop: page 1 of a query, then page 2
// at the generation page 1 came from.
func client(base string, n int, stats *loadStats, stop <-chan struct{}) {
	hc := &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
	defer hc.CloseIdleConnections()
	queries := []string{"", "travail", "plateforme", "numérique", "micro-travail", "algorithme"}
	for i := 0; ; i++ {
		select {
		case <-stop:
			return
		case <-time.After(5 * time.Millisecond):
		}
		q := queries[(n+i)%len(queries)]
		p1, _, err := page(hc, base, q, 1, 0, false)
		stats.requests.Add(1)
		if err != nil {
			stats.fail("client %d page 1 of %q: %v", n, q, err)
			continue
		}
		if p1.Total <= 4 {
			continue
		}
		p2, header, err := page(hc, base, q, 2, p1.Generation, i%2 == 0)
		stats.requests.Add(1)
		stats.pinned.Add(1)
		if err != nil {
			stats.fail("client %d page 2 of %q at generation %d: %v", n, q, p1.Generation, err)
			continue
		}
		if p2.Generation != p1.Generation || header != strconv.FormatUint(p1.Generation, 10) {
			stats.mixed.Add(1)
			stats.fail("client %d: page 2 of %q at generation %d came from generation %d (header %q)", n, q, p1.Generation, p2.Generation, header)
		}
	}
}

// partBytes returns the size of the partial files of a replica's
// downloads in progress.
func partBytes(dir string) int64 {
	var n int64
	parts, _ := filepath.Glob(filepath.Join(dir, "snapshots", ".incoming-*"))
	for _, p := range parts {
		filepath.WalkDir(p, func(p string, d os.DirEntry, err error) error {
			if err == nil && strings.HasSuffix(p, ".part") {
				if fi, err := d.Info(); err == nil {
					n += fi.Size()
				}
			}
			return nil
		})
	}
	return n
}

// installedBytes returns the bytes a replica's log says it downloaded to
// install generation gen, or -1.
func installedBytes(log string, gen uint64) int64 {
	re := regexp.MustCompile(`msg="follow: installed" generation=` + strconv.FormatUint(gen, 10) + ` files=\d+ downloaded=(\d+)`)
	m := re.FindStringSubmatch(log)
	if m == nil {
		return -1
	}
	n, _ := strconv.ParseInt(m[1], 10, 64)
	return n
}

var publishedRE = regexp.MustCompile(`published generation (\d+) to \S+: (\d+) files, (\d+) bytes`)

func TestReplicas(t *testing.T) {
	if os.Getenv("TACHERON_REPLICAS") == "" {
		t.Skip("the end-to-end replicas test runs with: make replicas (TACHERON_REPLICAS=1; needs nginx and versitygw)")
	}
	nginx, err := exec.LookPath("nginx")
	if err != nil {
		if nginx, err = exec.LookPath("/usr/sbin/nginx"); err != nil {
			t.Fatal("nginx not found: apt-get install nginx-light")
		}
	}
	t.Setenv("TACHERON_REQUIRE_S3", "1")
	bin := buildTacheron(t)
	store := s3test.Start(t, "snaps")
	env := append(os.Environ(), store.Env()...)
	const follow = "s3://snaps/replicas"
	pubDir := t.TempDir()
	type publication struct {
		gen         uint64
		bytes       int64
		at          time.Time
		converged   []time.Duration
		downloaded  []float64
		killed, out string
	}
	var pubs []*publication
	publish := func() *publication {
		t.Helper()
		// A full build each time: an incremental one of the same corpus
		// shares every file, and there would be no download to kill.
		cmd := exec.Command(bin, "index", "--full", "--index", pubDir, "--publish", follow, "--keep", "3")
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("tacheron index --publish: %v\n%s", err, out)
		}
		m := publishedRE.FindSubmatch(out)
		if m == nil {
			t.Fatalf("tacheron index --publish said: %s", out)
		}
		p := &publication{at: time.Now(), out: string(out)}
		p.gen, _ = strconv.ParseUint(string(m[1]), 10, 64)
		p.bytes, _ = strconv.ParseInt(string(m[3]), 10, 64)
		pubs = append(pubs, p)
		return p
	}
	publish()

	// Three replicas; the third downloads at 200 KB/s so that it can be
	// killed during a download.
	hc := &http.Client{Timeout: 5 * time.Second}
	var replicas []*replicaProc
	for i := range 3 {
		r := &replicaProc{name: fmt.Sprintf("replica %d", i+1), addr: freeAddr(t), dir: t.TempDir(), bin: bin, env: env, log: &lockedBuffer{}}
		r.args = []string{"serve", "--index", r.dir, "--addr", r.addr, "--follow", follow,
			"--follow-interval", "250ms", "--watch-interval", "250ms", "--max-concurrent", "32"}
		if i == 2 {
			r.args = append(r.args, "--follow-limit", "200k")
		}
		if err := r.start(); err != nil {
			t.Fatal(err)
		}
		replicas = append(replicas, r)
	}
	t.Cleanup(func() {
		for _, r := range replicas {
			r.kill(syscall.SIGTERM)
			if t.Failed() {
				t.Logf("%s log:\n%s", r.name, r.log)
			}
		}
	})
	waitFor(t, 30*time.Second, "every replica serves generation 1", func() bool {
		for _, r := range replicas {
			if r.generation(hc) != 1 {
				return false
			}
		}
		return true
	})

	for _, r := range replicas {
		pubs[0].downloaded = append(pubs[0].downloaded, r.metric(hc, "tacheron_replica_downloaded_bytes_total"))
	}

	nginxDir := t.TempDir()
	listen := freeAddr(t)
	var addrs []string
	for _, r := range replicas {
		addrs = append(addrs, r.addr)
	}
	conf := nginxConfig(t, listen, addrs, nginxDir)
	nginxLog := &lockedBuffer{}
	ng := exec.Command(nginx, "-e", "stderr", "-p", nginxDir, "-c", conf, "-g", "daemon off;")
	ng.Stdout, ng.Stderr = nginxLog, nginxLog
	if err := ng.Start(); err != nil {
		t.Fatal(err)
	}
	ngDone := make(chan struct{})
	go func() { ng.Wait(); close(ngDone) }()
	t.Cleanup(func() {
		ng.Process.Signal(syscall.SIGQUIT)
		select {
		case <-ngDone:
		case <-time.After(10 * time.Second):
			ng.Process.Kill()
			<-ngDone
		}
		if t.Failed() {
			t.Logf("nginx log:\n%s", nginxLog)
		}
	})
	base := "http://" + listen
	waitFor(t, 10*time.Second, "nginx answers", func() bool {
		res, err := hc.Get(base + "/readyz")
		if err != nil {
			return false
		}
		res.Body.Close()
		return res.StatusCode == http.StatusOK
	})

	stats := &loadStats{}
	stop := make(chan struct{})
	var clients sync.WaitGroup
	for n := range 8 {
		clients.Go(func() { client(base, n, stats, stop) })
	}
	stopClients := sync.OnceFunc(func() { close(stop); clients.Wait() })
	defer stopClients()

	// converge waits until every replica serves p's generation, recording
	// when each did.
	converge := func(p *publication) {
		t.Helper()
		p.converged = make([]time.Duration, len(replicas))
		p.downloaded = make([]float64, len(replicas))
		waitFor(t, convergeWithin+time.Second, fmt.Sprintf("every replica serves generation %d", p.gen), func() bool {
			done := true
			for i, r := range replicas {
				if p.converged[i] != 0 {
					continue
				}
				if r.generation(hc) >= p.gen {
					p.converged[i] = time.Since(p.at)
				} else {
					done = false
				}
			}
			return done
		})
		for i, r := range replicas {
			p.downloaded[i] = r.metric(hc, "tacheron_replica_downloaded_bytes_total")
			if p.converged[i] > convergeWithin {
				t.Errorf("%s served generation %d %v after its publication, want within %v", r.name, p.gen, p.converged[i], convergeWithin)
			}
		}
	}

	time.Sleep(time.Second) // load before the first publication
	for i := range 5 {
		if i == 2 {
			// Kill the slow replica once it has downloaded 64 KiB of the
			// generation (its counter follows a download as it goes; the
			// files it copies from its current snapshot do not count),
			// then start it again: it resumes.
			r := replicas[2]
			const downloadedMetric = "tacheron_replica_downloaded_bytes_total"
			before := r.metric(hc, downloadedMetric)
			killed := make(chan string, 1)
			go func() {
				deadline := time.Now().Add(convergeWithin)
				for time.Now().Before(deadline) {
					if r.metric(hc, downloadedMetric)-before >= 64<<10 {
						n := partBytes(r.dir)
						r.kill(syscall.SIGKILL)
						msg := fmt.Sprintf("%s killed with %d bytes of partial files", r.name, n)
						if err := r.start(); err != nil {
							msg = "restart failed: " + err.Error()
						}
						killed <- msg
						return
					}
					time.Sleep(2 * time.Millisecond)
				}
				killed <- ""
			}()
			p := publish()
			if p.killed = <-killed; p.killed == "" || strings.HasPrefix(p.killed, "restart failed") {
				t.Fatalf("%s was not killed during the download of generation %d, or not restarted: %q", r.name, p.gen, p.killed)
			}
			converge(p)
			continue
		}
		if i == 4 {
			// The object store stops for 10 seconds: the replicas keep
			// serving, then follow again.
			store.Stop()
			t.Logf("object store stopped")
			time.Sleep(10 * time.Second)
			if err := store.Restart(); err != nil {
				t.Fatal(err)
			}
			t.Logf("object store restarted")
		}
		converge(publish())
	}
	time.Sleep(time.Second) // load after the last publication
	stopClients()

	var published []uint64
	for _, p := range pubs {
		published = append(published, p.gen)
	}
	for k, p := range pubs[1:] {
		var conv []string
		for i, d := range p.converged {
			// The counter restarts with a killed replica.
			bytes := p.downloaded[i]
			if prev := pubs[k].downloaded; prev != nil && prev[i] <= bytes {
				bytes -= prev[i]
			}
			conv = append(conv, fmt.Sprintf("%s %v (%.0f bytes downloaded)", replicas[i].name, d.Round(time.Millisecond), bytes))
		}
		note := ""
		if p.killed != "" {
			note = "; " + p.killed
		}
		t.Logf("generation %d: %d bytes published; served by %s%s", p.gen, p.bytes, strings.Join(conv, ", "), note)
	}
	var answers []string
	for _, r := range replicas {
		answers = append(answers, fmt.Sprintf("%s %.0f×503 %.0f×410", r.name,
			r.metric(hc, `tacheron_http_requests_total{route="/api/v1/search",status="503"}`),
			r.metric(hc, `tacheron_http_requests_total{route="/api/v1/search",status="410"}`)))
	}
	t.Logf("%d requests through nginx (%d pinned to a generation), %d failed, %d from a mixed generation; replicas answered (since their last start) %s",
		stats.requests.Load(), stats.pinned.Load(), stats.failures.Load(), stats.mixed.Load(), strings.Join(answers, ", "))
	if n := stats.failures.Load(); n > 0 {
		t.Errorf("%d requests failed through nginx; first ones:\n%s", n, strings.Join(stats.errors, "\n"))
	}
	if stats.pinned.Load() == 0 {
		t.Error("no page 2 was asked for at a generation")
	}
	// The killed replica resumed its download: it fetched less of that
	// generation than a replica that downloaded it in one go.
	for _, p := range pubs {
		if p.killed == "" {
			continue
		}
		full, resumed := installedBytes(replicas[0].log.String(), p.gen), installedBytes(replicas[2].log.String(), p.gen)
		t.Logf("generation %d: replica 1 downloaded %d bytes, the killed replica %d after its restart", p.gen, full, resumed)
		if full <= 0 || resumed < 0 {
			t.Errorf("generation %d: no download recorded (replica 1 %d bytes, the killed replica %d)", p.gen, full, resumed)
		}
		if resumed >= full {
			t.Errorf("generation %d: the killed replica did not resume (%d bytes after its restart, replica 1 %d); its follow log:\n%s", p.gen, resumed, full, followLines(replicas[2].log.String()))
		}
	}
	// No partial snapshot loaded: every snapshot a replica served was
	// validated and is one that was published; no reload failed.
	servedRE := regexp.MustCompile(`msg="serving index".* generation=(\d+)`)
	for _, r := range replicas {
		log := r.log.String()
		if strings.Contains(log, "reload failed") {
			t.Errorf("%s: a reload failed:\n%s", r.name, log)
		}
		for _, m := range servedRE.FindAllStringSubmatch(log, -1) {
			gen, _ := strconv.ParseUint(m[1], 10, 64)
			if !slices.Contains(published, gen) {
				t.Errorf("%s served generation %d, never published (published: %v)", r.name, gen, published)
			}
		}
	}
}

// followLines returns the lines of a replica's log written by its
// follower.
func followLines(log string) string {
	var lines []string
	for _, l := range strings.Split(log, "\n") {
		if strings.Contains(l, "follow") {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n")
}
