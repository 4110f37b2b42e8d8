package runner

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/gorustbench/gorustbench/bench/probe"
	"golang.org/x/sys/unix"
)

// Peers must not outlive the harness. Three defences:
//   - every peer is forked from one OS thread that stays locked for the harness's lifetime
//     (spawn.go),
//     with a parent-death signal (Pdeathsig fires when the thread that forked dies, so a
//     thread that may exit would kill peers at random; this one only exits with the process);
//   - every running peer's process group is registered in a file, and the next harness to
//     start sweeps the groups whose harness is gone (a killed harness cannot clean up, and
//     Pdeathsig only reaches the peer itself, not its children);
//   - the harness is a child subreaper, so a descendant that escapes its group with setsid()
//     becomes the harness's child when its parent exits: it is found, reported and killed.

var (
	liveMu sync.Mutex
	// live_ holds the peers started and not yet reaped, by pid; each channel is closed once
	// the peer's group is in the registry.
	live_ = map[int]chan struct{}{}
)

// RegistryRoot, when set, is where the registry of running peer groups lives (tests point
// it elsewhere). Otherwise it is /dev/shm when there is one, else /tmp: never $TMPDIR, so
// that a run with another TMPDIR still finds what a killed harness left.
var RegistryRoot = ""

// groupsDir holds one file per running peer group, named after the group, holding the
// harness's pid and the peer's start time (field 22 of /proc/PID/stat). Escapees (setsid)
// seen while their peer runs are registered there too, as the groups they lead. /dev/shm is
// memory, so a write costs microseconds.
func groupsDir() string {
	name := fmt.Sprintf("gorustbench-peers-%d", os.Getuid())
	if RegistryRoot != "" {
		return filepath.Join(RegistryRoot, name)
	}
	if st, err := os.Stat("/dev/shm"); err == nil && st.IsDir() && unix.Access("/dev/shm", unix.W_OK) == nil {
		return filepath.Join("/dev/shm", name)
	}
	return filepath.Join("/tmp", name)
}

// track marks pid as a running peer, before its group is in the registry; the channel is
// for register.
func track(pid int) chan struct{} {
	registered := make(chan struct{})
	liveMu.Lock()
	live_[pid] = registered
	liveMu.Unlock()
	return registered
}

// register writes pid's group into the registry, for the next harness to sweep if this one
// dies. It runs off the thread that waits on the peer (and off the peer's CPUs), while the
// peer runs; killGroup waits for it.
func register(pid int, registered chan struct{}) {
	defer close(registered)
	noteRegistry(writeRegistry(pid, probe.StartTime(pid)))
}

// writeRegistry records pid's group, started at start, in the registry.
func writeRegistry(pid int, start string) error {
	dir := groupsDir()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, strconv.Itoa(pid)), []byte(fmt.Sprintf("%d %s\n", os.Getpid(), start)), 0o600)
}

var (
	registryMu  sync.Mutex
	registryErr error // the first registry write that failed since RegistryError last looked
)

func noteRegistry(err error) {
	registryMu.Lock()
	defer registryMu.Unlock()
	if err != nil && registryErr == nil {
		registryErr = err
	}
}

// RegistryError returns, and forgets, the first failure to write the registry of running peer
// groups: those peers would outlive a harness killed with SIGKILL, unswept.
func RegistryError() error {
	registryMu.Lock()
	defer registryMu.Unlock()
	err := registryErr
	registryErr = nil
	return err
}

// killGroup kills pid's process group and forgets it.
func killGroup(pid int) {
	_ = syscall.Kill(-pid, syscall.SIGKILL)
	liveMu.Lock()
	registered := live_[pid]
	delete(live_, pid)
	liveMu.Unlock()
	if registered != nil {
		<-registered // so the file removed below is not written after
	}
	os.Remove(filepath.Join(groupsDir(), strconv.Itoa(pid)))
}

// Sweep kills the process groups of peers whose harness died without stopping them (killed
// with SIGKILL, or crashed), and says what it killed. A run calls it before its first peer.
func Sweep() []string {
	dir := groupsDir()
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		pgid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		path := filepath.Join(dir, e.Name())
		b, _ := os.ReadFile(path)
		f := strings.Fields(string(b))
		if len(f) < 1 {
			os.Remove(path)
			continue
		}
		harness, _ := strconv.Atoi(f[0])
		if harness != os.Getpid() && syscall.Kill(harness, 0) == nil {
			continue // another harness, still running: its peers are its own
		}
		if harness == os.Getpid() {
			liveMu.Lock()
			_, running := live_[pgid]
			liveMu.Unlock()
			if running {
				continue
			}
		}
		os.Remove(path)
		if syscall.Kill(-pgid, 0) != nil {
			continue // the group is gone
		}
		// The leader's pid cannot be reused while its group has members; if the leader is
		// still there, it must be the process that was registered.
		if st := probe.StartTime(pgid); st != "" && len(f) > 1 && st != f[1] {
			continue
		}
		if syscall.Kill(-pgid, syscall.SIGKILL) == nil {
			out = append(out, fmt.Sprintf("killed process group %d, left running by harness %d that died", pgid, harness))
		}
	}
	return out
}

