// Package runner starts peers as processes and turns what they do into samples: it pins
// them to CPUs, sets their environment, enforces timeouts (killing the whole process group),
// keeps their output in log files, verifies checksums before anything is timed, and
// interleaves implementations across repetitions.
package runner

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/gorustbench/gorustbench/bench/units"
	"golang.org/x/perf/benchfmt"
	"golang.org/x/sys/unix"
)

// Spec is one process to start.
type Spec struct {
	Path    string
	Args    []string
	Env     []string // the case's own variables, over the fixed environment PeerEnv gives every peer
	CPUs    []int    // affinity set before exec; empty leaves it alone
	Timeout time.Duration
	Stdout  *os.File // appended to; the run's stdout is read back from it
	Stderr  *os.File
	// Started, if set, is called with the peer's pid once it runs, from another goroutine
	// (calibration stops a peer with it, for a stall of known length).
	Started func(pid int)
}

// Outcome is what one process did, measured from outside.
type Outcome struct {
	Wall     time.Duration // just before exec to wait4's return
	User     time.Duration // rusage from wait4
	Sys      time.Duration
	ExitCode int    // -1 when killed by a signal
	Signal   string // the signal that ended it, if one did
	TimedOut bool
	Stdout   []byte // this run's stdout (its last MaxOutput bytes)
	Stderr   []byte // this run's stderr (its last MaxOutput bytes)
	// Escaped describes descendants that left the peer's process group and outlived it;
	// they were killed.
	Escaped []string
	// CPUsAtExit are the CPUs the process was allowed when it exited (exitAffinity), nil
	// when not read. A peer may change its own affinity.
	CPUsAtExit []int
}

// Values are the harness's own measurements of the process: wall time from just before exec
// to exit, and its user and system CPU time.
func (o Outcome) Values() []benchfmt.Value {
	return []benchfmt.Value{
		{Value: float64(o.Wall.Nanoseconds()), Unit: units.Exec},
		{Value: float64(o.User.Nanoseconds()), Unit: units.User},
		{Value: float64(o.Sys.Nanoseconds()), Unit: units.Sys},
	}
}

// MaxOutput bounds how much of one run's output is held in memory; the log keeps its head
// and this much of its tail (see LogHead).
const MaxOutput = 64 << 10

// ErrInterrupted reports that ctx was cancelled while a peer ran; the peer was killed.
var ErrInterrupted = errors.New("interrupted")

// Exec starts the process, waits for it, and measures it. The error is only for failures to
// start or to read its output (or ErrInterrupted); a peer that fails is an Outcome.
func Exec(ctx context.Context, s Spec) (Outcome, error) {
	outCap, outW, err := newQuietCapture(s.Stdout)
	if err != nil {
		return Outcome{}, err
	}
	errCap, errW, err := newQuietCapture(s.Stderr)
	if err != nil {
		outW.Close()
		outCap.finish()
		return Outcome{}, err
	}
	p := proc{path: s.Path, argv: append([]string{s.Path}, s.Args...), env: PeerEnv(s.Env),
		stdout: outW, stderr: errW, cpus: s.CPUs}
	var timedOut, interrupted bool
	done, watched := make(chan struct{}), make(chan struct{})
	e, err := forkWait(p, func(pid int) {
		// The timeout and an interruption kill the whole group; wait4 then returns.
		go func() {
			defer close(watched)
			timer := time.NewTimer(s.Timeout)
			defer timer.Stop()
			select {
			case <-done:
				return
			case <-timer.C:
				timedOut = true
			case <-ctx.Done():
				interrupted = true
			}
			_ = syscall.Kill(-pid, syscall.SIGKILL)
		}()
		if s.Started != nil {
			s.Started(pid)
		}
	})
	outW.Close() // the child has its own copies, or there is no child
	errW.Close()
	if e.pid == 0 {
		outCap.finish()
		errCap.finish()
		return Outcome{}, fmt.Errorf("cannot start %s: %w", s.Path, err)
	}
	close(done)
	<-watched // timedOut and interrupted are settled
	// Whatever the peer left behind in its group goes too.
	killGroup(e.pid)
	waitErr := err

	o := Outcome{Wall: e.end.Sub(e.start), ExitCode: -1}
	if waitErr == nil {
		o = outcomeOf(e.status, e.rusage, o.Wall)
	}
	o.CPUsAtExit = e.cpus
	o.TimedOut = timedOut
	var held1, held2 bool
	var err1, err2 error
	o.Stdout, held1, err1 = outCap.finish()
	o.Stderr, held2, err2 = errCap.finish()
	o.Escaped = Escapees()
	if (held1 || held2) && len(o.Escaped) == 0 {
		o.Escaped = []string{"a descendant escaped the peer's process group and kept its output open after it exited; the harness stopped reading after 1s"}
	}
	if waitErr != nil {
		return o, fmt.Errorf("waiting for %s: %w", s.Path, waitErr)
	}
	if err := errors.Join(err1, err2); err != nil {
		return o, err
	}
	if interrupted && !timedOut {
		return o, ErrInterrupted
	}
	return o, nil
}

// outcomeOf reads how a process ended and its CPU time from wait4's status and rusage.
func outcomeOf(ws syscall.WaitStatus, ru syscall.Rusage, wall time.Duration) Outcome {
	o := Outcome{Wall: wall, ExitCode: -1, User: time.Duration(ru.Utime.Nano()), Sys: time.Duration(ru.Stime.Nano())}
	if ws.Signaled() {
		o.Signal = unix.SignalName(ws.Signal())
	} else {
		o.ExitCode = ws.ExitStatus()
	}
	return o
}

// Failure says in one line why an outcome is not a success, or "" if the process exited 0.
func (o *Outcome) Failure(timeout time.Duration) string {
	lastErr := strings.TrimSpace(string(o.Stderr))
	if i := strings.LastIndexByte(lastErr, '\n'); i >= 0 {
		lastErr = lastErr[i+1:]
	}
	if len(lastErr) > 200 {
		lastErr = lastErr[:200] + "..."
	}
	suffix := ""
	if lastErr != "" {
		suffix = fmt.Sprintf(" (last stderr line: %q)", lastErr)
	}
	switch {
	case o.TimedOut:
		return fmt.Sprintf("hung: no exit within its %v timeout; killed its process group", timeout)
	case o.Signal != "":
		return fmt.Sprintf("crashed: killed by %s%s", o.Signal, suffix)
	case o.ExitCode != 0:
		return fmt.Sprintf("exited with status %d%s", o.ExitCode, suffix)
	}
	return ""
}
