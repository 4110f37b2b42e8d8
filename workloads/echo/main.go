// Command echo is the Go peer of the echo workload (workloads/README.md): a small HTTP/1.1
// service (POST /echo returns the request body, GET /health returns "ok", anything else is
// 404) served with net/http (variant std) or with github.com/valyala/fasthttp (variant
// fasthttp) until SIGTERM.
package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/gorustbench/gorustbench/workloads/peerkit"
	"github.com/gorustbench/gorustbench/workloads/peerkit/serve"
)

const (
	// maxBody is the largest request body the service accepts (workloads/README.md).
	maxBody = 16 << 20
	// defaultContentType answers a request that names no Content-Type.
	defaultContentType = "application/octet-stream"
	// shutdownGrace bounds how long a stop waits for requests in flight. The harness stops a
	// server after its load, so little is in flight; but a client may hold connections it
	// dialled and never used, which net/http counts as active for their first 5 s, and this
	// bounds what they add to a stop.
	shutdownGrace = 2 * time.Second
)

// server is one variant's HTTP server.
type server interface {
	// serve answers connections on ln until shutdown; it returns nil once shut down.
	serve(ln net.Listener) error
	// shutdown stops accepting, closes idle connections and waits for active ones.
	shutdown(ctx context.Context) error
}

// answered counts the requests a handler answered, any status: the result line's ops.
var answered atomic.Int64

func main() {
	p := peerkit.Defaults("std")
	p.Parse(os.Args[1:])
	p.RequireVariant("std", "fasthttp")
	runtime.GOMAXPROCS(int(p.Threads))
	ln := serve.Listen(&p)
	srv := newServer(p.Variant)
	go func() {
		if err := srv.serve(ln); err != nil {
			peerkit.Fail(fmt.Errorf("serving on %s: %w", ln.Addr(), err))
		}
	}()
	r := serve.Ready(&p, ln)
	serve.WaitForTerm()
	// The protocol times READY to SIGTERM, so the region ends before the shutdown, which
	// for fasthttp polls every 100 ms for connections to close.
	r.End()
	stop(srv)
	// ops is the true count. The harness always sends at least one request (a health check)
	// before SIGTERM, so 0 does not happen in a real run; if it does, the line says 0 and the
	// harness, which requires ops >= 1, flags the run rather than this peer inventing a request.
	r.Report("echo", &p, answered.Load(), serve.ServerChecksum("echo"))
}

// newServer returns the variant's server.
func newServer(variant string) server {
	if variant == "fasthttp" {
		return newFastServer()
	}
	return newStdServer()
}

// stop shuts srv down, giving requests in flight shutdownGrace to finish. A client that
// holds a request open longer is cut off; that is not the peer failing, so it still reports.
func stop(srv server) {
	ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	srv.shutdown(ctx)
}
