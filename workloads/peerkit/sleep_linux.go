//go:build linux

package peerkit

import (
	"syscall"
	"time"
	"unsafe"
)

// kernelSleep sleeps d in nanosleep(2), resuming after a signal (the runtime's preemption
// signals interrupt it) for the time that remains, as Rust's thread::sleep does.
func kernelSleep(d time.Duration) {
	ts := syscall.NsecToTimespec(int64(d))
	for {
		var rem syscall.Timespec
		_, _, errno := syscall.Syscall(syscall.SYS_NANOSLEEP, uintptr(unsafe.Pointer(&ts)), uintptr(unsafe.Pointer(&rem)), 0)
		if errno != syscall.EINTR {
			return
		}
		ts = rem
	}
}
