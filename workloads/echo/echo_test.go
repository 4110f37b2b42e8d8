package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gorustbench/gorustbench/bench/peer"
)

// timeout bounds every wait in these tests.
const timeout = 20 * time.Second

// TestEcho builds the peer once and checks both variants against the service definition
// and the protocol, then the command-line failures.
func TestEcho(t *testing.T) {
	bin := build(t)
	for _, variant := range []string{"std", "fasthttp"} {
		t.Run(variant, func(t *testing.T) { testVariant(t, bin, variant) })
	}
	t.Run("addr-in-use", func(t *testing.T) { testAddrInUse(t, bin) })
	t.Run("bad-command-line", func(t *testing.T) { testBadCommandLine(t, bin) })
}

// build compiles the peer into a temporary directory.
func build(t *testing.T) string {
	bin := filepath.Join(t.TempDir(), "echo")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// proc is a running peer.
type proc struct {
	cmd    *exec.Cmd
	addr   string
	stdout bytes.Buffer // all of stdout, complete once done is closed
	stderr bytes.Buffer
	done   chan struct{} // closed when stdout reached EOF
}

// start runs the peer with args and waits for its READY line.
func start(t *testing.T, bin string, args ...string) *proc {
	t.Helper()
	p := &proc{cmd: exec.Command(bin, args...), done: make(chan struct{})}
	p.cmd.Stderr = &p.stderr
	out, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		p.cmd.Process.Kill()
		p.wait()
	})
	ready := make(chan string, 1)
	go func() {
		defer close(p.done)
		r := bufio.NewReader(out)
		line, _ := r.ReadString('\n')
		p.stdout.WriteString(line)
		ready <- line
		io.Copy(&p.stdout, r)
	}()
	select {
	case line := <-ready:
		addr, ok := peer.ParseReady(line)
		if !ok {
			t.Fatalf("first stdout line %q is not READY (stderr %q)", line, p.stderr.String())
		}
		p.addr = addr
	case <-time.After(timeout):
		t.Fatalf("no READY line within %v", timeout)
	}
	return p
}

// wait waits, bounded, for stdout to close and the process to exit, and returns its exit code.
func (p *proc) wait() (int, error) {
	select {
	case <-p.done:
	case <-time.After(timeout):
		p.cmd.Process.Kill()
		<-p.done
		p.cmd.Wait()
		return -1, fmt.Errorf("peer did not exit within %v", timeout)
	}
	err := p.cmd.Wait()
	if p.cmd.ProcessState == nil {
		return -1, err
	}
	return p.cmd.ProcessState.ExitCode(), nil
}

// client is an HTTP client for one peer; sent counts the requests it made.
type client struct {
	t    *testing.T
	base string
	tr   *http.Transport
	c    *http.Client
	mu   sync.Mutex
	sent int64
}

func newClient(t *testing.T, addr string) *client {
	tr := &http.Transport{MaxIdleConnsPerHost: 16}
	t.Cleanup(tr.CloseIdleConnections)
	return &client{t: t, base: "http://" + addr, tr: tr, c: &http.Client{Transport: tr, Timeout: timeout}}
}

// do sends one request and returns the response with its body read.
func (c *client) do(method, path, contentType string, body []byte) (*http.Response, []byte) {
	c.t.Helper()
	req, err := http.NewRequest(method, c.base+path, bytes.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	c.mu.Lock()
	c.sent++
	c.mu.Unlock()
	resp, err := c.c.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatalf("%s %s: reading body: %v", method, path, err)
	}
	return resp, got
}

// echo posts a random payload of n bytes and checks the answer.
func (c *client) echo(rng *rand.Rand, n int, contentType string) {
	c.t.Helper()
	payload := make([]byte, n)
	for i := range payload {
		payload[i] = byte(rng.Uint32())
	}
	resp, got := c.do("POST", "/echo", contentType, payload)
	wantType := contentType
	if wantType == "" {
		wantType = "application/octet-stream"
	}
	switch {
	case resp.StatusCode != 200:
		c.t.Errorf("POST /echo %d bytes: status %d", n, resp.StatusCode)
	case resp.ContentLength != int64(n):
		c.t.Errorf("POST /echo %d bytes: Content-Length %d", n, resp.ContentLength)
	case resp.Header.Get("Content-Type") != wantType:
		c.t.Errorf("POST /echo %d bytes: Content-Type %q, want %q", n, resp.Header.Get("Content-Type"), wantType)
	case !bytes.Equal(got, payload):
		c.t.Errorf("POST /echo %d bytes: body differs (got %d bytes)", n, len(got))
	}
}

// expect checks one request's status and, unless body is nil, its body.
func (c *client) expect(method, path string, status int, body []byte) {
	c.t.Helper()
	resp, got := c.do(method, path, "", nil)
	if resp.StatusCode != status || (body != nil && !bytes.Equal(got, body)) {
		c.t.Errorf("%s %s: %d %q, want %d %q", method, path, resp.StatusCode, got, status, body)
	}
}

