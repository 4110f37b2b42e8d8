package runner

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// How a peer is started, and where its clock starts and stops.
//
// A batch peer's exec-to-exit runs from just before fork to the return of wait4, as
// hyperfine -N measures a command, and is measured the way hyperfine measures it when pinned
// with taskset: one thread forks and waits, on the peer's CPUs. Each part of this was
// measured against hyperfine -N with the C hello on a 2-vCPU VM (the harness's extra time
// over a bare fork-and-wait, medians of 200):
//   - syscall.ForkExec with argv and environment prepared before the clock starts, not
//     os/exec, whose preparation ran after it (+60-90 µs);
//   - the thread that waits sits on the peer's CPUs, so the exit wakes it where the peer
//     just ran; a waiter on another, idle vCPU is woken by an interrupt across CPUs that a
//     VM delivers slowly (+40-150 µs);
//   - nothing of the harness's runs on the peer's CPU while the peer runs: the registry of
//     live groups is written from another thread, into memory (/dev/shm), and the spawner
//     thread leaves the peer's CPUs as soon as the child exists (a registry write in a slow
//     TMPDIR, run on the peer's CPU, cost the C hello 300 µs).
// Peers still die with the harness (procs.go): a batch peer's forking thread stays locked
// until the peer is reaped, and servers are forked from the spawner thread, which never exits.

// proc is one process to start.
type proc struct {
	path   string
	argv   []string // argv[0] included
	env    []string // the whole environment, one KEY=value each, no duplicate keys
	stdout *os.File // nil: /dev/null
	stderr *os.File // nil: /dev/null
	cpus   []int    // the child's affinity from its first instruction; empty: the harness's
}

var (
	spawnOnce sync.Once
	spawnCh   chan *spawnJob
	devNull   *os.File
)

func initSpawn() {
	devNull, _ = os.OpenFile(os.DevNull, os.O_RDWR, 0)
	spawnCh = make(chan *spawnJob)
	go spawner()
}

// resolve finds a bare command name on PATH, as exec.Command would.
func (p *proc) resolve() error {
	if strings.Contains(p.path, "/") {
		return nil
	}
	path, err := exec.LookPath(p.path)
	p.path = path
	return err
}

// exit is how a batch peer ended.
type exit struct {
	pid        int
	start, end time.Time // just before fork; wait4's return
	status     syscall.WaitStatus
	rusage     syscall.Rusage
	cpus       []int // where it was allowed to run when it exited; nil if unknown
}

// forkWait starts p from the calling goroutine's thread, locked and pinned to p.cpus, and
// waits for it there. started, if set, is called with the pid from another goroutine as soon
// as the child runs (to arm a timeout), after the peer's group is registered.
func forkWait(p proc, started func(pid int)) (exit, error) {
	if err := p.resolve(); err != nil {
		return exit{}, err
	}
	spawnOnce.Do(initSpawn)
	runtime.LockOSThread()
	// Unlocked only once the child is reaped: a parent-death signal fires when the thread
	// that forked exits, which a locked thread does when its goroutine ends.
	defer runtime.UnlockOSThread()
	var home unix.CPUSet
	if err := unix.SchedGetaffinity(0, &home); err != nil {
		return exit{}, fmt.Errorf("reading CPU affinity: %w", err)
	}
	type child struct {
		pid        int
		registered chan struct{}
	}
	children := make(chan child, 1)
	go func() {
		c, ok := <-children
		if !ok {
			return
		}
		register(c.pid, c.registered)
		if started != nil {
			started(c.pid)
		}
	}()
	e := exit{}
	var err error
	e.pid, e.start, err = forkAt(p, pinMask(p.cpus))
	if err != nil {
		close(children)
		return exit{}, err
	}
	children <- child{e.pid, track(e.pid)}
	if d := time.Duration(execDelay.Load()); d > 0 {
		for t := time.Now(); time.Since(t) < d; {
		}
	}
	// Wait for the exit without reaping (the clock stops there), read where the peer was
	// allowed to run while it is a zombie (it may have changed its own affinity), then reap.
	var info unix.Siginfo
	for {
		err = unix.Waitid(unix.P_PID, e.pid, &info, unix.WEXITED|unix.WNOWAIT, nil)
		if err != unix.EINTR {
			break
		}
	}
	e.end = time.Now()
	if err == nil {
		e.cpus = cpusAllowed(e.pid)
	}
	for {
		_, err = syscall.Wait4(e.pid, &e.status, 0, &e.rusage)
		if err != syscall.EINTR {
			break
		}
	}
	if aerr := unix.SchedSetaffinity(0, &home); aerr != nil && err == nil {
		err = fmt.Errorf("restoring CPU affinity: %w", aerr)
	}
	return e, err
}