// Escapees finds processes that escaped their peer's process group (setsid) and were
// reparented to the harness (a subreaper) when their parent exited: it kills them, reaps
// them and describes each. Zombies of killed group members are reaped quietly.
func Escapees() []string {
	self := strconv.Itoa(os.Getpid())
	pgrp, sid := strconv.Itoa(syscall.Getpgrp()), ""
	if s, err := unix.Getsid(0); err == nil {
		sid = strconv.Itoa(s)
	}
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		s := string(b)
		i := strings.LastIndexByte(s, ')')
		if i < 0 {
			continue
		}
		// state ppid pgrp session ...
		f := strings.Fields(s[i+1:])
		if len(f) < 4 || f[1] != self || f[2] == pgrp {
			continue // not ours, or a child the harness started in its own group (a tool)
		}
		liveMu.Lock()
		_, running := live_[pid]
		liveMu.Unlock()
		if running {
			continue
		}
		comm := s[strings.IndexByte(s, '(')+1 : i]
		switch {
		case f[0] == "Z": // a member of a killed peer group, reparented here
		case f[3] != sid: // a new session: it escaped with setsid()
			if syscall.Kill(pid, syscall.SIGKILL) != nil {
				continue
			}
			out = append(out, fmt.Sprintf("pid %d (%s) escaped its peer's process group with setsid() and was still running: killed", pid, comm))
			forgetEscapee(pid)
		default:
			continue // a member of a peer group being killed: reaped once it is a zombie
		}
		var ws syscall.WaitStatus
		_, _ = syscall.Wait4(pid, &ws, 0, nil)
	}
	return out
}

// escapeesSeen are the escapees registered by watchEscapees, by pid, with their start time.
var (
	escMu        sync.Mutex
	escapeesSeen = map[int]string{}
)

// watchEscapees registers, every period until stop is called, the harness's descendants
// that left its session (setsid) while their peer still runs: each leads a group of its
// own that the peer's registered group does not cover, so a harness killed with SIGKILL
// would leave it running for ever. Registered, the next run's Sweep kills it. It walks only
// the harness's own process tree (/proc/PID/task/TID/children), a few reads per period.
func watchEscapees(period time.Duration) (stop func()) {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(period)
		defer t.Stop()
		for {
			registerEscapees()
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() { close(done); <-finished }
}

// registerEscapees registers every descendant of the harness in another session that is
// not registered yet, and forgets those that are gone.
func registerEscapees() {
	sid, err := unix.Getsid(0)
	if err != nil {
		return
	}
	seen := map[int]bool{}
	queue := children(os.Getpid())
	for len(queue) > 0 {
		pid := queue[0]
		queue = queue[1:]
		if seen[pid] {
			continue
		}
		seen[pid] = true
		queue = append(queue, children(pid)...)
		if s, err := unix.Getsid(pid); err != nil || s == sid {
			continue
		}
		escMu.Lock()
		_, known := escapeesSeen[pid]
		escMu.Unlock()
		if known {
			continue
		}
		// setsid made it the leader of its own session and group: its group is its pid.
		if pgid, err := syscall.Getpgid(pid); err != nil || pgid != pid {
			continue
		}
		st := probe.StartTime(pid)
		err := writeRegistry(pid, st)
		noteRegistry(err)
		if err == nil {
			escMu.Lock()
			escapeesSeen[pid] = st
			escMu.Unlock()
		}
	}
	escMu.Lock()
	defer escMu.Unlock()
	for pid, st := range escapeesSeen {
		if !seen[pid] && probe.StartTime(pid) != st {
			delete(escapeesSeen, pid)
			os.Remove(filepath.Join(groupsDir(), strconv.Itoa(pid)))
		}
	}
}

// forgetEscapee drops a killed escapee from the registry.
func forgetEscapee(pid int) {
	escMu.Lock()
	delete(escapeesSeen, pid)
	escMu.Unlock()
	os.Remove(filepath.Join(groupsDir(), strconv.Itoa(pid)))
}

// children lists pid's children, over all its threads.
func children(pid int) []int {
	tasks, err := os.ReadDir(fmt.Sprintf("/proc/%d/task", pid))
	if err != nil {
		return nil
	}
	var out []int
	for _, t := range tasks {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%s/children", pid, t.Name()))
		if err != nil {
			continue
		}
		for _, f := range strings.Fields(string(b)) {
			if n, err := strconv.Atoi(f); err == nil {
				out = append(out, n)
			}
		}
	}
	return out
}
