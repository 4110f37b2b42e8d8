package loadgen

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"time"
)

// conn is one keep-alive HTTP/1.1 connection that sends the same request again and again. It
// is deliberately minimal (no pipelining, no chunked bodies): the servers under test answer
// with Content-Length, and every microsecond the client spends is a microsecond the server is
// not measured for.
type conn struct {
	addr string
	c    net.Conn
	r    *bufio.Reader
	req  []byte
	body []byte // the last response body, when keepBody is set
	keep bool

	wantType    bool   // record the Content-Type of responses (verification only)
	contentType string // the last response's
}

// request builds the bytes of a POST (payload != nil) or GET request.
func request(addr, method, path, contentType string, payload []byte) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\nHost: %s\r\n", method, path, addr)
	if payload != nil {
		fmt.Fprintf(&b, "Content-Type: %s\r\nContent-Length: %d\r\n", contentType, len(payload))
	}
	b.WriteString("\r\n")
	b.Write(payload)
	return b.Bytes()
}

func dial(addr string, req []byte, keepBody bool) (*conn, error) {
	c := &conn{addr: addr, req: req, keep: keepBody}
	return c, c.redial()
}

func (c *conn) redial() error {
	if c.c != nil {
		c.c.Close()
	}
	nc, err := net.DialTimeout("tcp", c.addr, 5*time.Second)
	if err != nil {
		return err
	}
	if tc, ok := nc.(*net.TCPConn); ok {
		tc.SetNoDelay(true)
	}
	c.c = nc
	c.r = bufio.NewReaderSize(nc, 64<<10)
	return nil
}

func (c *conn) close() {
	if c.c != nil {
		c.c.Close()
	}
}

var errNoLength = errors.New("response without Content-Length")

// head is what a response's header lines say that the load generator reads.
type head struct {
	length      int    // Content-Length; -1 until one is read
	closing     bool   // Connection: close
	wantType    bool   // read Content-Type (the verifier's client)
	contentType string // Content-Type, when wanted
}

// header reads one header line h (its CRLF, if any, is trimmed with the value): a
// Content-Length that is not a non-negative number is an error; a line without a colon, or
// a header nobody reads, is passed over.
func (hd *head) header(h []byte) error {
	name, value, ok := bytes.Cut(h, []byte{':'})
	if !ok {
		return nil
	}
	value = bytes.TrimSpace(value)
	switch {
	case bytes.EqualFold(name, []byte("Content-Length")):
		n, err := strconv.Atoi(string(value))
		if err != nil || n < 0 {
			return fmt.Errorf("malformed Content-Length %q", value)
		}
		hd.length = n
	case bytes.EqualFold(name, []byte("Connection")) && bytes.EqualFold(value, []byte("close")):
		hd.closing = true
	case hd.wantType && bytes.EqualFold(name, []byte("Content-Type")):
		hd.contentType = string(value)
	}
	return nil
}

// do sends the request and reads the whole response. It returns the status code.
func (c *conn) do(deadline time.Time) (int, error) {
	c.c.SetDeadline(deadline)
	if _, err := c.c.Write(c.req); err != nil {
		return 0, err
	}
	line, err := c.r.ReadSlice('\n')
	if err != nil {
		return 0, err
	}
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.")) {
		return 0, fmt.Errorf("malformed status line %q", line)
	}
	status, err := strconv.Atoi(string(line[9:12]))
	if err != nil {
		return 0, fmt.Errorf("malformed status line %q", line)
	}
	hd := head{length: -1, wantType: c.wantType}
	for {
		h, err := c.r.ReadSlice('\n')
		if err != nil {
			return 0, err
		}
		if len(h) <= 2 {
			break
		}
		if err := hd.header(h); err != nil {
			return 0, err
		}
	}
	length, closeAfter := hd.length, hd.closing
	c.contentType = hd.contentType
	if length < 0 {
		return 0, errNoLength
	}
	if c.keep {
		if cap(c.body) < length {
			c.body = make([]byte, length)
		}
		c.body = c.body[:length]
		if _, err := io.ReadFull(c.r, c.body); err != nil {
			return 0, err
		}
	} else if _, err := c.r.Discard(length); err != nil {
		return 0, err
	}
	if closeAfter {
		if err := c.redial(); err != nil {
			return status, err
		}
	}
	return status, nil
}
