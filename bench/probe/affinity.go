package probe

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"strconv"

	"golang.org/x/sys/unix"
)

// CanPin reports whether this process may set CPU affinity (containers may forbid it).
func CanPin() error {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var old unix.CPUSet
	if err := unix.SchedGetaffinity(0, &old); err != nil {
		return err
	}
	return unix.SchedSetaffinity(0, &old)
}

// AllowedCPUs lists the CPUs this process may run on, in order.
func AllowedCPUs() []int {
	var set unix.CPUSet
	if err := unix.SchedGetaffinity(0, &set); err != nil {
		return nil
	}
	var cpus []int
	for c := 0; c < 1024 && len(cpus) < set.Count(); c++ {
		if set.IsSet(c) {
			cpus = append(cpus, c)
		}
	}
	return cpus
}

// PinPlan decides how peers are pinned: the CPUs they may be pinned to (nil: unpinned) and a
// sentence for the manifest saying what was done and why.
func PinPlan(off bool) ([]int, string) {
	cpus := AllowedCPUs()
	switch err := CanPin(); {
	case off:
		return nil, "off (--no-pin)"
	case err != nil:
		return nil, "unavailable: " + err.Error()
	case len(cpus) == 0:
		return nil, "unavailable: this process's CPU affinity could not be read"
	}
	return cpus, fmt.Sprintf("sched_setaffinity before exec, within CPUs %v; a peer with fewer threads than CPUs gets the last ones, leaving CPU %d to the harness", cpus, cpus[0])
}

// PinThreads moves every thread of this process to cpus (threads started later inherit the
// mask of the thread that starts them), so that the harness's own work stays off the CPUs
// its peers are timed on. restore puts every thread still on cpus back on the mask it had,
// or the caller's mask for a thread started since; a thread that set its own mask meanwhile
// keeps it.
func PinThreads(cpus []int) (restore func(), err error) {
	var set, callers unix.CPUSet
	for _, c := range cpus {
		set.Set(c)
	}
	if err := unix.SchedGetaffinity(0, &callers); err != nil {
		return func() {}, fmt.Errorf("reading CPU affinity: %w", err)
	}
	old := map[int]unix.CPUSet{}
	restore = func() {
		for _, tid := range threads() {
			var now unix.CPUSet
			if unix.SchedGetaffinity(tid, &now) != nil || now != set {
				continue
			}
			mask, ok := old[tid]
			if !ok {
				mask = callers
			}
			_ = unix.SchedSetaffinity(tid, &mask)
		}
	}
	for _, tid := range threads() {
		var mask unix.CPUSet
		if unix.SchedGetaffinity(tid, &mask) != nil {
			continue // exited
		}
		if err := unix.SchedSetaffinity(tid, &set); err != nil {
			if errors.Is(err, unix.ESRCH) {
				continue
			}
			restore()
			return func() {}, fmt.Errorf("pinning the harness to CPUs %v: %w", cpus, err)
		}
		old[tid] = mask
	}
	return restore, nil
}

// threads lists this process's thread ids.
func threads() []int {
	tasks, _ := os.ReadDir("/proc/self/task")
	tids := make([]int, 0, len(tasks))
	for _, t := range tasks {
		if tid, err := strconv.Atoi(t.Name()); err == nil {
			tids = append(tids, tid)
		}
	}
	return tids
}
