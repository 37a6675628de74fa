package wordpress

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"tacheron/corpus"
)

// writeExport writes a WordPress export of about size bytes to w: posts of
// a few paragraphs with Gutenberg blocks, tags and comments, in the shape
// of a real WXR 1.2 file.
func writeExport(w io.Writer, size int64) (posts int, err error) {
	bw := bufio.NewWriterSize(w, 1<<20)
	fmt.Fprint(bw, `<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Generated</title><link>https://gen.example.org</link><wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>https://gen.example.org</wp:base_site_url>
<wp:author><wp:author_login><![CDATA[a]]></wp:author_login><wp:author_display_name><![CDATA[Auteur Généré]]></wp:author_display_name></wp:author>
`)
	para := "<!-- wp:paragraph -->\n<p>Les plateformes numériques reposent sur le <strong>travail invisible</strong> de millions de personnes qui annotent, trient et modèrent des contenus ; the gig economy extends far beyond ride-hailing and delivery.</p>\n<!-- /wp:paragraph -->\n\n"
	var written int64
	for written < size {
		posts++
		item := fmt.Sprintf(`<item><title><![CDATA[Billet numéro %d sur le digital labor]]></title><link>https://gen.example.org/%d/</link>
<dc:creator><![CDATA[a]]></dc:creator><guid isPermaLink="false">https://gen.example.org/?p=%d</guid>
<content:encoded><![CDATA[%s]]></content:encoded><excerpt:encoded><![CDATA[]]></excerpt:encoded>
<wp:post_id>%d</wp:post_id><wp:post_date><![CDATA[2017-03-%02d 10:00:00]]></wp:post_date><wp:status><![CDATA[publish]]></wp:status>
<wp:post_type><![CDATA[post]]></wp:post_type><wp:post_password><![CDATA[]]></wp:post_password>
<category domain="category" nicename="recherche"><![CDATA[Recherche]]></category><category domain="post_tag" nicename="t%d"><![CDATA[tag %d]]></category>
<wp:comment><wp:comment_id>%d</wp:comment_id><wp:comment_content><![CDATA[Merci pour ce billet.]]></wp:comment_content></wp:comment>
</item>
`, posts, posts, posts, strings.Repeat(para, 3+posts%6), posts, 1+posts%28, posts%50, posts%50, posts)
		n, err := bw.WriteString(item)
		if err != nil {
			return posts, err
		}
		written += int64(n)
	}
	fmt.Fprint(bw, "</channel>\n</rss>\n")
	return posts, bw.Flush()
}

// BenchmarkRead measures parsing throughput (MB/s) on an export of 8 MB in
// memory.
func BenchmarkRead(b *testing.B) {
	var buf bytes.Buffer
	if _, err := writeExport(&buf, 8<<20); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		err := Format().Read("bench.xml", bytes.NewReader(data), func(corpus.Document) error { return nil })
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHeap200MB streams a 200 MB export generated into a temporary
// file and reports the peak live heap seen while reading it (peak-heap-MB,
// sampled every 200 posts after a collection).
func BenchmarkHeap200MB(b *testing.B) {
	path := filepath.Join(b.TempDir(), "export.xml")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	posts, err := writeExport(f, 200<<20)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		b.Fatal(err)
	}
	info, _ := os.Stat(path)
	b.SetBytes(info.Size())
	var peak uint64
	for b.Loop() {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		err = Format().Read("export.xml", f, func(corpus.Document) error {
			if n++; n%200 == 0 {
				runtime.GC()
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapAlloc)
			}
			return nil
		})
		f.Close()
		if err != nil || n != posts {
			b.Fatalf("read %d of %d posts: %v", n, posts, err)
		}
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	b.ReportMetric(float64(info.Size())/(1<<20), "file-MB")
}
