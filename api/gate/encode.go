package gate

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"
	"github.com/klauspost/compress/gzip"
)

// EncodeJSON writes v as the API writes it: compact, with <, > and &
// left as they are (highlights hold <mark>), and a final newline.
func EncodeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// pools holds the buffers that responses reuse.
type pools struct {
	buffers sync.Pool
	slices  sync.Pool // of *[]byte, for WriteAppended
}

func (p *pools) buffer() *bytes.Buffer {
	if b, ok := p.buffers.Get().(*bytes.Buffer); ok {
		b.Reset()
		return b
	}
	return new(bytes.Buffer)
}

func (p *pools) putBuffer(b *bytes.Buffer) {
	if b.Cap() <= 1<<20 {
		p.buffers.Put(b)
	}
}

// WriteJSON answers with v encoded as JSON.
func (s *Front) WriteJSON(c *gin.Context, status int, contentType string, v any) {
	buf := s.pools.buffer()
	defer s.pools.putBuffer(buf)
	if err := EncodeJSON(buf, v); err != nil {
		s.Log.ErrorContext(c.Request.Context(), "encode response", "route", RouteOf(c), "err", err)
		buf.Reset()
		p := InternalError()
		EncodeJSON(buf, p)
		status, contentType = p.Status, "application/problem+json"
	}
	s.WriteBody(c, status, contentType, buf.Bytes())
}

// WriteAppended answers with the body that appendBody appends to a
// reused buffer: a response encoded without reflection. When appendBody
// fails, it answers with v as WriteJSON does (which reports the error).
func (s *Front) WriteAppended(c *gin.Context, status int, contentType string, appendBody func([]byte) ([]byte, error), v any) {
	p, ok := s.pools.slices.Get().(*[]byte)
	if !ok {
		p = new([]byte)
	}
	body, err := appendBody((*p)[:0])
	if err != nil {
		s.pools.slices.Put(p)
		s.WriteJSON(c, status, contentType, v)
		return
	}
	s.WriteBody(c, status, contentType, body)
	if cap(body) <= 1<<20 {
		*p = body
		s.pools.slices.Put(p)
	}
}

// WriteBody answers with body, gzipped when it is large and the client
// accepts gzip. Headers are all set before the status is written.
func (s *Front) WriteBody(c *gin.Context, status int, contentType string, body []byte) {
	h := c.Writer.Header()
	h.Set("Content-Type", contentType)
	h.Del("Content-Encoding")
	if len(body) >= GzipMinBytes {
		h.Add("Vary", "Accept-Encoding")
		if acceptsGzip(c.Request.Header.Values("Accept-Encoding")) {
			zbuf := s.pools.buffer()
			defer s.pools.putBuffer(zbuf)
			// Stateless compression keeps no compressor state between
			// responses: about as small as gzip's fastest level, at a
			// fraction of its time and memory.
			z, _ := gzip.NewWriterLevel(zbuf, gzip.StatelessCompression)
			z.Write(body)
			z.Close()
			body = zbuf.Bytes()
			h.Set("Content-Encoding", "gzip")
		}
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	if len(body) > minCorked && len(body) <= maxHeld {
		if conn := corkedConn(c.Request); conn != nil {
			// The status line, the header fields and the body go out in
			// one write.
			defer conn.uncork()
			defer c.Writer.Flush()
		}
	}
	c.Writer.WriteHeader(status)
	if c.Request.Method != http.MethodHead {
		c.Writer.Write(body)
	}
}

// acceptsGzip reports whether Accept-Encoding values accept gzip (RFC
// 9110 section 12.5.3): listed, or covered by "*", with a non-zero weight.
func acceptsGzip(values []string) bool {
	gzipQ, starQ := -1.0, -1.0
	for _, v := range values {
		for item := range strings.SplitSeq(v, ",") {
			coding, params, _ := strings.Cut(item, ";")
			q := 1.0
			if name, value, ok := strings.Cut(strings.TrimSpace(params), "="); ok && strings.EqualFold(strings.TrimSpace(name), "q") {
				f, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
				if err != nil {
					continue
				}
				q = f
			}
			switch strings.ToLower(strings.TrimSpace(coding)) {
			case "gzip", "x-gzip":
				gzipQ = q
			case "*":
				starQ = q
			}
		}
	}
	if gzipQ >= 0 {
		return gzipQ > 0
	}
	return starQ > 0
}
