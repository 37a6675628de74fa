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
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
)

//go:embed data
var bundled embed.FS

// TaxonomyFile is the name of a corpus directory's taxonomy.
const TaxonomyFile = "concepts.json"

// manifestSuffix ends the name of the manifest beside a source file.
const manifestSuffix = ".manifest.json"

// A Corpus is a directory of sources, read recursively: every file is
// recognised by its content (see Format) and read into documents, except
// the taxonomy (concepts.json at the root; the bundled one when absent),
// manifests (NAME.manifest.json beside a source file) and hidden files.
type Corpus struct {
	fsys     fs.FS
	name     string
	files    []source
	taxonomy *Taxonomy
	// formatList are the formats files are recognised as, in order.
	formatList []Format
	skip       bool
	// skipped are the files Open left out; walkSkipped those the last
	// Walk left out.
	skipped     []Skipped
	walkSkipped []Skipped
	// repeated are the documents the last Walk read twice and kept once.
	repeated []Skipped
	// untagged is set during a walk that leaves tagging to its caller.
	untagged bool
}

// A source is a file of the corpus and the format it was recognised as.
type source struct {
	path   string
	format Format
}

// A Skipped is a file left out of the corpus, and why.
type Skipped struct {
	Path   string
	Reason string
}

// An Option changes how a corpus is opened.
type Option func(*Corpus) error

// WithFormats makes the corpus recognise files in the given formats, tried
// in order; without it a corpus reads archive dumps and JSON Lines only.
func WithFormats(formats ...Format) Option {
	return func(c *Corpus) error {
		if len(formats) == 0 {
			return errors.New("no format")
		}
		c.formatList = formats
		return nil
	}
}

// SkipUnsupported makes the corpus leave out, instead of failing on, a file
// in no known format or that its format cannot read (a PDF without text);
// Skipped lists them.
func SkipUnsupported(skip bool) Option {
	return func(c *Corpus) error {
		c.skip = skip
		return nil
	}
}

// ErrUnsupported marks a file tacheron cannot read (an unknown format, a
// scanned PDF, a missing tool). A Format's Read returns an error wrapping it
// before it emits any document; SkipUnsupported skips such files.
var ErrUnsupported = errors.New("unsupported file")

// Builtin returns the formats the corpus package reads itself: JSON Lines
// and archive dumps.
func Builtin() []Format {
	return []Format{JSONL(), Archive()}
}

// Bundled returns the corpus shipped in the binary: one month of a research
// blog on digital labor.
func Bundled() (*Corpus, error) {
	sub, err := fs.Sub(bundled, "data")
	if err != nil {
		return nil, err
	}
	return Open(sub, BundledName)
}

// BundledName is the name of the bundled corpus (Corpus.Name), as a
// snapshot records it.
const BundledName = "bundled corpus"

// OpenDir returns the corpus of a directory.
func OpenDir(dir string, opts ...Option) (*Corpus, error) {
	info, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("corpus: %w", err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("corpus: %s is not a directory", dir)
	}
	// Named by its absolute path: a snapshot records the name, and a
	// reindex reads the corpus again from wherever it runs.
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	return Open(os.DirFS(dir), dir, opts...)
}

// headBytes is how much of a file format detection sees.
const headBytes = 8 << 10

