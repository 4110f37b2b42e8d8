// Package loadgen drives HTTP load at a server peer, as wrk and wrk2 do.
//
// Open loop (Rate > 0): every connection has its own schedule, request i due at
// start + i*interval, and a request's latency counts from when it was due, not from when it was
// sent: a stalled server delays the requests queued behind the stall, and they pay for it
// (coordinated omission corrected). The uncorrected latency (from the actual send) is kept too.
// Closed loop (Rate == 0): every connection sends its next request as soon as the previous
// answer arrives, for the maximum throughput.
//
// The load generator knows when it is the bottleneck: when its sends fall behind schedule,
// when it did not reach the asked rate, or when its own CPU is saturated, Result.Bottleneck
// says so, and a rate it did not reach must not be presented as the server's.
package loadgen

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"sync"
	"syscall"
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"
	"golang.org/x/sys/unix"
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
}

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
	Mode         string      `json:"mode"` // "open" or "closed"
	TargetRate   float64     `json:"target_rate"`
	Conns        int         `json:"conns"`
	DurationNs   int64       `json:"duration_ns"`
	Requests     int64       `json:"requests"` // answered with any status
	Errors       int64       `json:"errors"`   // no answer: connection errors, timeouts, malformed responses
	Non2xx       int64       `json:"non_2xx"`
	Unsent       int64       `json:"unsent"`        // open loop: due in the window but never sent (the generator fell behind)
	AchievedRate float64     `json:"achieved_rate"` // answered requests per second
	Latency      Percentiles `json:"latency"`       // open loop: from the scheduled time (corrected)
	Uncorrected  Percentiles `json:"uncorrected"`   // from the actual send
	Lag          Percentiles `json:"schedule_lag"`  // open loop: actual send minus when it could have been sent (due, or the connection free)
	CPUUtil      float64     `json:"cpu_util"`      // own user+sys over wall x GOMAXPROCS
	Bottleneck   string      `json:"bottleneck,omitempty"`
	FirstError   string      `json:"first_error,omitempty"`
}

type worker struct {
	index                 int
	lat, uncorrected, lag *hdrhistogram.Histogram
	firstErr              string
	counts                [4]int64 // answered, errors, non-2xx, never sent
}

func newHist() *hdrhistogram.Histogram { return hdrhistogram.New(1, int64(time.Minute), 3) }

// Run performs the load run. It returns an error only if no connection could be opened.
func Run(ctx context.Context, cfg Config) (Result, error) {
	if cfg.Conns < 1 {
		return Result{}, fmt.Errorf("conns must be at least 1")
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 10 * time.Second
	}
	method := "GET"
	if cfg.Payload != nil {
		method = "POST"
	}
	req := request(cfg.Addr, method, cfg.Path, cfg.ContentType, cfg.Payload)
	conns := make([]*conn, cfg.Conns)
	for i := range conns {
		c, err := dial(cfg.Addr, req, false)
		if err != nil {
			for _, o := range conns[:i] {
				o.close()
			}
			return Result{}, fmt.Errorf("cannot connect to %s: %w", cfg.Addr, err)
		}
		conns[i] = c
	}
	defer func() {
		for _, c := range conns {
			c.close()
		}
	}()

	workers := make([]*worker, cfg.Conns)
	for i := range workers {
		workers[i] = &worker{index: i, lat: newHist(), uncorrected: newHist(), lag: newHist()}
	}
	var ru0 syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru0)
	cpuFrom := time.Now()
	start := time.Now().Add(10 * time.Millisecond) // let every goroutine be ready
	record := start.Add(cfg.Warmup)
	end := record.Add(cfg.Duration)
	if cfg.Rate > 0 {
		if err := dispatch(ctx, conns, workers, cfg, start, record, end); err != nil {
			return Result{}, fmt.Errorf("the open-loop clock failed: %w", err)
		}
	} else {
		var wg sync.WaitGroup
		for i, c := range conns {
			w := workers[i]
			wg.Go(func() { w.closed(ctx, c, cfg, start, record, end) })
		}
		wg.Wait()
	}
	wall := time.Since(cpuFrom) // the span rusage covers: warm-up included
	var ru1 syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru1)

	res := Result{Mode: "closed", TargetRate: cfg.Rate, Conns: cfg.Conns, DurationNs: cfg.Duration.Nanoseconds()}
	if cfg.Rate > 0 {
		res.Mode = "open"
	}
	lat, unc, lag := newHist(), newHist(), newHist()
	for _, w := range workers {
		lat.Merge(w.lat)
		unc.Merge(w.uncorrected)
		lag.Merge(w.lag)
		res.Requests += w.counts[0]
		res.Errors += w.counts[1]
		res.Non2xx += w.counts[2]
		res.Unsent += w.counts[3]
		if res.FirstError == "" {
			res.FirstError = w.firstErr
		}
	}
	res.AchievedRate = float64(res.Requests) / cfg.Duration.Seconds()
	res.Latency, res.Uncorrected = percentiles(lat), percentiles(unc)
	if res.Mode == "open" {
		res.Lag = percentiles(lag)
	} else {
		res.Latency = res.Uncorrected
	}
	cpu := time.Duration(ru1.Utime.Nano() - ru0.Utime.Nano() + ru1.Stime.Nano() - ru0.Stime.Nano())
	res.CPUUtil = cpu.Seconds() / (wall.Seconds() * float64(runtime.GOMAXPROCS(0)))
	res.Bottleneck = bottleneck(res)
	return res, nil
}

