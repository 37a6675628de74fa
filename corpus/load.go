package corpus

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"runtime"
	"sort"
	"strconv"
	"strings"
)

//go:embed data
var bundled embed.FS

// TaxonomyFile is the name of a corpus directory's taxonomy.
const TaxonomyFile = "concepts.json"

// manifestSuffix ends the name of the manifest beside a source file.
const manifestSuffix = ".manifest.json"

// A Corpus is a directory of sources: WordPress archive dumps (*.txt, each
// with an optional NAME.manifest.json beside it), JSON Lines files (*.jsonl)
// and the taxonomy (concepts.json; the bundled one when absent).
type Corpus struct {
	fsys     fs.FS
	name     string
	files    []string
	taxonomy *Taxonomy
}

// Bundled returns the corpus shipped in the binary: one month of a research
// blog on digital labor.
func Bundled() (*Corpus, error) {
	sub, err := fs.Sub(bundled, "data")
	if err != nil {
		return nil, err
	}
	return Open(sub, "bundled corpus")
}

// OpenDir returns the corpus of a directory.
func OpenDir(dir string) (*Corpus, error) {
	info, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("corpus: %w", err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("corpus: %s is not a directory", dir)
	}
	return Open(os.DirFS(dir), dir)
}

// Open returns the corpus at the root of fsys; name is used in messages.
func Open(fsys fs.FS, name string) (*Corpus, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("corpus %s: %w", name, err)
	}
	c := &Corpus{fsys: fsys, name: name}
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || strings.HasPrefix(n, ".") {
			continue
		}
		if strings.HasSuffix(n, ".txt") || strings.HasSuffix(n, ".jsonl") {
			c.files = append(c.files, n)
		}
	}
	sort.Strings(c.files)
	if len(c.files) == 0 {
		return nil, fmt.Errorf("corpus %s: no .txt archive or .jsonl file", name)
	}
	if _, err := fs.Stat(fsys, TaxonomyFile); err == nil {
		c.taxonomy, err = LoadTaxonomy(fsys, TaxonomyFile)
		if err != nil {
			return nil, fmt.Errorf("corpus %s: %w", name, err)
		}
	} else {
		sub, err := fs.Sub(bundled, "data")
		if err != nil {
			return nil, err
		}
		c.taxonomy, err = LoadTaxonomy(sub, TaxonomyFile)
		if err != nil {
			return nil, fmt.Errorf("bundled taxonomy: %w", err)
		}
	}
	return c, nil
}

// Name returns the name the corpus was opened with.
func (c *Corpus) Name() string { return c.name }

// Files returns the source files, sorted.
func (c *Corpus) Files() []string { return c.files }

// Taxonomy returns the concepts documents are tagged with.
func (c *Corpus) Taxonomy() *Taxonomy { return c.taxonomy }