// Open returns the corpus at the root of fsys; name is used in messages.
// Every file under the root is recognised now, by its first bytes: a file
// in no known format is an error (or skipped, with SkipUnsupported).
func Open(fsys fs.FS, name string, opts ...Option) (*Corpus, error) {
	c := &Corpus{fsys: fsys, name: name, formatList: Builtin()}
	for _, o := range opts {
		if err := o(c); err != nil {
			return nil, fmt.Errorf("corpus %s: %w", name, err)
		}
	}
	err := fs.WalkDir(fsys, ".", func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		n := e.Name()
		if p != "." && strings.HasPrefix(n, ".") {
			if e.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if e.IsDir() || p == TaxonomyFile || strings.HasSuffix(n, manifestSuffix) {
			return nil
		}
		if !e.Type().IsRegular() && e.Type()&fs.ModeSymlink == 0 {
			return c.unsupported(p, "not a regular file")
		}
		f, reason, err := c.detect(p)
		if err != nil {
			return err
		}
		if f == nil {
			return c.unsupported(p, reason)
		}
		c.files = append(c.files, source{path: p, format: f})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("corpus %s: %w", name, err)
	}
	if len(c.files) == 0 {
		return nil, fmt.Errorf("corpus %s: no source file (%s)", name, c.formatNames())
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

// formatNames lists the names of the corpus's formats.
func (c *Corpus) formatNames() string {
	names := make([]string, len(c.formatList))
	for i, f := range c.formatList {
		names[i] = f.Name()
	}
	return "formats read: " + strings.Join(names, ", ")
}

// unsupported records a file that cannot be read, or fails.
func (c *Corpus) unsupported(p, reason string) error {
	if !c.skip {
		return fmt.Errorf("%s: %s (use --skip-unsupported to leave such files out): %w", p, reason, ErrUnsupported)
	}
	c.skipped = append(c.skipped, Skipped{Path: p, Reason: reason})
	return nil
}

// detect returns the format of the file at p, or a reason why none fits.
func (c *Corpus) detect(p string) (Format, string, error) {
	f, err := c.fsys.Open(p)
	if err != nil {
		return nil, "", err
	}
	defer f.Close()
	head := make([]byte, headBytes)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return nil, "", fmt.Errorf("%s: %w", p, err)
	}
	head = head[:n]
	for _, format := range c.formatList {
		if format.Detect(p, head) {
			return format, "", nil
		}
	}
	// A .txt or .jsonl no format recognises goes to the built-in reader of
	// that extension, whose error names the line at fault.
	for _, format := range c.formatList {
		switch format.(type) {
		case archiveFormat:
			if strings.HasSuffix(p, ".txt") {
				return format, "", nil
			}
		case jsonlFormat:
			if strings.HasSuffix(p, ".jsonl") {
				return format, "", nil
			}
		}
	}
	if n == 0 {
		return nil, "empty file", nil
	}
	return nil, "format not recognised (" + c.formatNames() + ")", nil
}

// Name returns the name the corpus was opened with.
func (c *Corpus) Name() string { return c.name }

// Files returns the source files, sorted, with their paths relative to the
// corpus root.
func (c *Corpus) Files() []string {
	out := make([]string, len(c.files))
	for i, f := range c.files {
		out[i] = f.path
	}
	return out
}

// FileFormats returns the name of the format of each file of Files.
func (c *Corpus) FileFormats() map[string]string {
	out := make(map[string]string, len(c.files))
	for _, f := range c.files {
		out[f.path] = f.format.Name()
	}
	return out
}

// Repeated returns the documents the last Walk found twice — the same
// source id, date and title, as in two overlapping saves of a feed or two
// exports of a blog — and kept once: the later copy, by its origin.
func (c *Corpus) Repeated() []Skipped { return c.repeated }

// Skipped returns the files left out by SkipUnsupported: those in no known
// format, found by Open, and those their format could not read, found by
// the last Walk.
func (c *Corpus) Skipped() []Skipped {
	return append(slices.Clip(c.skipped), c.walkSkipped...)
}

// Taxonomy returns the concepts documents are tagged with.
func (c *Corpus) Taxonomy() *Taxonomy { return c.taxonomy }

// manifest reads the manifest beside file, or returns defaults.
func (c *Corpus) manifest(file string) (Manifest, error) {
	base := strings.TrimSuffix(file, path.Ext(file))
	m := Manifest{DefaultSource: path.Base(base), DefaultLang: "fr"}
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

// Walk reads every document of the corpus, in file order (files sorted by
// path), tags its concepts and calls fn with it. Ids are unique: see
// idSet.claim.
func (c *Corpus) Walk(ctx context.Context, fn func(*Document) error) error {
	return c.WalkFiles(ctx, nil, func(_ string, d *Document, _ Claim) error {
		if d == nil {
			return nil
		}
		return fn(d)
	})
}

// WalkFiles is Walk for an incremental build. Before reading a file it
// calls reuse, when set, with the file's name: reuse returns the claims of
// the file's documents as an earlier walk made them, or false. When the
// claims are still what reading the file would make of its ids (the files
// before it claim the same ids), the file is not read: its ids are claimed
// and fn is not called for it. fn receives each document read with its
// file and its claim; a document skipped because an earlier file holds it
// already is passed as a nil document with its claim (Repeat set), so that
// the file's claims are complete.
func (c *Corpus) WalkFiles(ctx context.Context, reuse func(file string) ([]Claim, bool), fn func(file string, d *Document, claim Claim) error) error {
	return c.walkFiles(ctx, reuse, fn)
}

// WalkFilesUntagged is WalkFiles without tagging: the documents' Concepts
// are left as their source gave them, for the caller to tag (with
// Taxonomy.TagTerms, from the terms it analyses anyway).
func (c *Corpus) WalkFilesUntagged(ctx context.Context, reuse func(file string) ([]Claim, bool), fn func(file string, d *Document, claim Claim) error) error {
	c.untagged = true
	defer func() { c.untagged = false }()
	return c.walkFiles(ctx, reuse, fn)
}

func (c *Corpus) walkFiles(ctx context.Context, reuse func(file string) ([]Claim, bool), fn func(file string, d *Document, claim Claim) error) error {
	ids := newIDSet()
	c.walkSkipped = nil
	c.repeated = nil
	for _, src := range c.files {
		file := src.path
		if reuse != nil {
			if claims, ok := reuse(file); ok {
				if repeats, ok := ids.replay(claims, file); ok {
					c.repeated = append(c.repeated, repeats...)
					continue
				}
			}
		}
		m, err := c.manifest(file)
		if err != nil {
			return fmt.Errorf("corpus %s: %w", c.name, err)
		}
		ids.file = file
		clear(ids.claims)
		ids.onRepeat = func(cl Claim) error { return fn(file, nil, cl) }
		emit := func(d *Document) error { return fn(file, d, ids.claims[d.ID]) }
		switch src.format.(type) {
		case jsonlFormat:
			err = c.walkJSONL(ctx, file, m, ids, emit)
		case archiveFormat:
			err = c.walkArchive(file, m, ids, emit)
		default:
			err = c.walkFormat(ctx, src, m, ids, emit)
		}
		if errors.Is(err, errSkipped) {
			continue
		}
		if err != nil {
			var se *SyntaxError
			if errors.As(err, &se) {
				se.File = path.Join(c.name, se.File)
				return err
			}
			return fmt.Errorf("corpus %s: %w", c.name, err)
		}
	}
	return nil
}

// Fingerprint returns a hash of what file's documents are read from: the
// file and the manifest beside it.
func (c *Corpus) Fingerprint(file string) (string, error) {
	h := sha256.New()
	for _, name := range []string{file, strings.TrimSuffix(file, path.Ext(file)) + manifestSuffix} {
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

// errSkipped says a file was skipped as unsupported.
var errSkipped = errors.New("skipped")

// walkFormat reads one file through its format.
func (c *Corpus) walkFormat(ctx context.Context, src source, m Manifest, ids *idSet, fn func(*Document) error) error {
	f, err := c.fsys.Open(src.path)
	if err != nil {
		return err
	}
	defer f.Close()
	emitted := 0
	err = src.format.Read(src.path, f, func(d Document) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		emitted++
		if err := finish(src.path, emitted, &d, m); err != nil {
			return err
		}
		if err := ids.claim(&d, d.ID != ""); err != nil {
			var re *repeatError
			if errors.As(err, &re) {
				c.repeated = append(c.repeated, Skipped{Path: d.Origin, Reason: fmt.Sprintf("%q (id %s) %s", d.Title, d.ID, re.Error())})
				if ids.onRepeat != nil {
					return ids.onRepeat(Claim{ID: d.ID, Same: sameKey(d.Date, d.Title), Repeat: true, Origin: d.Origin, Title: d.Title})
				}
				return nil
			}
			return err
		}
		if !c.untagged {
			c.taxonomy.Tag(&d)
		}
		return fn(&d)
	})
	if err != nil && emitted == 0 && c.skip && errors.Is(err, ErrUnsupported) {
		c.walkSkipped = append(c.walkSkipped, Skipped{Path: src.path, Reason: err.Error()})
		return errSkipped
	}
	if err != nil && !errors.Is(err, ctx.Err()) {
		var se *SyntaxError
		if !errors.As(err, &se) && !strings.HasPrefix(err.Error(), src.path) {
			err = fmt.Errorf("%s: %w", src.path, err)
		}
	}
	return err
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

// idSet hands out unique ids. A source's own id (a WordPress guid, a feed
// entry's id, a JSON Lines id) is kept as it is, and repeating one is an
// error. An id derived from date and title that repeats gets a suffix that
// does not depend on the order files are read in: "-2", "-3"… for the
// second, third… of the same file, the file's path for a later file.
type idSet struct {
	seen map[string]string // id → origin
	// same maps a source's own id to its document's date and title (see
	// sameKey): the same document read twice (two overlapping saves of a
	// feed) is known by them.
	same map[string]string
	file string // the file being read
	// perFile counts derived ids in the file being read.
	perFile map[string]int
	perName string
	// claims are the claims of the file being read, by id.
	claims map[string]Claim
	// onRepeat, when set, is called with the claim of a document skipped
	// as a repeat.
	onRepeat func(Claim) error
}

func newIDSet() *idSet {
	return &idSet{seen: make(map[string]string), same: make(map[string]string), perFile: make(map[string]int), claims: make(map[string]Claim)}
}

// A Claim is the id a walk gave a document. Base is the id derived from
// its date and title, before it was made unique (empty for a source's own
// id); Same is sameKey of a source's own id's document. Repeat says the
// document was skipped, an earlier file holding it already (Origin and
// Title then say where and what it was).
type Claim struct {
	ID     string `json:"id"`
	Base   string `json:"base,omitempty"`
	Same   string `json:"same,omitempty"`
	Repeat bool   `json:"repeat,omitempty"`
	Origin string `json:"origin,omitempty"`
	Title  string `json:"title,omitempty"`
}

// sameKey is what tells a document read twice under its source's id.
func sameKey(date, title string) string {
	sum := sha256.Sum256([]byte(date + "\x00" + title))
	return hex.EncodeToString(sum[:8])
}

// replay claims the ids of a file that is not read again, if claiming them
// anew would give them the same ids, and reports whether it did, with the
// documents it skips as repeats.
func (s *idSet) replay(claims []Claim, file string) ([]Skipped, bool) {
	added := make(map[string]string, len(claims)) // id → same
	taken := func(id string) bool {
		_, seen := s.seen[id]
		_, add := added[id]
		return seen || add
	}
	perFile := map[string]int{}
	var repeats []Skipped
	for _, c := range claims {
		switch {
		case c.Repeat:
			same, ok := added[c.ID]
			if !ok {
				same, ok = s.same[c.ID]
			}
			if !ok || same != c.Same {
				return nil, false
			}
			first := s.seen[c.ID]
			if first == "" {
				first = file
			}
			repeats = append(repeats, Skipped{Path: c.Origin, Reason: fmt.Sprintf("%q (id %s) already read at %s", c.Title, c.ID, first)})
			continue
		case c.Base == "":
			if taken(c.ID) {
				return nil, false
			}
		default:
			perFile[c.Base]++
			n := perFile[c.Base]
			id := c.Base
			if n > 1 {
				id += "-" + strconv.Itoa(n)
			}
			if taken(id) {
				id = c.Base + "-" + slug(file)
				if n > 1 {
					id += "-" + strconv.Itoa(n)
				}
				for k := 2; taken(id); k++ {
					id = c.Base + "-" + slug(file) + "~" + strconv.Itoa(k)
				}
			}
			if id != c.ID {
				return nil, false
			}
		}
		added[c.ID] = c.Same
	}
	for id, same := range added {
		s.seen[id] = file
		if same != "" {
			s.same[id] = same
		}
	}
	return repeats, true
}

// claim makes doc's id unique; explicit says the id was given by the source.
// A document without an id gets one derived from its date and title.
func (s *idSet) claim(doc *Document, explicit bool) error {
	if s.perName != s.file {
		s.perName = s.file
		clear(s.perFile)
	}
	if doc.ID == "" {
		doc.ID = deriveID(doc.Date, doc.Title)
	}
	if explicit {
		same := sameKey(doc.Date, doc.Title)
		if origin, dup := s.seen[doc.ID]; dup {
			if s.same[doc.ID] == same {
				return &repeatError{first: origin}
			}
			file, line := splitOrigin(doc.Origin)
			return &SyntaxError{File: file, Line: line, Msg: fmt.Sprintf("id %q already used at %s", doc.ID, origin)}
		}
		s.seen[doc.ID] = doc.Origin
		s.same[doc.ID] = same
		s.claims[doc.ID] = Claim{ID: doc.ID, Same: same}
		return nil
	}
	base := doc.ID
	s.perFile[base]++
	if n := s.perFile[base]; n > 1 {
		doc.ID = base + "-" + strconv.Itoa(n)
	}
	if _, dup := s.seen[doc.ID]; dup {
		// Taken by another file: qualify with this file's path.
		doc.ID = base + "-" + slug(s.file)
		if n := s.perFile[base]; n > 1 {
			doc.ID += "-" + strconv.Itoa(n)
		}
		for n := 2; ; n++ {
			if _, dup := s.seen[doc.ID]; !dup {
				break
			}
			doc.ID = base + "-" + slug(s.file) + "~" + strconv.Itoa(n)
		}
	}
	s.seen[doc.ID] = doc.Origin
	s.claims[doc.ID] = Claim{ID: doc.ID, Base: base}
	return nil
}

// A repeatError says a document was already read, with the same id, date
// and title, at first.
type repeatError struct{ first string }

func (e *repeatError) Error() string { return "already read at " + e.first }

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
		if !c.untagged {
			c.taxonomy.Tag(&docs[i])
		}
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
					if !c.untagged {
						c.taxonomy.Tag(&doc)
					}
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
