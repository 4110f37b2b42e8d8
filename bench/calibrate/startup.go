package calibrate

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/gorustbench/gorustbench/bench/results"
	"github.com/gorustbench/gorustbench/bench/runner"
	"github.com/gorustbench/gorustbench/bench/stats"
	"github.com/gorustbench/gorustbench/bench/suite"
)

// startup checks exec-to-exit of each hello against hyperfine -N: the same binary, arguments,
// environment and CPU, its output into a pipe as the harness's is (a peer's writes to a pipe
// wake the reader: 40-60 µs more for the Go hello than writes to /dev/null, hyperfine's
// default), in alternating blocks so that both sides see the same minutes of a shared
// machine. Measured and Expected are the medians of all runs, in ns.
func (k *kit) startup(ctx context.Context) ([]results.Check, error) {
	var out []results.Check
	for _, impl := range suite.Hello.Impls {
		c, err := k.startupOf(ctx, impl)
		if interrupted(ctx, err) {
			return nil, ctx.Err()
		}
		out = append(out, c)
	}
	return out, nil
}

func (k *kit) startupOf(ctx context.Context, impl suite.Impl) (results.Check, error) {
	name := fmt.Sprintf("exec to exit, %s hello", langName(impl.Lang))
	ref := "hyperfine -N --output=pipe, same binary, CPU and minutes"
	path, err := k.bin(impl.Binary)
	if err != nil {
		return skipped(results.InstrStartup, name, ref, err), nil
	}
	args := []string{"--variant", impl.Variant, "--size", "0", "--iters", "1", "--threads", "1", "--seed", "1"}
	per := k.sz.startups / k.sz.blocks
	var ours, theirs []float64
	for i := 0; i < 5; i++ { // warm-up: the page cache, the harness's first fork
		if _, err := k.execPeer(ctx, path, args, nil); err != nil {
			return skipped(results.InstrStartup, name, ref, err), err
		}
	}
	for b := 0; b < k.sz.blocks; b++ {
		unpin, err := k.pinHarness()
		if err != nil {
			return skipped(results.InstrStartup, name, ref, err), err
		}
		for i := 0; i < per && err == nil; i++ {
			var o runner.Outcome
			if o, err = k.execPeer(ctx, path, args, nil); err == nil {
				ours = append(ours, float64(o.Wall.Nanoseconds()))
			}
		}
		unpin()
		if err != nil {
			return skipped(results.InstrStartup, name, ref, err), err
		}
		times, err := k.hyperfine(ctx, path, args, per)
		if err != nil {
			return skipped(results.InstrStartup, name, ref, err), err
		}
		theirs = append(theirs, times...)
	}
	c := results.Check{Instrument: results.InstrStartup, Name: name, Reference: ref, Unit: "ns",
		Measured: stats.Median(ours), Expected: stats.Median(theirs), Tolerance: k.cfg.Tolerance, N: len(ours)}
	c.Judge()
	return c, nil
}

// hyperfine times path with hyperfine -N on the peer's CPU and returns each run's wall time in ns.
func (k *kit) hyperfine(ctx context.Context, path string, args []string, runs int) ([]float64, error) {
	js := filepath.Join(k.logs, "hyperfine.json")
	command := path + " " + strings.Join(args, " ")
	if _, err := tool(ctx, k.peerCPU(), runner.PeerEnv(runner.ThreadEnv(1)), nil, "hyperfine", "-N", "--output=pipe", "--style", "none", "--warmup", "3",
		"--runs", fmt.Sprint(runs), "--export-json", js, command); err != nil {
		return nil, err
	}
	b, err := os.ReadFile(js)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Results []struct {
			Times []float64 `json:"times"`
		} `json:"results"`
	}
	if err := json.Unmarshal(b, &doc); err != nil || len(doc.Results) != 1 {
		return nil, fmt.Errorf("hyperfine wrote no results we can read (%v)", err)
	}
	out := make([]float64, len(doc.Results[0].Times))
	for i, t := range doc.Results[0].Times {
		out[i] = t * 1e9
	}
	return out, nil
}

func langName(lang string) string {
	switch lang {
	case "c":
		return "C"
	case "go":
		return "Go"
	case "rust":
		return "Rust"
	}
	return lang
}
