package feed

import (
	"bytes"
	"fmt"
	"testing"

	"tacheron/corpus"
)

// BenchmarkRead measures parsing throughput (MB/s) on an RSS 2.0 feed of
// about 4 MB.
func BenchmarkRead(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Bench</title>`)
	for i := 0; buf.Len() < 4<<20; i++ {
		fmt.Fprintf(&buf, `<item><title>Billet %d sur le travail des plateformes</title><link>https://b.example/%d</link><dc:creator><![CDATA[Auteur]]></dc:creator><pubDate>Thu, 13 Apr 2023 22:30:00 +0000</pubDate><category><![CDATA[micro-travail]]></category><guid isPermaLink="false">https://b.example/?p=%d</guid><description><![CDATA[Résumé.]]></description><content:encoded><![CDATA[<p>Les plateformes numériques reposent sur le <strong>travail invisible</strong> de millions de personnes qui annotent, trient et modèrent des contenus.</p><p>The gig economy extends far beyond ride-hailing and delivery.</p>]]></content:encoded></item>`, i, i, i)
	}
	buf.WriteString(`</channel></rss>`)
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if err := Format().Read("bench.xml", bytes.NewReader(data), func(corpus.Document) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
}