// Saturated is the share of its CPUs above which the load generator counts as saturated.
// Its CPU time includes the Go scheduler's own work between requests, so a figure in the
// low 90s is busy, not yet saturated; lag and unsent requests are the direct signs.
const Saturated = 0.95

// bottleneck says why the load generator, not the server, may have limited this run.
func bottleneck(r Result) string {
	var why []string
	if r.Mode == "open" {
		if r.Lag.P99 > int64(time.Millisecond) {
			why = append(why, fmt.Sprintf("the generator sent late (schedule lag p99 %.2f ms)", float64(r.Lag.P99)/1e6))
		}
		if r.Unsent > 0 {
			why = append(why, fmt.Sprintf("%d scheduled requests never sent", r.Unsent))
		}
		if r.AchievedRate < 0.95*r.TargetRate {
			why = append(why, fmt.Sprintf("achieved %.0f of %.0f requests/s", r.AchievedRate, r.TargetRate))
		}
	}
	if r.CPUUtil > Saturated {
		why = append(why, fmt.Sprintf("load generator CPU %.0f%% busy", 100*r.CPUUtil))
	}
	if len(why) == 0 {
		return ""
	}
	s := why[0]
	for _, w := range why[1:] {
		s += "; " + w
	}
	return s
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

func (w *worker) note(status int, err error, recorded bool) {
	if !recorded {
		return
	}
	switch {
	case err != nil:
		w.counts[1]++
		if w.firstErr == "" {
			w.firstErr = err.Error()
		}
	case status < 200 || status > 299:
		w.counts[0]++
		w.counts[2]++
	default:
		w.counts[0]++
	}
}

// dispatch is the open loop's clock: request k is due at start + k/rate. It waits for each
// due time on a timerfd read through Go's netpoller, which wakes on the fd at microsecond
// precision (a plain Go timer waits in epoll with millisecond granularity, too coarse for a
// schedule at 10,000 requests/s) without a thread of its own fighting the workers for the
// CPU. Each due time goes to a free connection; when every connection is busy the request
// waits for one (the server's time, counted in the corrected latency); requests still
// undispatched at the end were never sent and are counted as such.
func dispatch(ctx context.Context, conns []*conn, workers []*worker, cfg Config, start, record, end time.Time) error {
	clock, err := newTimer()
	if err != nil {
		return err
	}
	defer clock.Close()
	free := make(chan int, len(conns))
	jobs := make([]chan time.Time, len(conns))
	var wg sync.WaitGroup
	for i := range conns {
		jobs[i] = make(chan time.Time, 1)
		free <- i
		wg.Go(func() { workers[i].open(conns[i], jobs[i], free, cfg, record) })
	}
	interval := time.Duration(float64(time.Second) / cfg.Rate)
	var unsent int64
schedule:
	for k := int64(0); ; k++ {
		due := start.Add(time.Duration(k) * interval)
		if !due.Before(end) || ctx.Err() != nil {
			break
		}
		if time.Until(due) > 0 {
			if err := clock.waitUntil(due); err != nil {
				return err
			}
		}
		var i int
		select {
		case i = <-free:
		default:
			select { // every connection busy: wait for one, but not past the end
			case i = <-free:
			case <-time.After(time.Until(end)):
				for ; due.Before(end); due = due.Add(interval) {
					if !due.Before(record) {
						unsent++
					}
				}
				break schedule
			}
		}
		jobs[i] <- due
	}
	for _, j := range jobs {
		close(j)
	}
	wg.Wait()
	workers[0].counts[3] += unsent
	return nil
}

// timer is a CLOCK_MONOTONIC timerfd that the netpoller watches.
type timer struct {
	f *os.File
	// base maps time.Time to CLOCK_MONOTONIC: Go's monotonic readings are not exposed.
	base     time.Time
	baseMono int64
}

func newTimer() (*timer, error) {
	fd, err := unix.TimerfdCreate(unix.CLOCK_MONOTONIC, unix.TFD_NONBLOCK|unix.TFD_CLOEXEC)
	if err != nil {
		return nil, fmt.Errorf("timerfd_create: %w", err)
	}
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts); err != nil {
		unix.Close(fd)
		return nil, err
	}
	return &timer{f: os.NewFile(uintptr(fd), "timerfd"), base: time.Now(), baseMono: ts.Nano()}, nil
}

