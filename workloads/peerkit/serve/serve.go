// Package serve is the server half of the Go peer kit: loopback bind, READY, SIGTERM. It is
// separate from peerkit so batch peers do not link package net (which, with cgo available,
// makes a Go binary dynamically linked and would misstate the binary-size claim).
package serve

import (
	"fmt"
	"net"
	"os"
	"os/signal"
	"sync"
	"syscall"

	"github.com/gorustbench/gorustbench/workloads/peerkit"
)

// Listen binds --addr for a server peer. The address must be loopback (port 0 picks a free
// one): anything else is a usage error (exit 2); a bind failure, such as a port in use, exits 1
// with the address in the message.
func Listen(p *peerkit.Params) net.Listener {
	if p.Addr == "" {
		p.Addr = "127.0.0.1:0"
	}
	host, _, err := net.SplitHostPort(p.Addr)
	if err != nil {
		peerkit.Usage(fmt.Sprintf("--addr %q is not host:port", p.Addr))
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		peerkit.Usage(fmt.Sprintf("--addr %q is not a loopback address (server peers serve 127.0.0.0/8 or ::1 only)", p.Addr))
	}
	ln, err := net.Listen("tcp", p.Addr)
	if err != nil {
		peerkit.Fail(fmt.Errorf("cannot listen on %s: %w", p.Addr, err))
	}
	return ln
}

// Ready prints "READY <addr>" for the harness and begins the timed region, which lasts until
// the server is told to stop. Call it once the listener accepts connections.
func Ready(p *peerkit.Params, ln net.Listener) *peerkit.Region {
	// Catch SIGTERM before the harness can know the address: a stop that arrives right after
	// READY must still end with a result line.
	termOnce.Do(func() {
		term = make(chan os.Signal, 1)
		signal.Notify(term, syscall.SIGTERM, os.Interrupt)
	})
	r := peerkit.Begin(p)
	if _, err := fmt.Fprintf(os.Stdout, "READY %s\n", ln.Addr()); err != nil {
		peerkit.Fail(err)
	}
	return r
}

var (
	termOnce sync.Once
	term     chan os.Signal
)

// WaitForTerm blocks until SIGTERM (or SIGINT, for a person at a terminal), counting from
// Ready on.
func WaitForTerm() {
	termOnce.Do(func() {
		term = make(chan os.Signal, 1)
		signal.Notify(term, syscall.SIGTERM, os.Interrupt)
	})
	<-term
	signal.Stop(term)
}

// ServerChecksum is a server peer's checksum: FNV-1a 64 of its workload's name. A server's
// output is checked by the harness request by request, not summarised by the peer.
func ServerChecksum(workload string) string { return peerkit.FNV1a64([]byte(workload)) }
