package calibrate

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/gorustbench/gorustbench/bench/peer"
	"github.com/gorustbench/gorustbench/bench/probe"
	"github.com/gorustbench/gorustbench/bench/results"
	"github.com/gorustbench/gorustbench/bench/runner"
)

// floor runs the idle hiccup meter alone on each CPU: how late a thread that sleeps 1 ms
// wakes with nothing else there, the machine's own stalls. No latency below it is resolved.
func (k *kit) floor(ctx context.Context) (results.Floor, error) {
	f := results.Floor{TimerSlackNs: probe.TimerSlack(), StealFraction: -1}
	path, err := k.bin(idleBin)
	if err != nil {
		k.cfg.logf("calibrate: no floor: %v", err)
		return f, nil
	}
	ms := k.sz.floor.Milliseconds()
	for _, cpu := range k.cfg.CPUs {
		out, errf, err := k.logFiles("idle")
		if err != nil {
			return f, err
		}
		restore, err := runner.PinHarness(otherThan(k.cfg.CPUs, cpu))
		if err != nil {
			return f, err
		}
		o, err := runner.Exec(ctx, runner.Spec{Path: path, Args: []string{"--size", strconv.FormatInt(ms, 10), "--hiccup"},
			CPUs: []int{cpu}, Timeout: k.sz.floor + 30*time.Second, Stdout: out, Stderr: errf})
		restore()
		out.Close()
		errf.Close()
		if interrupted(ctx, err) {
			return f, ctx.Err()
		}
		if err == nil {
			if why := o.Failure(time.Minute); why != "" {
				err = fmt.Errorf("idle %s", why)
			}
		}
		var res peer.Result
		if err == nil {
			res, err = peer.ParseResult(o.Stdout, peer.Expect{Workload: "idle", Lang: "c", Variant: "std",
				Params: peer.Params{Size: ms, Iters: 1, Threads: 1, Seed: 1}, Hiccup: true})
		}
		if err != nil {
			k.cfg.logf("calibrate: no floor on CPU %d: %v", cpu, err)
			continue
		}
		h := res.Hiccup
		f.CPUs = append(f.CPUs, results.CPUFloor{CPU: cpu, N: int(h.Count), P99Ns: int64(h.P99Ns), P999Ns: int64(h.P999Ns), MaxNs: int64(h.MaxNs)})
	}
	return f, nil
}

// otherThan is cpus with cpu moved to the front, so that PinHarness keeps the harness there
// while cpu is measured; with one CPU, just that one.
func otherThan(cpus []int, cpu int) []int {
	out := []int{}
	for _, c := range cpus {
		if c != cpu {
			out = append(out, c)
		}
	}
	return append(out, cpu)
}
