// Package probe holds the instruments that measure a peer from outside: /proc reads of its
// memory and CPU, and the facts about the machine and toolchains every run records.
//
// Memory is read from /proc/PID/status (VmHWM, VmRSS), never from rusage ru_maxrss: at exec
// the kernel carries the parent's high-water mark into the child, so ru_maxrss of a peer
// started by the harness reports the harness's memory whenever it is the larger.
package probe

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// Status is the memory part of /proc/PID/status, in KiB.
type Status struct {
	VmHWMKiB int64 // peak resident set size
	VmRSSKiB int64 // current resident set size
}

// ReadStatus reads /proc/PID/status. A process that has exited (or is a zombie) has no
// memory lines: the error says so.
func ReadStatus(pid int) (Status, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return Status{}, err
	}
	return parseStatus(data, pid)
}

func parseStatus(data []byte, pid int) (Status, error) {
	s := Status{VmHWMKiB: -1, VmRSSKiB: -1}
	for _, line := range bytes.Split(data, []byte{'\n'}) {
		key, rest, ok := bytes.Cut(line, []byte{':'})
		if !ok {
			continue
		}
		var dst *int64
		switch string(key) {
		case "VmHWM":
			dst = &s.VmHWMKiB
		case "VmRSS":
			dst = &s.VmRSSKiB
		default:
			continue
		}
		fields := bytes.Fields(rest)
		if len(fields) != 2 || string(fields[1]) != "kB" {
			return Status{}, fmt.Errorf("/proc/%d/status: unexpected line %q", pid, line)
		}
		v, err := strconv.ParseInt(string(fields[0]), 10, 64)
		if err != nil {
			return Status{}, fmt.Errorf("/proc/%d/status: unexpected line %q", pid, line)
		}
		*dst = v
	}
	if s.VmHWMKiB < 0 || s.VmRSSKiB < 0 {
		return Status{}, fmt.Errorf("/proc/%d/status has no VmHWM/VmRSS (the process has exited)", pid)
	}
	return s, nil
}

// Schedstat is /proc/PID/schedstat: time on CPU and time waiting for one, summed over the
// process's threads that are still alive (the kernel folds exited threads into the leader
// only at exit), in ns.
type Schedstat struct {
	RunNs, WaitNs int64
	Slices        int64 // times scheduled
}

// ReadSchedstat sums /proc/PID/task/*/schedstat.
func ReadSchedstat(pid int) (Schedstat, error) {
	dir := fmt.Sprintf("/proc/%d/task", pid)
	tasks, err := os.ReadDir(dir)
	if err != nil {
		return Schedstat{}, err
	}
	var total Schedstat
	for _, t := range tasks {
		data, err := os.ReadFile(dir + "/" + t.Name() + "/schedstat")
		if err != nil {
			continue // the thread exited between the listing and the read
		}
		f := bytes.Fields(data)
		if len(f) != 3 {
			return Schedstat{}, fmt.Errorf("%s/%s/schedstat: unexpected %q", dir, t.Name(), data)
		}
		var v [3]int64
		for i := range f {
			v[i], err = strconv.ParseInt(string(f[i]), 10, 64)
			if err != nil {
				return Schedstat{}, fmt.Errorf("%s/%s/schedstat: unexpected %q", dir, t.Name(), data)
			}
		}
		total.RunNs += v[0]
		total.WaitNs += v[1]
		total.Slices += v[2]
	}
	return total, nil
}

// DropPageCache flushes dirty pages and drops the page cache, dentries and inodes, so the
// next exec reads its binary and libraries from disk: a cold start. It needs root on a host
// (or a container allowed to write /proc/sys/vm/drop_caches), and slows everything else on
// the machine for a moment.
func DropPageCache() error {
	syscall.Sync()
	f, err := os.OpenFile("/proc/sys/vm/drop_caches", os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	if _, err := f.WriteString("3"); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// MemAvailable is the kernel's estimate of memory available to a new process, in bytes
// (MemAvailable in /proc/meminfo); 0 when it cannot be read.
func MemAvailable() uint64 {
	data, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "MemAvailable:"); ok {
			f := strings.Fields(rest)
			if len(f) >= 1 {
				if kib, err := strconv.ParseUint(f[0], 10, 64); err == nil {
					return kib << 10
				}
			}
		}
	}
	return 0
}

// StartTime is when process pid started, in clock ticks after boot (field 22 of
// /proc/PID/stat): with the pid, it tells a process from a later one that reused its pid.
// "" when the process does not exist.
func StartTime(pid int) string {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return ""
	}
	s := string(b)
	if i := strings.LastIndexByte(s, ')'); i >= 0 {
		if f := strings.Fields(s[i+1:]); len(f) > 19 {
			return f[19]
		}
	}
	return ""
}
