package runner

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/gorustbench/gorustbench/bench/peer"
	"golang.org/x/sys/unix"
)

// Server is a running server peer.
type Server struct {
	Pid          int
	Addr         string        // what its READY line said
	ExecToReady  time.Duration // just before exec to the READY line
	ExecToFirst  time.Duration // just before exec to the first 200 from GET /health
	cmd          *exec.Cmd
	start        time.Time
	mu           sync.Mutex
	tail         []byte // the last MaxOutput bytes of stdout
	copied       chan struct{}
	stderr       *os.File
	stderrOffset int64
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
	errOff, err := s.Stderr.Seek(0, io.SeekEnd)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(s.Path, append(append([]string{}, s.Args...), "--addr", addr)...)
	cmd.Env = append(os.Environ(), s.Env...)
	cmd.Stderr = s.Stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	pipe, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	srv := &Server{cmd: cmd, copied: make(chan struct{}), stderr: s.Stderr, stderrOffset: errOff}
	first := make(chan time.Duration, 1)
	pollCtx, stopPoll := context.WithCancel(ctx)
	defer stopPoll()
	start, err := startPinned(cmd, s.CPUs)
	if err != nil {
		return nil, fmt.Errorf("cannot start %s: %w", s.Path, err)
	}
	srv.start, srv.Pid = start, cmd.Process.Pid
	// From exec on, poll for the first 200: this is when a client is first served.
	go func() {
		if err := waitHealthy(pollCtx, addr); err == nil {
			first <- time.Since(start)
		}
	}()
	ready := make(chan string, 1)
	go srv.copyStdout(pipe, s.Stdout, ready)

	timer := time.NewTimer(readyTimeout)
	defer timer.Stop()
	select {
	case line := <-ready:
		srv.ExecToReady = time.Since(start)
		got, _ := peer.ParseReady(line)
		srv.Addr = got
		if got != addr {
			srv.kill()
			return nil, fmt.Errorf("READY names %q, but it was told --addr %s", got, addr)
		}
	case <-srv.copied: // stdout closed: the peer exited before READY
		o := srv.wait()
		return nil, fmt.Errorf("exited before READY: %s", o.Failure(readyTimeout))
	case <-timer.C:
		srv.kill()
		return nil, fmt.Errorf("no READY line within %v; killed its process group", readyTimeout)
	case <-ctx.Done():
		srv.kill()
		return nil, ErrInterrupted
	}
	select {
	case d := <-first:
		srv.ExecToFirst = d
	case <-srv.copied:
		o := srv.wait()
		return nil, fmt.Errorf("exited after READY without answering GET /health: %s", o.Failure(readyTimeout))
	case <-timer.C:
		srv.kill()
		return nil, fmt.Errorf("GET /health did not answer 200 within %v of exec", readyTimeout)
	case <-ctx.Done():
		srv.kill()
		return nil, ErrInterrupted
	}
	return srv, nil
}

// copyStdout copies the peer's stdout to the log, keeps its tail, and hands over the first
// READY line.
func (s *Server) copyStdout(r io.Reader, log *os.File, ready chan<- string) {
	defer close(s.copied)
	br := bufio.NewReader(r)
	sent := false
	for {
		line, err := br.ReadString('\n')
		if len(line) > 0 {
			log.WriteString(line)
			s.mu.Lock()
			s.tail = append(s.tail, line...)
			if len(s.tail) > MaxOutput {
				s.tail = s.tail[len(s.tail)-MaxOutput:]
			}
			s.mu.Unlock()
			if _, ok := peer.ParseReady(line); ok && !sent {
				ready <- line
				sent = true
			}
		}
		if err != nil {
			return
		}
	}
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
	case <-s.copied:
		return false
	default:
		return unix.Kill(s.Pid, 0) == nil
	}
}

// Stop sends SIGTERM, waits up to grace for the peer to exit, and returns the outcome with
// its stdout tail (the result line last). Past grace the process group is killed.
func (s *Server) Stop(grace time.Duration) Outcome {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	timedOut := false
	go func() {
		select {
		case <-done:
		case <-time.After(grace):
			timedOut = true
			s.kill()
		}
	}()
	o := s.wait()
	close(done)
	o.TimedOut = o.TimedOut || timedOut
	return o
}

func (s *Server) kill() { _ = syscall.Kill(-s.Pid, syscall.SIGKILL) }

func (s *Server) wait() Outcome {
	<-s.copied
	err := s.cmd.Wait()
	o := outcomeOf(s.cmd.ProcessState, time.Since(s.start))
	if s.cmd.ProcessState == nil && err != nil && !errors.Is(err, os.ErrProcessDone) {
		o.Signal = err.Error()
	}
	_ = syscall.Kill(-s.Pid, syscall.SIGKILL) // whatever it left in its group
	s.mu.Lock()
	o.Stdout = append([]byte(nil), s.tail...)
	s.mu.Unlock()
	o.Stderr, _ = readFrom(s.stderr, s.stderrOffset)
	return o
}
