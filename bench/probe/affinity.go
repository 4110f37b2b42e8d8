package probe

import (
	"fmt"
	"runtime"

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