// waitUntil blocks the goroutine, not the thread, until t.
func (c *timer) waitUntil(t time.Time) error {
	abs := c.baseMono + t.Sub(c.base).Nanoseconds()
	spec := unix.ItimerSpec{Value: unix.NsecToTimespec(abs)}
	if err := unix.TimerfdSettime(int(c.f.Fd()), unix.TFD_TIMER_ABSTIME, &spec, nil); err != nil {
		return fmt.Errorf("timerfd_settime: %w", err)
	}
	var buf [8]byte
	_, err := c.f.Read(buf[:])
	return err
}

func (c *timer) Close() error { return c.f.Close() }

// open sends the requests the dispatcher hands this connection, one at a time.
func (w *worker) open(c *conn, jobs <-chan time.Time, free chan<- int, cfg Config, record time.Time) {
	idx := -1
	freeSince := time.Time{}
	for due := range jobs {
		sent := time.Now()
		status, err := c.do(sent.Add(cfg.Timeout))
		done := time.Now()
		rec := !due.Before(record)
		w.note(status, err, rec)
		if err != nil {
			if c.redial() != nil {
				time.Sleep(time.Millisecond)
			}
		} else if rec {
			w.lat.RecordValue(done.Sub(due).Nanoseconds())
			w.uncorrected.RecordValue(done.Sub(sent).Nanoseconds())
			// The generator's own lateness: from when it could have sent (due, or when this
			// connection came free if every connection was busy) to when it did.
			ready := due
			if freeSince.After(ready) {
				ready = freeSince
			}
			w.lag.RecordValue(max(0, sent.Sub(ready).Nanoseconds()))
		}
		freeSince = time.Now()
		if idx < 0 {
			idx = w.index
		}
		free <- idx
	}
}

// closed sends back to back until end.
func (w *worker) closed(ctx context.Context, c *conn, cfg Config, start, record, end time.Time) {
	time.Sleep(time.Until(start))
	for ctx.Err() == nil {
		sent := time.Now()
		if !sent.Before(end) {
			return
		}
		status, err := c.do(sent.Add(cfg.Timeout))
		rec := !sent.Before(record)
		w.note(status, err, rec)
		if err != nil {
			if c.redial() != nil {
				time.Sleep(time.Millisecond)
			}
			continue
		}
		if rec {
			w.uncorrected.RecordValue(time.Since(sent).Nanoseconds())
		}
	}
}
