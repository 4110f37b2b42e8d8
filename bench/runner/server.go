package runner

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/gorustbench/gorustbench/bench/peer"
	"golang.org/x/sys/unix"
)

// Server is a running server peer.
type Server struct {
	Pid         int
	Addr        string        // what its READY line said
	ExecToReady time.Duration // just before exec to the READY line
	ExecToFirst time.Duration // just before exec to the first 200 from GET /health
	start       time.Time
	out, err    *capture      // bounded copies of stdout and stderr into the logs
	exited      chan struct{} // closed when the process has been reaped
	status      syscall.WaitStatus
	rusage      syscall.Rusage
	waitErr     error
	once        sync.Once
	outcome     Outcome
}

// FreePort asks the kernel for a free loopback port. Another process may take it before the
// peer binds it; StartServer retries then.
func FreePort() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// StartServer starts a server peer on a free loopback port (s.Args gets --addr appended),
// waits for its READY line and its first 200 from GET /health, and returns it running. A peer
// that exits before READY because its port was taken is retried on another port, twice.
func StartServer(ctx context.Context, s Spec, readyTimeout time.Duration) (*Server, error) {
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		var srv *Server
		srv, err = startServer(ctx, s, readyTimeout)
		if err == nil {
			return srv, nil
		}
		if !strings.Contains(err.Error(), "in use") {
			return nil, err
		}
	}
	return nil, err
}

func startServer(ctx context.Context, s Spec, readyTimeout time.Duration) (*Server, error) {
	addr, err := FreePort()
	if err != nil {
		return nil, fmt.Errorf("no free loopback port: %w", err)
	}
	p := proc{path: s.Path, argv: append(append([]string{s.Path}, s.Args...), "--addr", addr),
		env: PeerEnv(s.Env), cpus: s.CPUs}
	ready := make(chan string, 1)
	sent := false
	lines := &lineScanner{onLine: func(line string) {
		if _, ok := peer.ParseReady(line); ok && !sent {
			ready <- line
			sent = true
		}
	}}
	outCap, outW, err := newCapture(s.Stdout, lines.feed)
	if err != nil {
		return nil, err
	}
	errCap, errW, err := newCapture(s.Stderr, nil)
	if err != nil {
		outW.Close()
		outCap.finish()
		return nil, err
	}
	p.stdout, p.stderr = outW, errW
	srv := &Server{out: outCap, err: errCap, exited: make(chan struct{})}
	first := make(chan time.Duration, 1)
	pollCtx, stopPoll := context.WithCancel(ctx)
	defer stopPoll()
	pid, start, err := spawn(p)
	outW.Close()
	errW.Close()
	if err != nil {
		outCap.finish()
		errCap.finish()
		return nil, fmt.Errorf("cannot start %s: %w", s.Path, err)
	}
	srv.start, srv.Pid = start, pid
	go func() {
		srv.status, srv.rusage, srv.waitErr = waitExit(pid)
		close(srv.exited)
	}()
	// From exec on, poll for the first 200: this is when a client is first served.
	go func() {
		if err := waitHealthy(pollCtx, addr); err == nil {
			first <- time.Since(start)
		}
	}()

	if err := srv.await(ctx, addr, ready, first, readyTimeout); err != nil {
		return nil, err
	}
	return srv, nil
}

// await waits for the server's READY line (ready) and then its first 200 (first), each
// within readyTimeout of exec, setting ExecToReady as the line arrives and ExecToFirst as
// the poll gives it. An exit, a timeout or ctx ends the wait with why; a timed-out or
// interrupted server is killed.
func (srv *Server) await(ctx context.Context, addr string, ready <-chan string, first <-chan time.Duration, readyTimeout time.Duration) error {
	timer := time.NewTimer(readyTimeout)
	defer timer.Stop()
	select {
	case line := <-ready:
		srv.ExecToReady = time.Since(srv.start)
		got, _ := peer.ParseReady(line)
		srv.Addr = got
		if got != addr {
			srv.kill()
			return fmt.Errorf("READY names %q, but it was told --addr %s", got, addr)
		}
	case <-srv.exited: // the peer exited before READY
		o := srv.wait()
		return fmt.Errorf("exited before READY: %s", o.Failure(readyTimeout))
	case <-timer.C:
		srv.kill()
		return fmt.Errorf("no READY line within %v; killed its process group", readyTimeout)
	case <-ctx.Done():
		srv.kill()
		return ErrInterrupted
	}
	select {
	case d := <-first:
		srv.ExecToFirst = d
	case <-srv.exited:
		o := srv.wait()
		return fmt.Errorf("exited after READY without answering GET /health: %s", o.Failure(readyTimeout))
	case <-timer.C:
		srv.kill()
		return fmt.Errorf("GET /health did not answer 200 within %v of exec", readyTimeout)
	case <-ctx.Done():
		srv.kill()
		return ErrInterrupted
	}
	return nil
}

// waitHealthy polls GET /health until it answers 200.
func waitHealthy(ctx context.Context, addr string) error {
	client := &http.Client{Timeout: time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	for ctx.Err() == nil {
		resp, err := client.Get("http://" + addr + "/health")
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(200 * time.Microsecond)
	}
	return ctx.Err()
}

// Alive reports whether the server process is still running.
func (s *Server) Alive() bool {
	select {
	case <-s.exited:
		return false
	default:
		return unix.Kill(s.Pid, 0) == nil
	}
}

// Stop sends SIGTERM, waits up to grace for the peer to exit, and returns the outcome with
// its stdout tail (the result line last). Past grace the process group is killed. It never
// waits longer than grace plus the drain of its output (drainGrace).
func (s *Server) Stop(grace time.Duration) Outcome {
	_ = syscall.Kill(s.Pid, syscall.SIGTERM)
	timedOut := false
	select {
	case <-s.exited:
	case <-time.After(grace):
		timedOut = true
	}
	o := s.wait()
	o.TimedOut = o.TimedOut || timedOut
	return o
}

// kill kills the process group and reaps the server.
func (s *Server) kill() {
	_ = syscall.Kill(-s.Pid, syscall.SIGKILL)
	s.wait()
}

// wait kills what is left of the group, reaps the server and collects its output; the
// outcome is computed once.
func (s *Server) wait() Outcome {
	s.once.Do(func() {
		_ = syscall.Kill(-s.Pid, syscall.SIGKILL) // whatever it left in its group, or itself
		<-s.exited
		killGroup(s.Pid)
		o := Outcome{Wall: time.Since(s.start), ExitCode: -1}
		if s.waitErr == nil {
			o = outcomeOf(s.status, s.rusage, o.Wall)
		} else {
			o.Signal = s.waitErr.Error()
		}
		var held1, held2 bool
		o.Stdout, held1, _ = s.out.finish()
		o.Stderr, held2, _ = s.err.finish()
		o.Escaped = Escapees()
		if (held1 || held2) && len(o.Escaped) == 0 {
			o.Escaped = []string{"a descendant escaped the peer's process group and kept its output open after it exited; the harness stopped reading after 1s"}
		}
		s.outcome = o
	})
	return s.outcome
}
