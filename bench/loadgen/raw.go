package loadgen

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// The engine's system calls never block (non-blocking sockets, epoll with a zero timeout), so
// it makes them raw: through unix.Write and friends, each call would tell the Go scheduler it
// is entering a system call, which wakes the runtime's sysmon thread whenever the process had
// been idle, and that wake-up (a futex, then sysmon's short sleeps) cost more CPU than the
// request itself at 10,000 requests/s.

func errno(e unix.Errno) error {
	if e == 0 {
		return nil
	}
	return e
}

func rawWrite(fd int, b []byte) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	n, _, e := unix.RawSyscall(unix.SYS_WRITE, uintptr(fd), uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)))
	return int(n), errno(e)
}

func rawRead(fd int, b []byte) (int, error) {
	n, _, e := unix.RawSyscall(unix.SYS_READ, uintptr(fd), uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)))
	return int(n), errno(e)
}

// rawPoll is epoll_pwait with a zero timeout: it returns what is ready without waiting.
func rawPoll(ep int, events []unix.EpollEvent) (int, error) {
	n, _, e := unix.RawSyscall6(unix.SYS_EPOLL_PWAIT, uintptr(ep), uintptr(unsafe.Pointer(&events[0])), uintptr(len(events)), 0, 0, 0)
	return int(n), errno(e)
}

func rawTimerfdSettime(fd int, flags int, spec *unix.ItimerSpec) error {
	_, _, e := unix.RawSyscall6(unix.SYS_TIMERFD_SETTIME, uintptr(fd), uintptr(flags), uintptr(unsafe.Pointer(spec)), 0, 0, 0)
	return errno(e)
}
