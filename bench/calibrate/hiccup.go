package calibrate

import (
	"context"
	"fmt"
	"syscall"
	"time"

	"github.com/gorustbench/gorustbench/bench/peer"
	"github.com/gorustbench/gorustbench/bench/results"
	"github.com/gorustbench/gorustbench/bench/runner"
	"github.com/gorustbench/gorustbench/bench/suite"
)

// hiccup checks each kit's hiccup meter against a stall of known length: the harness stops
// the peer's whole process group with SIGSTOP, waits, and sends SIGCONT. The meter's thread,
// asleep for 1 ms when the stop came, wakes when the group continues, so its largest lateness
// must be the stop's length less at most one interval (1 ms), plus its wake-up. C: the idle
// peer; Go and Rust: their echo servers, whose meter runs from READY to SIGTERM.
func (k *kit) hiccup(ctx context.Context) ([]results.Check, error) {
	var out []results.Check
	c, err := k.hiccupC(ctx)
	if err != nil {
		return nil, err
	}
	out = append(out, c)
	for _, id := range []string{"go-std", "rust-hyper"} {
		impl, ok := implOf(suite.Echo, id)
		if !ok {
			return nil, fmt.Errorf("the suite has no echo implementation %s", id)
		}
		c, err := k.hiccupServer(ctx, impl)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

func (k *kit) hiccupCheck(lang string) results.Check {
	return results.Check{Instrument: results.InstrHiccup, Name: fmt.Sprintf("hiccup meter's max, %s kit", langName(lang)),
		Reference: "SIGSTOP of the process group for a known time", Unit: "ns", Tolerance: 0.05, N: 1}
}

// stall stops pid's group for the stall's length once settle has passed, and returns how long
// it was stopped, by the harness's clock.
func (k *kit) stall(pid int, settle time.Duration) time.Duration {
	time.Sleep(settle)
	t := time.Now()
	if syscall.Kill(-pid, syscall.SIGSTOP) != nil {
		return 0
	}
	time.Sleep(k.sz.stall)
	d := time.Since(t)
	syscall.Kill(-pid, syscall.SIGCONT)
	return d
}

func (k *kit) hiccupC(ctx context.Context) (results.Check, error) {
	c := k.hiccupCheck("c")
	path, err := k.bin(idleBin)
	if err != nil {
		return skipped(c.Instrument, c.Name, c.Reference, err), nil
	}
	ms := (3*k.sz.stall + 600*time.Millisecond).Milliseconds()
	stopped := make(chan time.Duration, 1)
	o, err := k.execPeer(ctx, path, []string{"--size", fmt.Sprint(ms), "--hiccup"}, func(pid int) {
		go func() { stopped <- k.stall(pid, 300*time.Millisecond) }()
	})
	if err != nil {
		err = skipErr(ctx, err, &c) // first: it marks c
		return c, err
	}
	res, err := peer.ParseResult(o.Stdout, peer.Expect{Workload: "idle", Lang: "c", Variant: "std",
		Params: peer.Params{Size: ms, Iters: 1, Threads: 1, Seed: 1}, Hiccup: true})
	if err != nil {
		err = skipErr(ctx, err, &c) // first: it marks c
		return c, err
	}
	c.Measured, c.Expected = float64(res.Hiccup.MaxNs), float64((<-stopped).Nanoseconds())
	c.Judge()
	return c, nil
}

func (k *kit) hiccupServer(ctx context.Context, impl suite.Impl) (results.Check, error) {
	c := k.hiccupCheck(impl.Lang)
	c.Name += " (" + impl.ID() + " server)"
	path, err := k.bin(impl.Binary)
	if err != nil {
		return skipped(c.Instrument, c.Name, c.Reference, err), nil
	}
	out, errf, err := k.logFiles(impl.ID())
	if err != nil {
		return c, err
	}
	defer out.Close()
	defer errf.Close()
	p := peer.Params{Size: 1024, Iters: 1, Threads: 1, Seed: 1}
	args := []string{"--variant", impl.Variant, "--size", "1024", "--iters", "1", "--threads", "1", "--seed", "1", "--hiccup"}
	srv, err := runner.StartServer(ctx, runner.Spec{Path: path, Args: args, Env: runner.ThreadEnv(1), CPUs: []int{k.peerCPU()},
		Stdout: out, Stderr: errf}, 10*time.Second)
	if err != nil {
		err = skipErr(ctx, err, &c) // first: it marks c
		return c, err
	}
	stopped := k.stall(srv.Pid, 300*time.Millisecond)
	time.Sleep(300 * time.Millisecond)
	o := srv.Stop(5 * time.Second)
	if why := o.Failure(5 * time.Second); why != "" {
		c.Status, c.Note = results.CheckSkipped, "the server "+why
		return c, nil
	}
	res, err := peer.ParseResult(o.Stdout, peer.Expect{Workload: "echo", Lang: impl.Lang, Variant: impl.Variant, Params: p, Hiccup: true})
	if err != nil {
		err = skipErr(ctx, err, &c) // first: it marks c
		return c, err
	}
	c.Measured, c.Expected = float64(res.Hiccup.MaxNs), float64(stopped.Nanoseconds())
	c.Judge()
	return c, nil
}

func implOf(w *suite.Workload, id string) (suite.Impl, bool) {
	for _, i := range w.Impls {
		if i.ID() == id {
			return i, true
		}
	}
	return suite.Impl{}, false
}
