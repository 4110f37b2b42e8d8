// Package loadgen drives HTTP load at a server peer, as wrk and wrk2 do.
//
// Open loop (Rate > 0): request k of the schedule is due at start + k/rate and goes out on
// the connection idle longest (or, every connection busy, the first one freed). A request's
// latency counts from when it was due, not from when it was sent: a stalled server delays the
// requests queued behind the stall, and they pay for it (coordinated omission corrected). The
// uncorrected latency (from the actual send) and the schedule lag (how late the generator
// itself sent) are kept too. Requests due within Config.Slack of the first one due go out
// together (the schedule's resolution; see Config.Slack).
// Closed loop (Rate == 0): every connection sends its next request as soon as the previous
// answer arrives, for the maximum throughput.
//
// One goroutine drives every connection from an epoll set (loop.go), as wrk does from one
// thread; answers are timed by the kernel's receive timestamp, so the open loop wakes only to
// send, and requests due within Config.Slack share a wake-up (DefaultSlack says what that
// saves). Result.CPUPerReq is the generator's own CPU per request.
//
// The load generator knows when it is the bottleneck: when its sends fall behind schedule,
// when requests were never sent, when it did not reach the asked rate, or (closed loop, or
// together with lateness) when its own CPU is saturated, Result.Bottleneck says so, and a rate
// it did not reach must not be presented as the server's.
package loadgen

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"
)

// Config is one load run.
type Config struct {
	Addr        string        // host:port, loopback
	Path        string        // e.g. /echo
	Payload     []byte        // POST body; nil sends GET
	ContentType string        // of the payload
	Conns       int           // keep-alive connections
	Rate        float64       // requests per second over all connections; 0 = closed loop
	Warmup      time.Duration // load sent but not recorded
	Duration    time.Duration // recorded load
	Timeout     time.Duration // per request; 0 means 10 s
	// Slack is the open loop's resolution: when the generator wakes for a request due, it
	// also sends every request due within Slack of that moment, up to Slack early, so that
	// several go out per wake-up. An early request's latency counts from its actual send (it
	// never waited), so no latency is understated; the server sees the schedule in bursts no
	// wider than Slack. 0 sends each request on its own wake-up, which still comes 50-90 µs
	// after its due time on a virtual machine (the timer's wake-up) and costs about twice the
	// CPU per request at 10,000/s on one: most of the cost is waking (this process, and the
	// server each time a lone request arrives), not sending. DefaultSlack is what the harness
	// uses.
	Slack time.Duration
}

// DefaultSlack is the open loop's default resolution: about three times the timer's own
// wake-up lag measured on a 2-vCPU virtual machine, so it adds nothing coarser than the
// clock already was, and it about halves the generator's CPU per request at 10,000
// requests/s there, against a slack of 0 (Result.CPUPerReq measures it).
const DefaultSlack = 250 * time.Microsecond

// Percentiles are latencies in nanoseconds.
type Percentiles struct {
	P50  int64   `json:"p50_ns"`
	P90  int64   `json:"p90_ns"`
	P99  int64   `json:"p99_ns"`
	P999 int64   `json:"p999_ns"`
	Max  int64   `json:"max_ns"`
	Mean float64 `json:"mean_ns"`
}