var execDelay atomic.Int64

// SetExecDelay makes every batch peer's start cost d more, as harness work on the peer's CPU
// between fork and wait would: the forking thread spins for d there. It exists to show that
// calibration catches such a change (gorustbench calibrate --inject-exec-delay); 0 turns it off.
func SetExecDelay(d time.Duration) { execDelay.Store(int64(d)) }

type spawnJob struct {
	p     proc
	pid   int
	start time.Time
	err   error
	done  chan struct{}
}

// spawn starts p from the spawner thread and returns as soon as it runs, with its pid and the
// time just before fork (servers: the caller reaps them with waitExit).
func spawn(p proc) (pid int, start time.Time, err error) {
	if err := p.resolve(); err != nil {
		return 0, time.Time{}, err
	}
	spawnOnce.Do(initSpawn)
	j := &spawnJob{p: p, done: make(chan struct{})}
	spawnCh <- j
	<-j.done
	return j.pid, j.start, j.err
}

// spawner runs on one OS thread for the harness's lifetime: a parent-death signal fires when
// the thread that forked the child exits, so that thread must never exit.
func spawner() {
	runtime.LockOSThread() // never unlocked
	_ = unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
	for j := range spawnCh {
		var home unix.CPUSet
		if err := unix.SchedGetaffinity(0, &home); err != nil {
			j.err = fmt.Errorf("reading CPU affinity: %w", err)
			close(j.done)
			continue
		}
		j.pid, j.start, j.err = forkAt(j.p, pinMask(j.p.cpus))
		if err := unix.SchedSetaffinity(0, &home); err != nil && j.err == nil {
			_ = syscall.Kill(-j.pid, syscall.SIGKILL)
			_, _, _ = waitExit(j.pid)
			j.err = fmt.Errorf("restoring CPU affinity: %w", err)
		}
		var registered chan struct{}
		if j.err == nil {
			registered = track(j.pid)
		}
		close(j.done) // the caller is waiting on the child from here on
		if j.err == nil {
			register(j.pid, registered)
		}
	}
}

// startMask is the harness's affinity when it started: what a peer given no CPUs inherits,
// even while the harness keeps its own threads off the peers' CPUs (probe.PinThreads).
var startMask = func() (set unix.CPUSet) {
	if unix.SchedGetaffinity(0, &set) != nil {
		set = unix.CPUSet{}
	}
	return set
}()

// pinMask is the affinity a peer given cpus starts with: those CPUs, or startMask if none.
func pinMask(cpus []int) unix.CPUSet {
	if len(cpus) == 0 && startMask.Count() > 0 {
		return startMask
	}
	var set unix.CPUSet
	for _, c := range cpus {
		set.Set(c)
	}
	return set
}

// forkAt moves the current (locked) thread to mask, so that the child inherits it from its
// first instruction, and forks and execs p in a new process group with SIGKILL as its
// parent-death signal. It returns the child's pid and the time just before fork.
func forkAt(p proc, mask unix.CPUSet) (int, time.Time, error) {
	attr := &syscall.ProcAttr{
		Env:   p.env,
		Files: []uintptr{devNull.Fd(), fdOf(p.stdout), fdOf(p.stderr)},
		Sys:   &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL},
	}
	if mask.Count() > 0 {
		if err := unix.SchedSetaffinity(0, &mask); err != nil {
			return 0, time.Time{}, fmt.Errorf("pinning to CPUs %v: %w", p.cpus, err)
		}
	}
	start := time.Now()
	pid, err := syscall.ForkExec(p.path, p.argv, attr)
	return pid, start, err
}

func fdOf(f *os.File) uintptr {
	if f == nil {
		return devNull.Fd()
	}
	return f.Fd() // also makes the descriptor blocking, as a child expects its stdout to be
}

// waitExit waits for pid to exit and returns how it ended, with its rusage.
func waitExit(pid int) (syscall.WaitStatus, syscall.Rusage, error) {
	var ws syscall.WaitStatus
	var ru syscall.Rusage
	for {
		_, err := syscall.Wait4(pid, &ws, 0, &ru)
		if err != syscall.EINTR {
			return ws, ru, err
		}
	}
}