// manifest reads the manifest beside file, or returns defaults.
func (c *Corpus) manifest(file string) (Manifest, error) {
	base := strings.TrimSuffix(strings.TrimSuffix(file, ".txt"), ".jsonl")
	m := Manifest{DefaultSource: base, DefaultLang: "fr"}
	data, err := fs.ReadFile(c.fsys, base+manifestSuffix)
	if errors.Is(err, fs.ErrNotExist) {
		return m, nil
	}
	if err != nil {
		return m, fmt.Errorf("%s: %w", base+manifestSuffix, err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return m, fmt.Errorf("%s: %w", path.Join(c.name, base+manifestSuffix), err)
	}
	return m, nil
}

// Walk reads every document of the corpus, in file order, tags its
// concepts and calls fn with it. Ids are unique: a derived id that repeats
// gets a numeric suffix; an explicit id that repeats is an error.
func (c *Corpus) Walk(ctx context.Context, fn func(*Document) error) error {
	return c.WalkFiles(ctx, nil, func(_ string, d *Document, _ Claim) error { return fn(d) })
}

// WalkFiles is Walk for an incremental build. Before reading a file it
// calls reuse, when set, with the file's name: reuse returns the claims of
// the file's documents as an earlier walk made them, or false. When the
// claims are still what reading the file would make of its ids (the files
// before it claim the same ids), the file is not read: its ids are claimed
// and fn is not called for it. fn receives each document read with its
// file and its claim.
func (c *Corpus) WalkFiles(ctx context.Context, reuse func(file string) ([]Claim, bool), fn func(file string, d *Document, claim Claim) error) error {
	ids := &idSet{seen: make(map[string]string), base: make(map[string]string)}
	for _, file := range c.files {
		if reuse != nil {
			if claims, ok := reuse(file); ok && ids.replay(claims, file) {
				continue
			}
		}
		m, err := c.manifest(file)
		if err != nil {
			return fmt.Errorf("corpus %s: %w", c.name, err)
		}
		emit := func(d *Document) error {
			return fn(file, d, Claim{ID: d.ID, Base: ids.base[d.ID]})
		}
		if strings.HasSuffix(file, ".jsonl") {
			err = c.walkJSONL(ctx, file, m, ids, emit)
		} else {
			err = c.walkArchive(file, m, ids, emit)
		}
		if err != nil {
			var se *SyntaxError
			if errors.As(err, &se) {
				se.File = path.Join(c.name, se.File)
			}
			return err
		}
	}
	return nil
}

// Fingerprint returns a hash of what file's documents are read from: the
// file and the manifest beside it.
func (c *Corpus) Fingerprint(file string) (string, error) {
	h := sha256.New()
	for _, name := range []string{file, strings.TrimSuffix(strings.TrimSuffix(file, ".txt"), ".jsonl") + manifestSuffix} {
		f, err := c.fsys.Open(name)
		if errors.Is(err, fs.ErrNotExist) && name != file {
			continue
		}
		if err != nil {
			return "", fmt.Errorf("corpus %s: %w", c.name, err)
		}
		fmt.Fprintf(h, "%s\x00", name)
		_, err = io.Copy(h, f)
		f.Close()
		if err != nil {
			return "", fmt.Errorf("corpus %s: %s: %w", c.name, name, err)
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Documents reads the whole corpus.
func (c *Corpus) Documents(ctx context.Context) ([]Document, error) {
	var docs []Document
	err := c.Walk(ctx, func(d *Document) error {
		docs = append(docs, *d)
		return nil
	})
	return docs, err
}

// idSet hands out unique ids.
type idSet struct {
	seen map[string]string // id → origin
	base map[string]string // id made unique → the id it was made from
}

// A Claim is the id a walk gave a document: ID, made from Base with a
// numeric suffix when Base was taken (Base is empty otherwise).
type Claim struct {
	ID   string `json:"id"`
	Base string `json:"base,omitempty"`
}

// replay claims the ids of a file that is not read again, if claiming them
// anew would give them the same ids, and reports whether it did.
func (s *idSet) replay(claims []Claim, file string) bool {
	added := make(map[string]bool, len(claims))
	taken := func(id string) bool {
		_, seen := s.seen[id]
		return seen || added[id]
	}
	for _, c := range claims {
		if c.Base == "" {
			if taken(c.ID) {
				return false
			}
		} else {
			if !taken(c.Base) {
				return false
			}
			n := 2
			for taken(c.Base + "-" + strconv.Itoa(n)) {
				n++
			}
			if c.Base+"-"+strconv.Itoa(n) != c.ID {
				return false
			}
		}
		added[c.ID] = true
	}
	for _, c := range claims {
		s.seen[c.ID] = file
		if c.Base != "" {
			s.base[c.ID] = c.Base
		}
	}
	return true
}

// claim makes doc's id unique; explicit says the id was given by the source.
func (s *idSet) claim(doc *Document, explicit bool) error {
	if origin, dup := s.seen[doc.ID]; dup {
		if explicit {
			file, line := splitOrigin(doc.Origin)
			return &SyntaxError{File: file, Line: line, Msg: fmt.Sprintf("id %q already used at %s", doc.ID, origin)}
		}
		base := doc.ID
		for n := 2; ; n++ {
			doc.ID = base + "-" + strconv.Itoa(n)
			if _, dup := s.seen[doc.ID]; !dup {
				break
			}
		}
		s.base[doc.ID] = base
	}
	s.seen[doc.ID] = doc.Origin
	return nil
}

// splitOrigin splits "file:line".
func splitOrigin(origin string) (string, int) {
	i := strings.LastIndexByte(origin, ':')
	if i < 0 {
		return origin, 0
	}
	n, _ := strconv.Atoi(origin[i+1:])
	return origin[:i], n
}

func (c *Corpus) walkArchive(file string, m Manifest, ids *idSet, fn func(*Document) error) error {
	data, err := fs.ReadFile(c.fsys, file)
	if err != nil {
		return fmt.Errorf("corpus %s: %w", c.name, err)
	}
	docs, err := ParseArchive(file, data, m)
	if err != nil {
		return err
	}
	// Make ids unique, then point mentions and their post at each other.
	var post *Document
	for i := range docs {
		d := &docs[i]
		if err := ids.claim(d, false); err != nil {
			return err
		}
		if d.Kind == Mention && post != nil {
			d.Parent = post.ID
			post.Mentions = append(post.Mentions, d.ID)
		} else if d.Kind != Mention {
			post = d
		}
	}
	for i := range docs {
		c.taxonomy.Tag(&docs[i])
		if err := fn(&docs[i]); err != nil {
			return err
		}
	}
	return nil
}

// jsonlBatch is a run of lines of a JSON Lines file, parsed by a worker.
type jsonlBatch struct {
	first int // line number of lines[0]
	lines [][]byte
	docs  []Document
	err   error
	done  chan struct{}
}

// batchLines is the number of lines a worker parses at once.
const batchLines = 256

func (c *Corpus) walkJSONL(ctx context.Context, file string, m Manifest, ids *idSet, fn func(*Document) error) error {
	f, err := c.fsys.Open(file)
	if err != nil {
		return fmt.Errorf("corpus %s: %w", c.name, err)
	}
	defer f.Close()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	workers := max(1, runtime.GOMAXPROCS(0))
	jobs := make(chan *jsonlBatch)
	order := make(chan *jsonlBatch, 2*workers)
	for range workers {
		go func() {
			for b := range jobs {
				for k, l := range b.lines {
					doc, err := ParseRecord(file, b.first+k, l, m)
					if err != nil {
						b.err = err
						break
					}
					c.taxonomy.Tag(&doc)
					b.docs = append(b.docs, doc)
				}
				close(b.done)
			}
		}()
	}
	readErr := make(chan error, 1)
	go func() {
		defer close(jobs)
		defer close(order)
		readErr <- readBatches(ctx, f, file, jobs, order)
	}()
	var firstErr error
	for b := range order {
		<-b.done
		if firstErr != nil {
			continue
		}
		if b.err != nil {
			firstErr = b.err
			cancel()
			continue
		}
		for i := range b.docs {
			d := &b.docs[i]
			if err := ids.claim(d, d.ID != deriveID(d.Date, d.Title)); err != nil {
				firstErr = err
				cancel()
				break
			}
			if err := fn(d); err != nil {
				firstErr = err
				cancel()
				break
			}
		}
	}
	if err := <-readErr; firstErr == nil && err != nil && !errors.Is(err, context.Canceled) {
		firstErr = err
	}
	if firstErr == nil {
		firstErr = ctx.Err()
	}
	return firstErr
}

// readBatches splits a JSON Lines stream into batches of non-empty lines.
func readBatches(ctx context.Context, r io.Reader, file string, jobs, order chan<- *jsonlBatch) error {
	br := bufio.NewReaderSize(r, 1<<20)
	lineNo := 0
	b := &jsonlBatch{done: make(chan struct{})}
	send := func() error {
		if len(b.lines) == 0 {
			return nil
		}
		select {
		case order <- b:
		case <-ctx.Done():
			return ctx.Err()
		}
		select {
		case jobs <- b:
		case <-ctx.Done():
			close(b.done)
			return ctx.Err()
		}
		b = &jsonlBatch{done: make(chan struct{})}
		return nil
	}
	for {
		l, err := readLine(br)
		if len(l) > 0 || err == nil {
			lineNo++
		}
		if errors.Is(err, errLongLine) {
			if serr := send(); serr != nil {
				return serr
			}
			return &SyntaxError{File: file, Line: lineNo, Msg: fmt.Sprintf("line longer than %d bytes", maxLineBytes)}
		}
		if t := bytes.TrimSpace(l); len(t) > 0 {
			if len(b.lines) == 0 {
				b.first = lineNo
			}
			if b.first+len(b.lines) != lineNo {
				// A blank line broke the run: keep line numbers exact.
				if serr := send(); serr != nil {
					return serr
				}
				b.first = lineNo
			}
			b.lines = append(b.lines, t)
			if len(b.lines) == batchLines {
				if serr := send(); serr != nil {
					return serr
				}
			}
		}
		if err == io.EOF {
			return send()
		}
		if err != nil {
			if serr := send(); serr != nil {
				return serr
			}
			if lineNo == 0 {
				return fmt.Errorf("%s: cannot read: %w", file, err)
			}
			return fmt.Errorf("%s: read after line %d: %w", file, lineNo, err)
		}
	}
}

// errLongLine reports a line over maxLineBytes.
var errLongLine = errors.New("line too long")

// readLine reads one line without its newline.
func readLine(br *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if len(line)+len(chunk) > maxLineBytes {
			return nil, errLongLine
		}
		line = append(line, chunk...)
		if err == bufio.ErrBufferFull {
			continue
		}
		if len(line) > 0 && line[len(line)-1] == '\n' {
			line = line[:len(line)-1]
		}
		return line, err
	}
}