// Result is what a load run measured. Requests, errors and non-2xx answers are those whose
// schedule (open loop) or send (closed loop) fell in the recorded window.
type Result struct {
	Mode       string  `json:"mode"` // "open" or "closed"
	TargetRate float64 `json:"target_rate"`
	Conns      int     `json:"conns"`
	DurationNs int64   `json:"duration_ns"`
	Requests   int64   `json:"requests"` // answered with any status
	Errors     int64   `json:"errors"`   // no answer: connection errors, timeouts, malformed responses
	Non2xx     int64   `json:"non_2xx"`
	Unsent     int64   `json:"unsent"` // open loop: due in the window but never sent
	// UnsentWaiting are the unsent requests whose connection was still waiting for the server's
	// previous answer when the window ended: the server's pace (or too few connections), not
	// the generator's.
	UnsentWaiting int64       `json:"unsent_waiting"`
	AchievedRate  float64     `json:"achieved_rate"`      // answered requests per second
	Latency       Percentiles `json:"latency"`            // open loop: from the scheduled time (corrected)
	Uncorrected   Percentiles `json:"uncorrected"`        // from the actual send
	Lag           Percentiles `json:"schedule_lag"`       // open loop: actual send minus when it could have been sent (due, or the connection free); 0 when sent early
	SlackNs       int64       `json:"slack_ns"`           // open loop: Config.Slack, the schedule's resolution
	CPUUtil       float64     `json:"cpu_util"`           // own user+sys over wall x GOMAXPROCS
	CPUPerReq     float64     `json:"cpu_per_request_ns"` // own user+sys per answered request, warm-up included
	Bottleneck    string      `json:"bottleneck,omitempty"`
	FirstError    string      `json:"first_error,omitempty"`
	// Histograms are the window's full latency histograms in ns (the percentiles above come
	// from them): corrected (from the scheduled send; in a closed loop the same as
	// uncorrected) and uncorrected. The run folder keeps them for the percentile spectra.
	Histograms struct{ Corrected, Uncorrected *hdrhistogram.Histogram } `json:"-"`
}

// recorder keeps what the recorded window measured: latency histograms (ns) and the answers
// counted as Result counts them.
type recorder struct {
	corrected   *hdrhistogram.Histogram // open loop: answer minus due time (or send, if sent early)
	uncorrected *hdrhistogram.Histogram // answer minus send
	lag         *hdrhistogram.Histogram // open loop: send minus when it could have been sent
	requests    int64                   // answered, any status
	errors      int64                   // no answer: connection errors, timeouts, malformed answers
	non2xx      int64                   // answered with a status outside 200-299
	firstErr    string                  // the first error's message
}

func newRecorder() *recorder {
	return &recorder{corrected: newHist(), uncorrected: newHist(), lag: newHist()}
}

func newHist() *hdrhistogram.Histogram { return hdrhistogram.New(1, int64(time.Minute), 3) }

// Run performs the load run and returns what it measured. A request that fails (no answer, a
// timeout, a malformed answer) is counted in the Result, not returned. Run returns an error,
// and a zero Result, when cfg is invalid (Conns below 1, negative Slack), when cfg.Addr does
// not resolve or one of the connections cannot be opened, or when the engine's epoll, timerfd
// or clock calls fail. A cancelled ctx ends the run early without an error: the Result counts
// what was answered until then, over the whole Duration, and Unsent stays 0.
func Run(ctx context.Context, cfg Config) (Result, error) {
	if cfg.Conns < 1 {
		return Result{}, fmt.Errorf("conns must be at least 1")
	}
	if cfg.Slack < 0 {
		return Result{}, fmt.Errorf("slack must not be negative")
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 10 * time.Second
	}
	method := "GET"
	if cfg.Payload != nil {
		method = "POST"
	}
	req := request(cfg.Addr, method, cfg.Path, cfg.ContentType, cfg.Payload)
	e, err := newEngine(cfg, req)
	if err != nil {
		return Result{}, err
	}
	defer e.close()
	var ru0 syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru0)
	cpuFrom := time.Now()
	e.start = e.now() + int64(10*time.Millisecond)
	e.record = e.start + cfg.Warmup.Nanoseconds()
	e.end = e.record + cfg.Duration.Nanoseconds()
	if cfg.Rate > 0 {
		e.sched = newSchedule(e.start, e.end, cfg.Rate, cfg.Slack.Nanoseconds())
	}
	if err := e.run(ctx); err != nil {
		return Result{}, fmt.Errorf("the load loop failed: %w", err)
	}
	wall := time.Since(cpuFrom) // the span rusage covers: warm-up included
	var ru1 syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru1)
	rec := e.rec
	var unsent, waiting int64
	if cfg.Rate > 0 && ctx.Err() == nil {
		unsent, waiting = e.unsent()
	}
	res := Result{Mode: "closed", TargetRate: cfg.Rate, Conns: cfg.Conns, DurationNs: cfg.Duration.Nanoseconds()}
	if cfg.Rate > 0 {
		res.Mode = "open"
	}
	lat, unc, lag := rec.corrected, rec.uncorrected, rec.lag
	res.Requests, res.Errors, res.Non2xx, res.Unsent = rec.requests, rec.errors, rec.non2xx, unsent
	res.FirstError = rec.firstErr
	res.UnsentWaiting = waiting
	res.AchievedRate = float64(res.Requests) / cfg.Duration.Seconds()
	res.Latency, res.Uncorrected = percentiles(lat), percentiles(unc)
	res.Histograms.Corrected, res.Histograms.Uncorrected = lat, unc
	if res.Mode == "open" {
		res.Lag = percentiles(lag)
		res.SlackNs = cfg.Slack.Nanoseconds()
	} else {
		res.Latency = res.Uncorrected
		res.Histograms.Corrected = unc
	}
	cpu := time.Duration(ru1.Utime.Nano() - ru0.Utime.Nano() + ru1.Stime.Nano() - ru0.Stime.Nano())
	res.CPUUtil = cpu.Seconds() / (wall.Seconds() * float64(runtime.GOMAXPROCS(0)))
	res.CPUPerReq = float64(cpu.Nanoseconds()) / float64(max(e.answered, 1))
	res.Bottleneck = bottleneck(res)
	return res, nil
}

