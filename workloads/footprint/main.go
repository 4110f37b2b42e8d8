// Command footprint is the Go peer of the footprint workload (workloads/README.md): start N
// goroutines that each block on one shared channel, wait until all are parked, read RSS and
// the runtime's stack accounting, close the channel and join them.
package main

import (
	"bytes"
	"fmt"
	"os"
	"runtime"
	"runtime/metrics"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorustbench/gorustbench/workloads/peerkit"
)

// reserveKiB is the memory the peer insists on per task before it starts: a generous bound
// (a parked goroutine takes a few KiB), so that a run which cannot fit refuses instead of
// pushing the machine into the OOM killer.
const reserveKiB = 16

const metricStacks = "/memory/classes/heap/stacks:bytes"

func main() {
	p := peerkit.Defaults("goroutine")
	p.Size = 10000
	p.Parse(os.Args[1:])
	p.RequireVariant("goroutine")
	if p.Size < 1 {
		peerkit.Usage("--size: footprint needs at least 1 task")
	}
	if p.Iters != 1 {
		peerkit.Usage("--iters: footprint measures one cold spawn, --iters must be 1")
	}
	n := p.Size
	if avail := procStatusKiB("/proc/meminfo", "MemAvailable:"); avail > 0 && n*reserveKiB > avail {
		peerkit.Usage(fmt.Sprintf("--size %d: would need about %d MiB (%d KiB per task), MemAvailable is %d MiB",
			n, n*reserveKiB/1024, reserveKiB, avail/1024))
	}
	runtime.GOMAXPROCS(int(p.Threads))

	release, allParked := make(chan struct{}), make(chan struct{})
	var parked atomic.Int64
	var wg sync.WaitGroup
	stacks := []metrics.Sample{{Name: metricStacks}}
	runtime.GC()
	metrics.Read(stacks)
	stacksBefore := stacks[0].Value.Uint64()
	rssBefore := procStatusKiB("/proc/self/status", "VmRSS:")

	r := peerkit.Begin(&p)
	t0 := time.Now()
	for range n {
		wg.Go(func() {
			if parked.Add(1) == n {
				close(allParked)
			}
			<-release
		})
	}
	tSpawned := time.Now()
	<-allParked
	tParked := time.Now()
	rssParked := procStatusKiB("/proc/self/status", "VmRSS:")
	metrics.Read(stacks)
	stacksParked := stacks[0].Value.Uint64()
	tRelease := time.Now()
	close(release)
	wg.Wait()
	tJoined := time.Now()
	r.End()

	r.Extra = []peerkit.KV{
		{Key: "rss_before_kib", Value: uint64(rssBefore)},
		{Key: "rss_parked_kib", Value: uint64(rssParked)},
		{Key: "spawn_ns", Value: uint64(tSpawned.Sub(t0))},
		{Key: "park_ns", Value: uint64(tParked.Sub(tSpawned))},
		{Key: "join_ns", Value: uint64(tJoined.Sub(tRelease))},
		{Key: "go_stacks_before_bytes", Value: stacksBefore},
		{Key: "go_stacks_parked_bytes", Value: stacksParked},
	}
	r.Report("footprint", &p, n, peerkit.FNV1a64(strconv.AppendInt(nil, parked.Load(), 10)))
}

// procStatusKiB reads a "Name: value kB" line of a /proc file; -1 if it cannot.
func procStatusKiB(path, key string) int64 {
	data, err := os.ReadFile(path)
	if err != nil {
		return -1
	}
	for _, line := range bytes.Split(data, []byte{'\n'}) {
		if rest, ok := bytes.CutPrefix(line, []byte(key)); ok {
			if f := bytes.Fields(rest); len(f) > 0 {
				if v, err := strconv.ParseInt(string(f[0]), 10, 64); err == nil {
					return v
				}
			}
		}
	}
	return -1
}
