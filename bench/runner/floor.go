package runner

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/gorustbench/gorustbench/bench/peer"
	"github.com/gorustbench/gorustbench/bench/results"
	"github.com/gorustbench/gorustbench/bench/suite"
)

// measureFloor runs the idle hiccup meter (cpeers/idle) on cpus for d and records its
// lateness as a Floor sample: what the machine itself stalls, with nothing else running on
// that CPU. A missing or failing idle peer is a note on the run, never a failed case: the
// rules then say the floor was not measured.
func (r *Runner) measureFloor(ctx context.Context, cpus []int, d time.Duration) error {
	path := filepath.Join(r.Root, suite.FloorBinary)
	if _, err := os.Stat(path); err != nil {
		return nil
	}
	base := filepath.Join(r.Dir.Path, "logs", "Floor_impl-c-idle")
	out, err1 := os.OpenFile(base+".out", os.O_CREATE|os.O_RDWR|os.O_APPEND, 0o644)
	errf, err2 := os.OpenFile(base+".err", os.O_CREATE|os.O_RDWR|os.O_APPEND, 0o644)
	if err := errors.Join(err1, err2); err != nil {
		return err
	}
	defer out.Close()
	defer errf.Close()
	ms := max(1, d.Milliseconds())
	p := peer.Params{Size: ms, Iters: 1, Threads: 1, Seed: 1}
	o, err := Exec(ctx, Spec{Path: path, Args: []string{"--size", strconv.FormatInt(ms, 10), "--hiccup"}, CPUs: cpus,
		Timeout: d + 30*time.Second, Stdout: out, Stderr: errf})
	if errors.Is(err, ErrInterrupted) {
		return err
	}
	why := ""
	var res peer.Result
	switch {
	case err != nil:
		why = err.Error()
	case o.Failure(d+30*time.Second) != "":
		why = o.Failure(d + 30*time.Second)
	default:
		res, err = peer.ParseResult(o.Stdout, peer.Expect{Workload: "idle", Lang: "c", Variant: "std", Params: p, Hiccup: true})
		if err != nil {
			why = err.Error()
		}
	}
	if why != "" {
		r.Dir.Manifest(func(m *results.Manifest) {
			m.Notes = append(m.Notes, "the idle hiccup meter (the latency floor) failed: "+why)
		})
		return nil
	}
	if err := r.Dir.Add(results.Sample{Key: suite.FloorKey, Iters: 1, Values: append(o.Values(), res.ServerValues()...)}); err != nil {
		return fmt.Errorf("writing results: %w", err)
	}
	return nil
}
