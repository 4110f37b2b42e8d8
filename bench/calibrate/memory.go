package calibrate

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"

	"github.com/gorustbench/gorustbench/bench/peer"
	"github.com/gorustbench/gorustbench/bench/results"
	"github.com/gorustbench/gorustbench/bench/stats"
)

var memhogBin = "cpeers/bin/memhog"
var idleBin = "cpeers/bin/idle"

// peakRSS checks the peak memory peers report (VmHWM) twice: memhog holding exactly 64 MiB
// must read as 64 MiB more than memhog holding nothing (a known answer), and as what
// /usr/bin/time -v reports for the same command (an independent tool; its child's ru_maxrss
// is clean, /usr/bin/time being small).
func (k *kit) peakRSS(ctx context.Context) ([]results.Check, error) {
	known := results.Check{Instrument: results.InstrPeakRSS, Name: fmt.Sprintf("VmHWM of memhog %d MiB, less memhog 0 MiB", k.sz.memhog),
		Reference: fmt.Sprintf("the %d MiB it holds", k.sz.memhog), Unit: "KiB", Tolerance: 0.02, N: 3}
	vsTime := results.Check{Instrument: results.InstrPeakRSS, Name: fmt.Sprintf("VmHWM of memhog %d MiB", k.sz.memhog),
		Reference: "/usr/bin/time -v, maximum resident set size", Unit: "KiB", Tolerance: k.cfg.Tolerance, N: 3}
	path, err := k.bin(memhogBin)
	if err != nil {
		return []results.Check{skipped(known.Instrument, known.Name, known.Reference, err), skipped(vsTime.Instrument, vsTime.Name, vsTime.Reference, err)}, nil
	}
	hwm := func(mib int64) (float64, error) {
		p := peer.Params{Size: mib, Iters: 1, Threads: 1, Seed: 1}
		o, err := k.execPeer(ctx, path, []string{"--size", strconv.FormatInt(mib, 10)}, nil)
		if err != nil {
			return 0, err
		}
		res, err := peer.ParseResult(o.Stdout, peer.Expect{Workload: "memhog", Lang: "c", Variant: "std", Params: p})
		return float64(res.VmHWMKiB), err
	}
	var big, base, timed []float64
	for i := 0; i < 3; i++ {
		b, err := hwm(k.sz.memhog)
		if err != nil {
			if e := skipErr(ctx, err, &known, &vsTime); e != nil {
				return nil, e
			}
			return []results.Check{known, vsTime}, nil
		}
		z, err := hwm(0)
		if err != nil {
			if e := skipErr(ctx, err, &known, &vsTime); e != nil {
				return nil, e
			}
			return []results.Check{known, vsTime}, nil
		}
		big, base = append(big, b), append(base, z)
		report := filepath.Join(k.logs, "time-v.txt")
		if _, err := tool(ctx, k.peerCPU(), nil, nil, "/usr/bin/time", "-v", "-o", report, path, "--size", strconv.FormatInt(k.sz.memhog, 10)); err != nil {
			vsTime.Status, vsTime.Note = results.CheckSkipped, err.Error()
			continue
		}
		text, _ := os.ReadFile(report)
		m := maxRSS.FindSubmatch(text)
		if m == nil {
			vsTime.Status, vsTime.Note = results.CheckSkipped, "/usr/bin/time -v printed no maximum resident set size"
			continue
		}
		v, _ := strconv.ParseFloat(string(m[1]), 64)
		timed = append(timed, v)
	}
	known.Measured, known.Expected = stats.Median(big)-stats.Median(base), float64(k.sz.memhog*1024)
	known.Note = fmt.Sprintf("memhog 0 MiB: %.0f KiB", stats.Median(base))
	known.Judge()
	vsTime.Measured, vsTime.Expected = stats.Median(big), stats.Median(timed)
	vsTime.Judge()
	return []results.Check{known, vsTime}, nil
}

var maxRSS = regexp.MustCompile(`Maximum resident set size \(kbytes\): (\d+)`)

// skipErr marks checks skipped for err, or passes an interruption up.
func skipErr(ctx context.Context, err error, checks ...*results.Check) error {
	if interrupted(ctx, err) {
		return ctx.Err()
	}
	for _, c := range checks {
		c.Status, c.Note = results.CheckSkipped, err.Error()
	}
	return nil
}

// cpuTime checks wait4's user+sys against a peer that burns a known amount of CPU.
func (k *kit) cpuTime(ctx context.Context) ([]results.Check, error) {
	c := results.Check{Instrument: results.InstrCPUTime, Name: "user+sys from wait4, idle --variant burn",
		Reference: fmt.Sprintf("the %d ms of CPU it burns (its own CLOCK_PROCESS_CPUTIME_ID)", k.sz.burn), Unit: "ns", Tolerance: 0.05, N: 3}
	path, err := k.bin(idleBin)
	if err != nil {
		return []results.Check{skipped(c.Instrument, c.Name, c.Reference, err)}, nil
	}
	var cpu []float64
	for i := 0; i < c.N; i++ {
		o, err := k.execPeer(ctx, path, []string{"--variant", "burn", "--size", strconv.FormatInt(k.sz.burn, 10)}, nil)
		if err != nil {
			if e := skipErr(ctx, err, &c); e != nil {
				return nil, e
			}
			return []results.Check{c}, nil
		}
		cpu = append(cpu, float64((o.User + o.Sys).Nanoseconds()))
	}
	c.Measured, c.Expected = stats.Median(cpu), float64(k.sz.burn)*1e6
	c.Judge()
	return []results.Check{c}, nil
}
