package gate

import (
	"bytes"
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
// through unchanged.
type problemConn struct {
	net.Conn
	refusal []byte
}

func (c *problemConn) Write(p []byte) (int, error) {
	if len(p) == len(serverRefusal) && string(p) == serverRefusal {
		if _, err := c.Conn.Write(c.refusal); err != nil {
			return 0, err
		}
		return len(p), nil
	}
	return c.Conn.Write(p)
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
