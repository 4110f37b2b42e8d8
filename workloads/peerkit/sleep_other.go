//go:build !linux

package peerkit

import "time"

// kernelSleep sleeps d. Outside Linux (the WebAssembly build of hello, which never runs the
// meter) there is no nanosleep to call directly; the runtime's sleep stands in.
func kernelSleep(d time.Duration) { time.Sleep(d) }
