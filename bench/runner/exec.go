// Package runner starts peers as processes and turns what they do into samples: it pins
// them to CPUs, sets their environment, enforces timeouts (killing the whole process group),
// keeps their output in log files, verifies checksums before anything is timed, and
// interleaves implementations across repetitions.
package runner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
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
	Env     []string // added to the harness's environment
	CPUs    []int    // affinity set before exec; empty leaves it alone
	Timeout time.Duration
	Stdout  *os.File // appended to; the run's stdout is read back from it
	Stderr  *os.File
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

// MaxOutput bounds how much of one run's output is read back into memory; the log keeps all.
const MaxOutput = 64 << 10

// ErrInterrupted reports that ctx was cancelled while a peer ran; the peer was killed.
var ErrInterrupted = errors.New("interrupted")

// Exec starts the process, waits for it, and measures it. The error is only for failures to
// start or to read its output (or ErrInterrupted); a peer that fails is an Outcome.
func Exec(ctx context.Context, s Spec) (Outcome, error) {
	outStart, err := s.Stdout.Seek(0, io.SeekEnd)
	if err != nil {
		return Outcome{}, err
	}
	errStart, err := s.Stderr.Seek(0, io.SeekEnd)
	if err != nil {
		return Outcome{}, err
	}
	cmd := exec.Command(s.Path, s.Args...)
	cmd.Env = append(os.Environ(), s.Env...)
	cmd.Stdout, cmd.Stderr = s.Stdout, s.Stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}

	start, err := startPinned(cmd, s.CPUs)
	if err != nil {
		return Outcome{}, fmt.Errorf("cannot start %s: %w", s.Path, err)
	}
	pgid := cmd.Process.Pid
	done := make(chan struct{})
	var timedOut, interrupted bool
	go func() {
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
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
	}()
	waitErr := cmd.Wait()
	wall := time.Since(start)
	close(done)
	// Whatever the peer left behind in its group goes too.
	_ = syscall.Kill(-pgid, syscall.SIGKILL)

	o := outcomeOf(cmd.ProcessState, wall)
	o.TimedOut = timedOut
	if cmd.ProcessState == nil && waitErr != nil {
		return o, fmt.Errorf("waiting for %s: %w", s.Path, waitErr)
	}
	if o.Stdout, err = readFrom(s.Stdout, outStart); err != nil {
		return o, err
	}
	if o.Stderr, err = readFrom(s.Stderr, errStart); err != nil {
		return o, err
	}
	if interrupted && !timedOut {
		return o, ErrInterrupted
	}
	return o, nil
}

// startPinned starts cmd from an OS thread whose affinity is cpus, so the child inherits the
// mask from its first instruction (the Go runtime sizes GOMAXPROCS from it at start-up, so
// pinning after exec would be too late). The thread's own mask is restored afterwards. It
// returns the time just before exec.
func startPinned(cmd *exec.Cmd, cpus []int) (time.Time, error) {
	if len(cpus) == 0 {
		start := time.Now()
		return start, cmd.Start()
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var old, set unix.CPUSet
	if err := unix.SchedGetaffinity(0, &old); err != nil {
		return time.Time{}, fmt.Errorf("reading CPU affinity: %w", err)
	}
	for _, c := range cpus {
		set.Set(c)
	}
	if err := unix.SchedSetaffinity(0, &set); err != nil {
		return time.Time{}, fmt.Errorf("pinning to CPUs %v: %w", cpus, err)
	}
	start := time.Now()
	err := cmd.Start()
	if rerr := unix.SchedSetaffinity(0, &old); rerr != nil && err == nil {
		err = fmt.Errorf("restoring CPU affinity: %w", rerr)
	}
	return start, err
}

// outcomeOf reads how a process ended and its CPU time from wait4's rusage.
func outcomeOf(ps *os.ProcessState, wall time.Duration) Outcome {
	o := Outcome{Wall: wall, ExitCode: -1}
	if ps == nil {
		return o
	}
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		o.User = time.Duration(ru.Utime.Nano())
		o.Sys = time.Duration(ru.Stime.Nano())
	}
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok {
		if ws.Signaled() {
			o.Signal = unix.SignalName(ws.Signal())
		} else {
			o.ExitCode = ws.ExitStatus()
		}
	}
	return o
}

func readFrom(f *os.File, off int64) ([]byte, error) {
	end, err := f.Seek(0, io.SeekEnd)
	if err != nil {
		return nil, err
	}
	if end-off > MaxOutput {
		off = end - MaxOutput
	}
	buf := make([]byte, end-off)
	if _, err := f.ReadAt(buf, off); err != nil && err != io.EOF {
		return nil, err
	}
	return buf, nil
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
