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

// rawPoll is epoll_pwait with a zero timeout: it returns what is ready without waiting.
func rawPoll(ep int, events []unix.EpollEvent) (int, error) {
	n, _, e := unix.RawSyscall6(unix.SYS_EPOLL_PWAIT, uintptr(ep), uintptr(unsafe.Pointer(&events[0])), uintptr(len(events)), 0, 0, 0)
	return int(n), errno(e)
}

func rawTimerfdSettime(fd int, flags int, spec *unix.ItimerSpec) error {
	_, _, e := unix.RawSyscall6(unix.SYS_TIMERFD_SETTIME, uintptr(fd), uintptr(flags), uintptr(unsafe.Pointer(spec)), 0, 0, 0)
	return errno(e)
}

// receiver reads a socket with recvmsg, for the kernel's receive timestamp (SO_TIMESTAMPNS)
// of the last segment read: when the bytes reached the socket, however late the engine reads
// them. Its message header and buffers are reused, so a read allocates nothing.
type receiver struct {
	msg unix.Msghdr
	iov unix.Iovec
	oob [64]byte
}

// recv reads into b. stamp is the receive time (CLOCK_REALTIME, ns) of the last segment read,
// or 0 if the kernel gave none.
func (r *receiver) recv(fd int, b []byte) (n int, stamp int64, err error) {
	r.iov.Base = &b[0]
	r.iov.SetLen(len(b))
	r.msg.Iov = &r.iov
	r.msg.Iovlen = 1
	r.msg.Control = &r.oob[0]
	r.msg.SetControllen(len(r.oob))
	m, _, e := unix.RawSyscall(unix.SYS_RECVMSG, uintptr(fd), uintptr(unsafe.Pointer(&r.msg)), 0)
	if e != 0 {
		return 0, 0, e
	}
	return int(m), r.stamp(), nil
}

// stamp finds the SCM_TIMESTAMPNS control message of the last recvmsg.
func (r *receiver) stamp() int64 {
	oob := r.oob[:r.msg.Controllen]
	for len(oob) >= unix.SizeofCmsghdr {
		h := (*unix.Cmsghdr)(unsafe.Pointer(&oob[0]))
		if h.Len < unix.SizeofCmsghdr || int(h.Len) > len(oob) {
			return 0
		}
		data := oob[unix.CmsgLen(0):h.Len]
		if h.Level == unix.SOL_SOCKET && h.Type == unix.SCM_TIMESTAMPNS && len(data) >= int(unsafe.Sizeof(unix.Timespec{})) {
			return (*unix.Timespec)(unsafe.Pointer(&data[0])).Nano()
		}
		oob = oob[min(unix.CmsgSpace(int(h.Len)-unix.CmsgLen(0)), len(oob)):]
	}
	return 0
}
