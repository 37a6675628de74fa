package api

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"tacheron/api/gate"
	"tacheron/index"
)

// FeedEntries is the number of entries of a search's Atom feed: its newest
// documents.
const FeedEntries = 50

// atomFeed is an RFC 4287 feed.
type atomFeed struct {
	XMLName  xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang     string      `xml:"xml:lang,attr,omitempty"`
	ID       string      `xml:"id"`
	Title    string      `xml:"title"`
	Subtitle string      `xml:"subtitle,omitempty"`
	Updated  string      `xml:"updated"`
	Author   atomPerson  `xml:"author"`
	Links    []atomLink  `xml:"link"`
	Gen      atomGen     `xml:"generator"`
	Entries  []atomEntry `xml:"entry"`
}

type atomGen struct {
	URI  string `xml:"uri,attr,omitempty"`
	Name string `xml:",chardata"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
}

type atomText struct {
	Type string `xml:"type,attr,omitempty"`
	Body string `xml:",chardata"`
}

type atomCategory struct {
	Term  string `xml:"term,attr"`
	Label string `xml:"label,attr,omitempty"`
}

type atomEntry struct {
	ID         string         `xml:"id"`
	Title      string         `xml:"title"`
	Updated    string         `xml:"updated"`
	Published  string         `xml:"published,omitempty"`
	Authors    []atomPerson   `xml:"author"`
	Links      []atomLink     `xml:"link"`
	Summary    atomText       `xml:"summary"`
	Categories []atomCategory `xml:"category"`
}

// feedParams are the search parameters that define a feed (and its id):
// not the page, the sort, the facets or the format.
var feedParams = []string{"q", "source", "concept", "kind", "lang", "author", "tag", "from", "to", "collapse"}

// feedID returns a search's feed id: the same for the same search,
// whatever the order of its parameters and across reindexing.
func feedID(v url.Values) string {
	var b strings.Builder
	for _, name := range feedParams {
		vs := slices.Clone(v[name])
		slices.Sort(vs)
		for _, s := range vs {
			b.WriteString(name + "=" + strings.TrimSpace(s) + "\n")
		}
	}
	sum := sha256.Sum256([]byte(b.String()))
	return "urn:tacheron:search:" + hex.EncodeToString(sum[:12])
}

// entryID returns the id of a document's entry: document ids are stable
// across reindexing.
func entryID(id string) string { return "urn:tacheron:document:" + url.PathEscape(id) }

// baseURL returns the scheme and host a request reached.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// pageParams returns the page's parameters of a feed's search.
func pageParams(v url.Values) url.Values {
	out := url.Values{}
	for _, name := range feedParams {
		for _, s := range v[name] {
			out.Add(name, s)
		}
	}
	return out
}

// markTags are the <mark> tags of a highlight.
var markTags = regexp.MustCompile(`</?mark>`)

// atom answers a search as an Atom feed: its newest FeedEntries documents
// that match every word, newest first.
func (s *Server) atom(c *gin.Context, req index.Request, v url.Values) {
	req.Sort, req.Offset, req.Limit = index.SortDateDesc, 0, FeedEntries
	req.Facets, req.Highlight, req.ExcludeRelated = []string{}, true, true
	res, err := s.Searcher.Search(c.Request.Context(), req)
	if err != nil {
		s.fail(c, err)
		return
	}
	gate.SetGeneration(c, res.Generation)
	base := baseURL(c.Request)
	page := pageParams(v)
	title := "tacheron"
	if q := strings.TrimSpace(req.Query); q != "" {
		title = "tacheron : " + q
	}
	self := url.Values{}
	for k, vs := range page {
		self[k] = vs
	}
	self.Set("format", "atom")
	f := atomFeed{
		ID: feedID(v), Title: title, Author: atomPerson{Name: "tacheron"},
		Subtitle: "Les documents les plus récents qui contiennent tous les mots de la recherche. The newest documents with every word of the search.",
		Links: []atomLink{
			{Href: base + "/api/v1/search?" + self.Encode(), Rel: "self", Type: "application/atom+xml"},
			{Href: base + "/?" + page.Encode(), Rel: "alternate", Type: "text/html"},
		},
		Gen:     atomGen{Name: "tacheron"},
		Updated: "1970-01-01T00:00:00Z",
	}
	for _, h := range res.Hits {
		updated := atomTime(h.Date, h.Published)
		if updated > f.Updated {
			f.Updated = updated
		}
		link := url.Values{}
		link.Set("doc", h.ID)
		if q := strings.TrimSpace(req.Query); q != "" {
			link.Set("q", q)
		}
		e := atomEntry{
			ID: entryID(h.ID), Title: h.Title, Updated: updated, Published: updated,
			Links:      []atomLink{{Href: base + "/?" + link.Encode(), Rel: "alternate", Type: "text/html"}},
			Categories: []atomCategory{{Term: h.Kind}},
		}
		// The document's authors; without them, its source (an entry
		// must have an author when the feed's does not say it for all).
		for _, a := range h.Authors {
			if a = strings.TrimSpace(a); a != "" {
				e.Authors = append(e.Authors, atomPerson{Name: a})
			}
		}
		if len(e.Authors) == 0 {
			e.Authors = []atomPerson{{Name: h.Source}}
			if h.Source == "" {
				e.Authors[0].Name = "tacheron"
			}
		}
		for _, cc := range h.Concepts {
			e.Categories = append(e.Categories, atomCategory{Term: cc})
		}
		summary := strings.Join(h.Highlights["body"], " … ")
		if summary == "" {
			summary = markTags.ReplaceAllString(strings.Join(h.Highlights["title"], ""), "")
		}
		if h.Source != "" {
			summary = html.EscapeString(h.Source) + " · " + h.Date + " — " + summary
		}
		e.Summary = atomText{Type: "html", Body: summary}
		f.Entries = append(f.Entries, e)
	}
	body, err := xml.MarshalIndent(f, "", " ")
	if err != nil {
		s.fail(c, err)
		return
	}
	s.WriteBody(c, http.StatusOK, "application/atom+xml; charset=utf-8", append([]byte(xml.Header), append(body, '\n')...))
}

// atomTime returns an entry's time as RFC 3339 in UTC, so that times
// compare as strings: its time of publication, else its day's midnight.
func atomTime(date, published string) string {
	if t, err := time.Parse(time.RFC3339, published); err == nil {
		return t.UTC().Format(time.RFC3339)
	}
	return date + "T00:00:00Z"
}
