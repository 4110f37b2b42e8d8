package calibrate

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"time"

	"github.com/gorustbench/gorustbench/bench/loadgen"
	"github.com/gorustbench/gorustbench/bench/results"
	"github.com/gorustbench/gorustbench/bench/runner"
	"github.com/gorustbench/gorustbench/bench/stats"
	"github.com/gorustbench/gorustbench/bench/suite"
)

const conns = 32

// cpuTolerance lets the open loop cost up to 4 times h2load's CPU per request. h2load holds
// a rate by sending in bursts of about a millisecond (some 16 requests a wake-up at 10,000/s),
// the open loop keeps its schedule to within the slack (250 µs), and a wake-up costs more
// than a request on a virtual machine: measured 1.2-1.7x on one 2-vCPU VM, 2.2-2.9x on
// another (16-18 against 6-7 µs, with the unchanged attack command alone too). The check
// catches a generator that costs several times what it should, not the price of the finer
// schedule.
const cpuTolerance = 3

// loadgen checks the load generator against the same server (the Rust hyper echo, one thread
// on the peers' CPU), the clients on the harness's CPU, 32 connections, 1 KiB POSTs:
//   - closed loop, against wrk at its maximum, twice each, alternating: its throughput must
//     not fall below wrk's by more than the tolerance;
//   - open loop at a fixed rate, against h2load holding the same rate: its CPU per request
//     must stay within 4 times h2load's (cpuTolerance);
//   - its schedule lag p99 at that rate, against the machine's own stalls on the generator's
//     CPU (the idle meter's p99 there) plus the slack: within twice that.
func (k *kit) loadgen(ctx context.Context, floor results.Floor) ([]results.Check, error) {
	thr := results.Check{Instrument: results.InstrLoadgen, Name: "closed-loop throughput", Reference: "wrk at its maximum, same server and connections",
		Unit: "req/s", Tolerance: k.cfg.Tolerance, Bound: results.BoundMin, N: 2}
	cpu := results.Check{Instrument: results.InstrLoadgen, Name: fmt.Sprintf("CPU per request at %.0f req/s", k.sz.rate),
		Reference: "h2load holding the same rate (--rps)", Unit: "ns", Tolerance: cpuTolerance, Bound: results.BoundMax, N: 1}
	lag := results.Check{Instrument: results.InstrLoadgen, Name: fmt.Sprintf("schedule lag p99 at %.0f req/s", k.sz.rate),
		Reference: "the machine's stall p99 on the generator's CPU, plus the slack", Unit: "ns", Tolerance: 1, Bound: results.BoundMax, N: 1}
	all := []*results.Check{&thr, &cpu, &lag}
	out := func() []results.Check { return []results.Check{thr, cpu, lag} }
	if len(k.cfg.CPUs) < 2 {
		skipErr(ctx, fmt.Errorf("needs 2 CPUs to keep the clients and the server apart"), all...)
		return out(), nil
	}
	impl, _ := implOf(suite.Echo, "rust-hyper")
	path, err := k.bin(impl.Binary)
	if err != nil {
		skipErr(ctx, err, all...)
		return out(), nil
	}
	so, se, err := k.logFiles("echo")
	if err != nil {
		return nil, err
	}
	defer so.Close()
	defer se.Close()
	srv, err := runner.StartServer(ctx, runner.Spec{Path: path, Env: runner.ThreadEnv(1), CPUs: []int{k.peerCPU()}, Stdout: so, Stderr: se,
		Args: []string{"--variant", impl.Variant, "--size", "1024", "--iters", "1", "--threads", "1", "--seed", "1"}}, 10*time.Second)
	if err != nil {
		return k.skipAll(ctx, err, out, all)
	}
	defer srv.Stop(5 * time.Second)
	payload := make([]byte, 1024)
	for i := range payload {
		payload[i] = byte('a' + i%26)
	}
	t := target{cfg: loadgen.Config{Addr: srv.Addr, Path: "/echo", Payload: payload, ContentType: "application/octet-stream",
		Conns: conns, Warmup: 500 * time.Millisecond, Duration: k.sz.window, Slack: loadgen.DefaultSlack},
		url: "http://" + srv.Addr + "/echo", secs: strconv.Itoa(int(k.sz.window.Seconds())),
		lua: filepath.Join(k.logs, "post.lua"), body: filepath.Join(k.logs, "body")}
	os.WriteFile(t.lua, []byte("wrk.method = \"POST\"\nwrk.body = string.rep(\"a\", 1024)\nwrk.headers[\"Content-Type\"] = \"application/octet-stream\"\n"), 0o644)
	os.WriteFile(t.body, payload, 0o644)
	if err := k.closedLoop(ctx, t, &thr); err != nil {
		return k.skipAll(ctx, err, out, all)
	}
	if err := k.openLoop(ctx, t, floor, &cpu, &lag); err != nil {
		return k.skipAll(ctx, err, out, all)
	}
	return out(), nil
}

