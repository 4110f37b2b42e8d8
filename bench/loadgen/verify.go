package loadgen

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"net"
	"time"
)

// VerifyEcho checks a server against the echo workload's contract (workloads/README.md)
// before any load is timed: random payloads of 0 B, 64 B, 1 KiB, 16 KiB and 1 MiB come back
// byte for byte with the right Content-Length and the request's Content-Type, several on one
// keep-alive connection; GET /health answers 200; unknown paths and a GET of /echo answer 404;
// and neither a malformed request line nor a truncated body brings the server down.
func VerifyEcho(addr string) error {
	deadline := func() time.Time { return time.Now().Add(10 * time.Second) }
	rng := rand.New(rand.NewPCG(7, 11))
	var ka *conn
	for _, size := range []int{0, 64, 1 << 10, 16 << 10, 1 << 20} {
		payload := make([]byte, size)
		for i := range payload {
			payload[i] = byte(rng.Uint32())
		}
		const ctype = "application/x-gorustbench-check"
		req := request(addr, "POST", "/echo", ctype, payload)
		if ka == nil {
			var err error
			if ka, err = dial(addr, req, true); err != nil {
				return fmt.Errorf("cannot connect: %w", err)
			}
			defer ka.close()
		}
		ka.req = req
		status, hdr, err := ka.doHeaders(deadline())
		if err != nil {
			return fmt.Errorf("POST /echo with %d bytes: %w", size, err)
		}
		switch {
		case status != 200:
			return fmt.Errorf("POST /echo with %d bytes answered %d, want 200", size, status)
		case !bytes.Equal(ka.body, payload):
			return fmt.Errorf("POST /echo with %d bytes returned %d different bytes", size, len(ka.body))
		case hdr.contentType != ctype:
			return fmt.Errorf("POST /echo returned Content-Type %q, want the request's %q", hdr.contentType, ctype)
		}
	}
	for _, tc := range []struct {
		method, path string
		status       int
	}{{"GET", "/health", 200}, {"GET", "/nope", 404}, {"GET", "/echo", 404}, {"POST", "/health/x", 404}} {
		ka.req = request(addr, tc.method, tc.path, "", nil)
		status, _, err := ka.doHeaders(deadline())
		if err != nil {
			return fmt.Errorf("%s %s: %w", tc.method, tc.path, err)
		}
		if status != tc.status {
			return fmt.Errorf("%s %s answered %d, want %d", tc.method, tc.path, status, tc.status)
		}
	}
	// Abuse that must not kill the server; then it must still answer.
	for _, raw := range []string{
		"GARBAGE\r\n\r\n",
		"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123456789",
	} {
		c, err := net.DialTimeout("tcp", addr, 5*time.Second)
		if err != nil {
			return fmt.Errorf("cannot connect: %w", err)
		}
		c.SetDeadline(time.Now().Add(2 * time.Second))
		c.Write([]byte(raw))
		c.Read(make([]byte, 4096))
		c.Close()
	}
	h, err := dial(addr, request(addr, "GET", "/health", "", nil), false)
	if err != nil {
		return fmt.Errorf("after a malformed request and a truncated body the server no longer accepts connections: %w", err)
	}
	defer h.close()
	if status, err := h.do(deadline()); err != nil || status != 200 {
		return fmt.Errorf("after a malformed request and a truncated body GET /health fails (status %d, %v)", status, err)
	}
	return nil
}

type headers struct{ contentType string }

// doHeaders is do with the body kept and Content-Type read, for verification.
func (c *conn) doHeaders(deadline time.Time) (int, headers, error) {
	c.wantType = true
	defer func() { c.wantType = false }()
	status, err := c.do(deadline)
	return status, headers{contentType: c.contentType}, err
}
