package gate

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
)

// serverRefusal is what net/http writes, in one write, when it refuses a
// request whose header block exceeds http.Server.MaxHeaderBytes, before
// any handler runs.
const serverRefusal = "HTTP/1.1 431 Request Header Fields Too Large\r\n" +
	"Content-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n" +
	"431 Request Header Fields Too Large"

// ProblemListener returns l with the header-too-large refusals that
// net/http answers itself, in plain text, rewritten as the problem+json
// documents the handlers answer, with the same security headers: a client
// reads every refusal the same way. maxHeaderBytes is the server's
// MaxHeaderBytes, which the problem names.
func ProblemListener(l net.Listener, maxHeaderBytes int) net.Listener {
	return &problemListener{Listener: l, refusal: headerRefusal(maxHeaderBytes)}
}

type problemListener struct {
	net.Listener
	refusal []byte
}

func (l *problemListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &problemConn{Conn: c, refusal: l.refusal}, nil
}

// A problemConn rewrites the server's own refusal; everything else passes
// through unchanged. While corked (see WriteBody), what is written is held
// and then written at once.
type problemConn struct {
	net.Conn
	refusal []byte
	// corked holds writes in held until uncork. Only the goroutine
	// serving the connection's request writes to it, and corks it.
	corked bool
	held   []byte
}

// Bodies from minCorked to maxHeld bytes are written corked: net/http
// writes a smaller response in one write already; maxHeld is also the most
// a corked connection keeps between responses.
const (
	minCorked = 3 << 10
	maxHeld   = 64 << 10
)

// cork holds what is written until uncork.
func (c *problemConn) cork() { c.corked = true }

// uncork writes what was held in one write.
func (c *problemConn) uncork() error {
	c.corked = false
	if len(c.held) == 0 {
		return nil
	}
	_, err := c.Conn.Write(c.held)
	c.held = c.held[:0]
	if cap(c.held) > maxHeld {
		c.held = nil
	}
	return err
}

func (c *problemConn) Write(p []byte) (int, error) {
	if c.corked {
		c.held = append(c.held, p...)
		return len(p), nil
	}
	if len(p) == len(serverRefusal) && string(p) == serverRefusal {
		if _, err := c.Conn.Write(c.refusal); err != nil {
			return 0, err
		}
		return len(p), nil
	}
	return c.Conn.Write(p)
}

// connKey is the context key of a request's problemConn.
type connKey struct{}

// ConnContext is the ConnContext of an http.Server that serves a
// ProblemListener: it lets WriteBody write a response in one write to the
// connection (see corkedConn).
func ConnContext(ctx context.Context, c net.Conn) context.Context {
	if pc, ok := c.(*problemConn); ok {
		return context.WithValue(ctx, connKey{}, pc)
	}
	return ctx
}

// corkedConn returns the connection of r, corked, when it is a
// problemConn known through ConnContext, else nil. net/http writes a
// response larger than its 4 KiB buffer in two writes (the buffer, full,
// then the rest), each waking the client; corked, the response is written
// by the caller in one, once it has flushed the response and uncorked the
// connection.
func corkedConn(r *http.Request) *problemConn {
	c, _ := r.Context().Value(connKey{}).(*problemConn)
	if c != nil {
		c.cork()
	}
	return c
}

// headerRefusal is the HTTP response that replaces serverRefusal.
func headerRefusal(maxHeaderBytes int) []byte {
	body, _ := json.Marshal(Problem{
		Type: ProblemTooLarge, Title: "Request header fields too large", Status: http.StatusRequestHeaderFieldsTooLarge,
		Detail: fmt.Sprintf("the header block is over %d bytes, the server's limit", maxHeaderBytes),
	})
	h := http.Header{}
	SecureHeaders(h)
	h.Set("Content-Type", "application/problem+json")
	h.Set("Cache-Control", "no-store")
	h.Set("Connection", "close")
	h.Set("Content-Length", fmt.Sprint(len(body)))
	var b bytes.Buffer
	b.WriteString("HTTP/1.1 431 Request Header Fields Too Large\r\n")
	h.Write(&b)
	b.WriteString("\r\n")
	b.Write(body)
	return b.Bytes()
}
