package runner

import (
	"os"
	"strconv"

	"golang.org/x/sys/unix"
)

// NoInheritedFDs marks every file descriptor above 2 close-on-exec. Go opens its own files
// close-on-exec and os/exec passes a child only 0-2 (and ExtraFiles), but descriptors the
// harness inherited from its parent (a shell's 3>file, a CI runner's pipes) are open without
// it and would leak into every peer, which could hold a pipe open or measure differently.
// The run command calls it first thing; it returns how many it marked.
func NoInheritedFDs() int {
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return 0
	}
	n := 0
	for _, e := range entries {
		fd, err := strconv.Atoi(e.Name())
		if err != nil || fd <= 2 {
			continue
		}
		flags, err := unix.FcntlInt(uintptr(fd), unix.F_GETFD, 0)
		if err != nil || flags&unix.FD_CLOEXEC != 0 {
			continue // closed since the listing (the listing's own descriptor), or already marked
		}
		if _, err := unix.FcntlInt(uintptr(fd), unix.F_SETFD, flags|unix.FD_CLOEXEC); err == nil {
			n++
		}
	}
	return n
}