// Saturated is the share of its CPUs above which the load generator counts as saturated.
const Saturated = 0.95

// LateP99 is the schedule lag (p99) from which the open loop counts as having sent late: the
// corrected latency of every late request includes its lateness.
const LateP99 = time.Millisecond

// bottleneck says why the load generator, not the server, may have limited this run.
//
// The open loop judges itself by its schedule: sends late (lag p99 of LateP99 or more),
// requests due in the window that it never sent although their connection was free (beyond
// 0.1% of the schedule), or the asked rate not reached unless mostly because connections were
// still waiting for the server's answers (then the rate is the server's, at these
// connections). Its CPU is a reason only together with lateness (lag p99 above a quarter of
// LateP99): a generator busy 99% of the time that still sends on time has set nobody's pace.
// The closed loop has no schedule: there a saturated CPU is the sign that it, not the server,
// may have been the limit.
func bottleneck(r Result) string {
	var why []string
	busy := r.CPUUtil > Saturated
	if r.Mode == "open" {
		if r.Lag.P99 >= int64(LateP99) {
			why = append(why, fmt.Sprintf("the generator sent late (schedule lag p99 %.2f ms)", float64(r.Lag.P99)/1e6))
		}
		scheduled := r.Requests + r.Errors + r.Unsent
		if own := r.Unsent - r.UnsentWaiting; own > 0 && float64(own) > 0.001*float64(scheduled) {
			why = append(why, fmt.Sprintf("%d of %d scheduled requests never sent although their connection was free", own, scheduled))
		}
		if r.AchievedRate < 0.95*r.TargetRate && 2*r.UnsentWaiting < r.Unsent {
			why = append(why, fmt.Sprintf("achieved %.0f of %.0f requests/s", r.AchievedRate, r.TargetRate))
		}
		busy = busy && r.Lag.P99 > int64(LateP99)/4
	}
	if busy {
		why = append(why, fmt.Sprintf("load generator CPU %.0f%% busy", 100*r.CPUUtil))
	}
	return strings.Join(why, "; ")
}

func percentiles(h *hdrhistogram.Histogram) Percentiles {
	if h.TotalCount() == 0 {
		return Percentiles{}
	}
	return Percentiles{
		P50: h.ValueAtQuantile(50), P90: h.ValueAtQuantile(90), P99: h.ValueAtQuantile(99),
		P999: h.ValueAtQuantile(99.9), Max: h.Max(), Mean: h.Mean(),
	}
}

// note counts a request's end: an answer with status, or err when it got none. Requests
// outside the recorded window (recorded false) are not counted.
func (r *recorder) note(status int, err error, recorded bool) {
	if !recorded {
		return
	}
	switch {
	case err != nil:
		r.errors++
		if r.firstErr == "" {
			r.firstErr = err.Error()
		}
	case status < 200 || status > 299:
		r.requests++
		r.non2xx++
	default:
		r.requests++
	}
}
