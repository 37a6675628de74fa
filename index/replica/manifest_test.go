package replica

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseLocation(t *testing.T) {
	tests := []struct {
		in      string
		want    Location
		wantErr bool
	}{
		{in: "s3://bucket", want: Location{Bucket: "bucket"}},
		{in: "s3://bucket/", want: Location{Bucket: "bucket"}},
		{in: "s3://bucket/tacheron/prod", want: Location{Bucket: "bucket", Prefix: "tacheron/prod"}},
		{in: "s3://bucket/tacheron/prod/", want: Location{Bucket: "bucket", Prefix: "tacheron/prod"}},
		{in: "s3://my.bucket-1/p", want: Location{Bucket: "my.bucket-1", Prefix: "p"}},
		{in: "https://bucket/prefix", wantErr: true},
		{in: "bucket/prefix", wantErr: true},
		{in: "s3:///prefix", wantErr: true},
		{in: "s3://bucket/a/../b", wantErr: true},
		{in: "s3://bucket/a//b", wantErr: true},
		{in: "s3://user@bucket/p", wantErr: true},
		{in: "s3://bucket/p?versionId=1", wantErr: true},
		{in: "s3:bucket", wantErr: true},
	}
	for _, tt := range tests {
		got, err := ParseLocation(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseLocation(%q) = %#v, %v; want %#v, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
		if err == nil && !strings.HasPrefix(got.String(), "s3://"+got.Bucket) {
			t.Errorf("ParseLocation(%q).String() = %q", tt.in, got.String())
		}
	}
}

func TestLocationKey(t *testing.T) {
	if got := (Location{Bucket: "b"}).key("CURRENT"); got != "CURRENT" {
		t.Errorf("key without prefix = %q, want CURRENT", got)
	}
	if got := (Location{Bucket: "b", Prefix: "x/y"}).key("CURRENT"); got != "x/y/CURRENT" {
		t.Errorf("key with prefix = %q, want x/y/CURRENT", got)
	}
}

const sum0 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" // sha256 of nothing

func TestParseManifest(t *testing.T) {
	tests := []struct {
		name, in string
		wantErr  string
	}{
		{"ok", `{"generation":3,"files":[{"path":"a","size":0,"sha256":"` + sum0 + `"},{"path":"d/b","size":0,"sha256":"` + sum0 + `"}]}`, ""},
		{"other generation", `{"generation":4,"files":[{"path":"a","size":0,"sha256":"` + sum0 + `"}]}`, "names generation 4"},
		{"no files", `{"generation":3,"files":[]}`, "lists no files"},
		{"not json", `{"generation":3,`, "manifest of generation 3"},
		{"dot dot", `{"generation":3,"files":[{"path":"../a","size":0,"sha256":"` + sum0 + `"}]}`, "bad path"},
		{"absolute", `{"generation":3,"files":[{"path":"/a","size":0,"sha256":"` + sum0 + `"}]}`, "bad path"},
		{"dot", `{"generation":3,"files":[{"path":".","size":0,"sha256":"` + sum0 + `"}]}`, "bad path"},
		{"backslash", `{"generation":3,"files":[{"path":"a\\b","size":0,"sha256":"` + sum0 + `"}]}`, "bad path"},
		{"in-use", `{"generation":3,"files":[{"path":"IN-USE","size":0,"sha256":"` + sum0 + `"}]}`, "reserved"},
		{"part", `{"generation":3,"files":[{"path":"a.part","size":0,"sha256":"` + sum0 + `"}]}`, "reserved"},
		{"twice", `{"generation":3,"files":[{"path":"a","size":0,"sha256":"` + sum0 + `"},{"path":"a","size":0,"sha256":"` + sum0 + `"}]}`, "twice"},
		{"negative size", `{"generation":3,"files":[{"path":"a","size":-1,"sha256":"` + sum0 + `"}]}`, "size -1"},
		{"short sum", `{"generation":3,"files":[{"path":"a","size":0,"sha256":"e3b0"}]}`, "not a SHA-256"},
	}
	for _, tt := range tests {
		_, err := parseManifest([]byte(tt.in), 3)
		if tt.wantErr == "" && err != nil || tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
			t.Errorf("%s: parseManifest(%s) error = %v, want %q", tt.name, tt.in, err, tt.wantErr)
		}
	}
}

func TestParsePointer(t *testing.T) {
	p, err := parsePointer([]byte(`{"generation":7,"published":"2026-01-02T03:04:05Z"}`))
	if err != nil || p.Generation != 7 || p.Published.Year() != 2026 {
		t.Errorf("parsePointer = %+v, %v; want generation 7 published in 2026", p, err)
	}
	for _, bad := range []string{`{}`, `{"generation":0}`, `7`, ``} {
		if _, err := parsePointer([]byte(bad)); err == nil {
			t.Errorf("parsePointer(%q) succeeded, want an error", bad)
		}
	}
}

func TestScan(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("tacheron.json", "{}")
	write("bleve-0/store/root.bolt", "")
	write("IN-USE", "")
	m, err := scan(dir, 5)
	if err != nil {
		t.Fatal(err)
	}
	want := []File{
		{Path: "bleve-0/store/root.bolt", Size: 0, SHA256: sum0},
		{Path: "tacheron.json", Size: 2, SHA256: "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"},
	}
	if m.Generation != 5 || len(m.Files) != len(want) {
		t.Fatalf("scan = %+v, want generation 5 and %+v", m, want)
	}
	for i := range want {
		if m.Files[i] != want[i] {
			t.Errorf("scan file %d = %+v, want %+v", i, m.Files[i], want[i])
		}
	}
	if m.Bytes() != 2 {
		t.Errorf("Bytes() = %d, want 2", m.Bytes())
	}
	if _, err := scan(t.TempDir(), 1); err == nil {
		t.Error("scan of an empty directory succeeded, want an error")
	}
}
