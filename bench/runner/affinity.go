package runner

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// exitAffinity waits for pid, a child of the harness, to exit without reaping it (waitid with
// WNOWAIT), and returns the CPUs it was allowed to run on when it exited: a peer may change
// its own affinity, and then the pinning the manifest records is not where it ran. nil when
// it cannot tell. The caller reaps the child as usual afterwards.
func exitAffinity(pid int) []int {
	var info unix.Siginfo
	for {
		err := unix.Waitid(unix.P_PID, pid, &info, unix.WEXITED|unix.WNOWAIT, nil)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return nil
		}
		break
	}
	return cpusAllowed(pid)
}

// cpusAllowed reads a process's allowed CPUs (Cpus_allowed_list of /proc/PID/status, which
// a zombie still has); nil when it cannot.
func cpusAllowed(pid int) []int {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return nil
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "Cpus_allowed_list:"); ok {
			cpus, err := parseCPUList(strings.TrimSpace(v))
			if err != nil {
				return nil
			}
			return cpus
		}
	}
	return nil
}

// parseCPUList reads the kernel's CPU list format: "0-3,5,7-8".
func parseCPUList(s string) ([]int, error) {
	var out []int
	for _, part := range strings.Split(s, ",") {
		lo, hi, isRange := strings.Cut(part, "-")
		a, err := strconv.Atoi(lo)
		if err != nil {
			return nil, fmt.Errorf("CPU list %q: %w", s, err)
		}
		b := a
		if isRange {
			if b, err = strconv.Atoi(hi); err != nil || b < a {
				return nil, fmt.Errorf("CPU list %q: bad range %q", s, part)
			}
		}
		for c := a; c <= b; c++ {
			out = append(out, c)
		}
	}
	return out, nil
}

// affinityNote says, for the case's record, that a peer pinned to pinned ran on other CPUs
// when it exited (it changed its own affinity); "" when it did not, or when either is unknown.
func affinityNote(run int, pinned, atExit []int) string {
	if len(pinned) == 0 || len(atExit) == 0 || slices.Equal(slices.Sorted(slices.Values(pinned)), atExit) {
		return ""
	}
	return fmt.Sprintf("run %d: the peer changed its own CPU affinity: pinned to %v, allowed %v when it exited; the pinning recorded is not where it ran", run, pinned, atExit)
}