func testVariant(t *testing.T, bin, variant string) {
	p := start(t, bin, "--variant", variant, "--addr", "127.0.0.1:0", "--threads", "2", "--hiccup")
	c := newClient(t, p.addr)
	rng := rand.New(rand.NewPCG(1, 2))

	for _, n := range []int{0, 64, 1024, 16384, 1 << 20, maxBody} {
		c.echo(rng, n, "")
		c.echo(rng, n, "text/x-test; charset=latin1")
	}
	c.expect("GET", "/health", 200, []byte("ok"))
	c.expect("GET", "/nope", 404, nil)
	c.expect("GET", "/echo", 404, nil)
	c.expect("PUT", "/echo", 404, nil)
	c.expect("POST", "/health", 404, nil)
	c.expect("HEAD", "/health", 404, nil)
	c.expect("GET", "/echo/", 404, nil)
	concurrent(c, rng.Uint64())

	status := rawRequest(t, p.addr, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 16777217\r\n\r\n", true)
	if status != "HTTP/1.1 413" {
		t.Errorf("a body over 16 MiB: got %q, want a 413", status)
	}
	status = rawRequest(t, p.addr, "GARBAGE\r\n\r\n", true)
	if status != "" && status != "HTTP/1.1 400" {
		t.Errorf("malformed request line: got %q, want a 400 or a closed connection", status)
	}
	rawRequest(t, p.addr, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123456789", false)

	// The transport may hold connections it dialled and never used; a server waits for
	// those at shutdown until its grace runs out. Drop them, and leave one connection
	// that has served a request idle at SIGTERM, as a load generator would.
	c.tr.CloseIdleConnections()
	c.expect("GET", "/health", 200, []byte("ok"))

	checkResult(t, p, variant, c.sent)
}

// concurrent echoes small payloads from several goroutines at once.
func concurrent(c *client, seed uint64) {
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(seed, uint64(g)))
			for range 50 {
				c.echo(rng, rng.IntN(4096), "")
			}
		})
	}
	wg.Wait()
}

// rawRequest writes text on a new TCP connection. With read it returns the first 12 bytes
// of the answer ("HTTP/1.1 400"), or "" if the peer closed the connection first; without,
// it closes the connection straight away.
func rawRequest(t *testing.T, addr, text string, read bool) string {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(timeout))
	if _, err := io.WriteString(conn, text); err != nil {
		t.Fatal(err)
	}
	if !read {
		return ""
	}
	buf := make([]byte, 12)
	n, err := io.ReadFull(conn, buf)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, syscall.ECONNRESET) {
		t.Fatalf("reading the answer to %q: %v", text, err)
	}
	return string(buf[:n])
}

// checkResult stops the peer with SIGTERM and validates its result line.
func checkResult(t *testing.T, p *proc, variant string, sent int64) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	t0 := time.Now()
	code, err := p.wait()
	t.Logf("stopped %v after SIGTERM", time.Since(t0).Round(time.Millisecond))
	if err != nil || code != 0 {
		t.Fatalf("after SIGTERM: exit %d, %v; stderr %q", code, err, p.stderr.String())
	}
	r, err := peer.ParseResult(p.stdout.Bytes(), peer.Expect{
		Workload: "echo", Lang: "go", Variant: variant,
		Params: peer.Params{Size: 0, Iters: 1, Threads: 2, Seed: 1},
		Hiccup: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	if r.Ops < sent {
		t.Errorf("ops %d, but %d requests were answered", r.Ops, sent)
	}
	if r.Checksum != "3000e56026044164" {
		t.Errorf("checksum %s, want FNV-1a 64 of \"echo\", 3000e56026044164", r.Checksum)
	}
	if r.Go.GOMAXPROCS != 2 {
		t.Errorf("gomaxprocs %d, want 2 (--threads 2)", r.Go.GOMAXPROCS)
	}
}

// run runs the peer to completion and returns its exit code and stderr.
func run(t *testing.T, bin string, args ...string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	if _, ok := errors.AsType[*exec.ExitError](err); err != nil && !ok {
		t.Fatal(err)
	}
	return cmd.ProcessState.ExitCode(), stderr.String()
}

// oneLine fails unless stderr is exactly one line containing want.
func oneLine(t *testing.T, stderr, want string) {
	t.Helper()
	if strings.Count(stderr, "\n") != 1 || !strings.HasSuffix(stderr, "\n") || !strings.Contains(stderr, want) {
		t.Errorf("stderr %q: want one line mentioning %q", stderr, want)
	}
}

func testAddrInUse(t *testing.T, bin string) {
	p := start(t, bin)
	code, stderr := run(t, bin, "--addr", p.addr)
	if code != 1 {
		t.Errorf("binding %s, which is in use: exit %d, want 1", p.addr, code)
	}
	oneLine(t, stderr, p.addr)
}

func testBadCommandLine(t *testing.T, bin string) {
	for _, tc := range []struct{ args, want string }{
		{"--addr 10.0.0.1:80", "10.0.0.1:80"},
		{"--addr 0.0.0.0:0", "0.0.0.0:0"},
		{"--addr nonsense", "nonsense"},
		{"--variant axum", "axum"},
		{"--threads 0", "--threads"},
	} {
		code, stderr := run(t, bin, strings.Fields(tc.args)...)
		if code != 2 {
			t.Errorf("%s: exit %d, want 2", tc.args, code)
		}
		oneLine(t, stderr, tc.want)
	}
}