// skipAll marks every check skipped for err and returns them, or stops the calibration when
// err is an interruption.
func (k *kit) skipAll(ctx context.Context, err error, out func() []results.Check, all []*results.Check) ([]results.Check, error) {
	if e := skipErr(ctx, err, all...); e != nil {
		return nil, e
	}
	return out(), nil
}

// target is the server the load generator is checked against, and how the tools reach it.
type target struct {
	cfg       loadgen.Config // the closed loop's; the open loop adds the rate
	url, secs string         // secs: each window's length, for wrk's -d and h2load's -D
	lua, body string         // wrk's POST script, h2load's request body
}

// closedLoop alternates wrk and the generator at their maximum, twice, into thr. Its error
// (the generator's) stops the check; a missing or silent wrk skips thr.
func (k *kit) closedLoop(ctx context.Context, t target, thr *results.Check) error {
	var ours, theirs []float64
	for round := 0; round < 2; round++ {
		var w bytes.Buffer
		if _, err := tool(ctx, k.harnessCPU(), nil, &w, "wrk", "-t1", "-c"+strconv.Itoa(conns), "-d"+t.secs+"s", "-s", t.lua, t.url); err != nil {
			return skipErr(ctx, err, thr)
		}
		m := wrkRate.FindSubmatch(w.Bytes())
		if m == nil {
			return skipErr(ctx, fmt.Errorf("wrk printed no Requests/sec"), thr)
		}
		v, _ := strconv.ParseFloat(string(m[1]), 64)
		theirs = append(theirs, v)
		res, err := k.attack(ctx, t.cfg)
		if err != nil {
			return err
		}
		ours = append(ours, res.AchievedRate)
	}
	thr.Measured, thr.Expected = stats.Median(ours), stats.Median(theirs)
	thr.Judge()
	return nil
}

// openLoop runs the generator at the fixed rate, then h2load at the same rate: the lag
// against the floor on the generator's CPU, the CPU per request against h2load's.
func (k *kit) openLoop(ctx context.Context, t target, floor results.Floor, cpu, lag *results.Check) error {
	open := t.cfg
	open.Rate = k.sz.rate
	res, err := k.attack(ctx, open)
	if err != nil {
		return err
	}
	lag.Measured = float64(res.Lag.P99)
	if fl, ok := floorOn(floor, k.harnessCPU()); ok {
		lag.Expected = float64(fl.P99Ns + loadgen.DefaultSlack.Nanoseconds())
		lag.Note = fmt.Sprintf("stall p99 on CPU %d: %.3f ms", fl.CPU, float64(fl.P99Ns)/1e6)
		lag.Judge()
	} else {
		skipErr(ctx, fmt.Errorf("the floor on CPU %d was not measured", k.harnessCPU()), lag)
	}
	cpu.Measured = res.CPUPerReq
	var h bytes.Buffer
	used, err := tool(ctx, k.harnessCPU(), nil, &h, "h2load", "--h1", "-t1", "-c"+strconv.Itoa(conns),
		"--rps="+strconv.FormatFloat(k.sz.rate/conns, 'f', -1, 64), "-D"+t.secs, "-d", t.body, "-H", "Content-Type: application/octet-stream", t.url)
	if err != nil {
		return skipErr(ctx, err, cpu)
	}
	done, _ := strconv.ParseFloat(string(bytesOr(h2Done.FindSubmatch(h.Bytes()), 1)), 64)
	if done == 0 {
		return skipErr(ctx, fmt.Errorf("h2load answered no requests"), cpu)
	}
	cpu.Expected = float64(used.Nanoseconds()) / done
	cpu.Note = fmt.Sprintf("ours reached %.0f req/s, lag p99 %.3f ms", res.AchievedRate, float64(res.Lag.P99)/1e6)
	cpu.Judge()
	return nil
}

// attack runs the load generator as a server group does, pinned to the harness's CPU.
func (k *kit) attack(ctx context.Context, cfg loadgen.Config) (loadgen.Result, error) {
	restore, err := runner.PinLoadGenerator([]int{k.harnessCPU()})
	if err != nil {
		return loadgen.Result{}, err
	}
	defer restore()
	return loadgen.Run(ctx, cfg)
}

func floorOn(f results.Floor, cpu int) (results.CPUFloor, bool) {
	for _, c := range f.CPUs {
		if c.CPU == cpu {
			return c, true
		}
	}
	return results.CPUFloor{}, false
}

func bytesOr(m [][]byte, i int) []byte {
	if len(m) > i {
		return m[i]
	}
	return nil
}

var (
	wrkRate = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	h2Done  = regexp.MustCompile(`requests: \d+ total, \d+ started, (\d+) done`)
)
