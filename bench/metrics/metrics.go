// Package metrics exposes runs to Prometheus with client_golang: live figures while a run goes
// on (Live: progress, case states, the latest sample and a histogram of every sample, served
// by promhttp), a run's results pushed to a Pushgateway at its end (Push), and a stored run
// as a node_exporter textfile (Export). Figures are in base units (seconds, bytes, ratios),
// one family per unit (ConvertUnit), labelled by each part of the benchmark name (workload,
// impl, build, size, threads, ...) and the metric. Every series carries the machine (--machine,
// else the host name) and the run id; gorustbench_run_info names the commit and the pack, and
// gorustbench_machine_info the hardware, so a fleet's runs compare across machines in one
// Prometheus.
package metrics

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorustbench/gorustbench/bench/claims"
	"github.com/gorustbench/gorustbench/bench/key"
	"github.com/gorustbench/gorustbench/bench/results"
	"github.com/gorustbench/gorustbench/bench/stats"
	"github.com/gorustbench/gorustbench/bench/suite"
	"github.com/gorustbench/gorustbench/bench/summary"
	"github.com/gorustbench/gorustbench/bench/units"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/prometheus/client_golang/prometheus/push"
	"github.com/prometheus/common/expfmt"
)

// Namespace prefixes every metric.
const Namespace = "gorustbench"

// keyLabels name a figure: every part of its benchmark name as a label of its own (empty
// when the name lacks it; Prometheus treats an empty label as absent), then the metric (what
// was measured: "exec", "peak-RSS", ... see ConvertUnit).
var keyLabels = []string{"workload", "phase", "impl", "lang", "build", "shape", "size", "workers", "capacity", "threads", "rate", "cache", "kind"}

// whereLabels say where a figure was measured. A push leaves them to the grouping key.
var whereLabels = []string{"machine", "run_id"}

func figureLabels(where bool) []string {
	names := append(append([]string{}, keyLabels...), "metric")
	if where {
		names = append(names, whereLabels...)
	}
	return names
}

// Machine is the machine label of a run: its --machine name, else its host name.
func Machine(m *results.Manifest) string {
	switch {
	case m.MachineName != "":
		return m.MachineName
	case m.Host.Hostname != "":
		return m.Host.Hostname
	}
	return "unknown"
}

// keyValues are the keyLabels of a benchmark name.
func keyValues(k key.Key) []string {
	workload := strings.ToLower(k.Bench)
	for _, w := range suite.Workloads {
		if w.Title == k.Bench {
			workload = w.Name
		}
	}
	if k.Workload != "" { // Binary/lang=go/workload=hello: the size of hello's binary
		workload = k.Workload
	}
	build := k.Build
	if build == "" {
		build = "default"
	}
	num := func(n key.Num) string {
		if !n.Set {
			return ""
		}
		return strconv.FormatInt(n.V, 10)
	}
	return []string{workload, strings.ToLower(string(k.Phase)), k.Impl, k.Language(), build, k.Shape,
		num(k.Size), num(k.Workers), num(k.Capacity), num(k.Threads), string(k.Level), k.Cache, k.Kind}
}

// identity registers the run's identity: gorustbench_run_info (commit, pack, profile, build)
// and gorustbench_machine_info (the hardware, for joins), both always 1.
func identity(reg prometheus.Registerer, m *results.Manifest, where bool) {
	pre := func(names ...string) []string {
		if where {
			return append(append([]string{}, whereLabels...), names...)
		}
		return names
	}
	vals := func(v ...string) []string {
		if where {
			return append([]string{Machine(m), m.RunID}, v...)
		}
		return v
	}
	pk, pkCommit := "none", ""
	if m.Prebuilt != nil {
		pk, pkCommit = m.Prebuilt.ID, m.Prebuilt.GitCommit
	}
	run := prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: Namespace, Name: "run_info",
		Help: "The run's identity, always 1: the commit (of the checkout it ran in; outside one, the harness's, else the pack's), the prebuilt pack it ran (none: peers built in place) and the pack's commit, the profile and the build (default or native)."},
		pre("commit", "pack", "pack_commit", "profile", "build"))
	hw := prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: Namespace, Name: "machine_info",
		Help: "The machine a run ran on, always 1: join on machine and run_id for its CPU, cores, kernel and host name."},
		pre("cpu", "cpus", "kernel", "hostname"))
	reg.MustRegister(run, hw)
	run.WithLabelValues(vals(m.GitCommit, pk, pkCommit, m.Profile, map[bool]string{true: "native", false: "default"}[m.Native])...).Set(1)
	hw.WithLabelValues(vals(m.Host.CPUModel, fmt.Sprint(m.Host.CPUs), m.Host.Kernel, m.Host.Hostname)...).Set(1)
}

// Live is a run's live figures. It implements the runner's Progress (wrap the printing one
// with Progress) and observes every sample the results folder records (Observe).
type Live struct {
	Registry *prometheus.Registry
	machine  string
	runID    string

	planned prometheus.Gauge
	started prometheus.Counter
	failed  prometheus.Counter
	state   *prometheus.GaugeVec
	cases   *prometheus.GaugeVec
	latest  map[string]*prometheus.GaugeVec     // by Unit.Suffix
	hist    map[string]*prometheus.HistogramVec // by Unit.Suffix

	mu   sync.Mutex
	runs int // peer runs started, as the runner counts them
}

// histogramBuckets are the sample histograms' buckets per family unit: powers of 4 from 1 µs
// (to 18 minutes), from 1 KiB (to 1 TiB), and from 1 for everything else.
func histogramBuckets(suffix string) []float64 {
	switch suffix {
	case "seconds":
		return prometheus.ExponentialBuckets(1e-6, 4, 16)
	case "bytes":
		return prometheus.ExponentialBuckets(1024, 4, 16)
	case "ratio":
		return prometheus.LinearBuckets(0.25, 0.25, 8)
	}
	return prometheus.ExponentialBuckets(1, 4, 21)
}

// NewLive makes the figures of the run m describes, on a registry of their own.
func NewLive(m *results.Manifest) *Live {
	reg := prometheus.NewRegistry()
	l := &Live{Registry: reg, machine: Machine(m), runID: m.RunID,
		latest: map[string]*prometheus.GaugeVec{}, hist: map[string]*prometheus.HistogramVec{}}
	cl := prometheus.Labels{"machine": l.machine, "run_id": l.runID}
	l.planned = prometheus.NewGauge(prometheus.GaugeOpts{Namespace: Namespace, Name: "run_peer_runs_planned", Help: "Peer runs the run plans (verify, warm-up and timed runs of every case).", ConstLabels: cl})
	l.started = prometheus.NewCounter(prometheus.CounterOpts{Namespace: Namespace, Name: "run_peer_runs_started_total", Help: "Peer runs started so far (verify, warm-up and timed runs).", ConstLabels: cl})
	l.failed = prometheus.NewCounter(prometheus.CounterOpts{Namespace: Namespace, Name: "run_failed_cases_total", Help: "Cases that failed so far.", ConstLabels: cl})
	l.state = prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: Namespace, Name: "run_state", Help: "1 for the run's state: running, then complete or interrupted.", ConstLabels: cl}, []string{"state"})
	l.cases = prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: Namespace, Name: "case_running",
		Help: "1 for the case and step running now (verify, warm-up, timed, ...), 0 once it is done.", ConstLabels: cl},
		append(append([]string{}, keyLabels...), "step"))
	reg.MustRegister(l.planned, l.started, l.failed, l.state, l.cases)
	for _, suffix := range Suffixes {
		l.latest[suffix] = prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: Namespace, Name: "sample_latest_" + suffix,
			Help: "The latest sample of a benchmark in a metric, in " + strings.ReplaceAll(suffix, "_", " ") + "."}, figureLabels(true))
		l.hist[suffix] = prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: Namespace, Name: "sample_" + suffix,
			Help: "Every sample of a benchmark in a metric, in " + strings.ReplaceAll(suffix, "_", " ") + ".", Buckets: histogramBuckets(suffix)}, figureLabels(true))
		reg.MustRegister(l.latest[suffix], l.hist[suffix])
	}
	identity(reg, m, true)
	started := prometheus.NewGauge(prometheus.GaugeOpts{Namespace: Namespace, Name: "run_started_timestamp_seconds", Help: "When the run started (Unix time).", ConstLabels: cl})
	reg.MustRegister(started)
	started.Set(float64(m.Started.UnixNano()) / 1e9)
	l.state.WithLabelValues(results.StateRunning).Set(1)
	return l
}

// Observe records samples as the results folder takes them, in Prometheus base units.
func (l *Live) Observe(samples []results.Sample) {
	for _, s := range samples {
		kv := keyValues(s.Key)
		for _, v := range s.Values {
			unit, val := v.OrigUnit, v.OrigValue
			if unit == "" {
				unit, val = v.Unit, v.Value
			}
			u := ConvertUnit(unit)
			lv := append(append(append([]string{}, kv...), u.Metric), l.machine, l.runID)
			l.latest[u.Suffix].WithLabelValues(lv...).Set(u.Apply(val))
			l.hist[u.Suffix].WithLabelValues(lv...).Observe(u.Apply(val))
		}
	}
}

// Finish records the run's final state (results.StateComplete or StateInterrupted) and clears
// the running case.
func (l *Live) Finish(state string) {
	l.state.Reset()
	l.state.WithLabelValues(state).Set(1)
	l.cases.Reset()
}

// Progress forwards the runner's progress to next and records it.
func (l *Live) Progress(next Progress) Progress { return &progress{l: l, next: next} }

// Progress is the runner's progress interface (runner.Progress), repeated here so that this
// package does not import the runner.
type Progress interface {
	Start(total int)
	Step(done int, c *suite.Case, phase string)
	Failed(c *suite.Case, reason string)
}

type progress struct {
	l    *Live
	next Progress
	last []string
}

func (p *progress) Start(total int) {
	p.l.planned.Set(float64(total))
	p.next.Start(total)
}

// Step is called as peer run number done (from 0) starts.
func (p *progress) Step(done int, c *suite.Case, phase string) {
	lv := append(keyValues(c.Key()), phase)
	p.l.mu.Lock()
	if done+1 > p.l.runs {
		p.l.started.Add(float64(done + 1 - p.l.runs))
		p.l.runs = done + 1
	}
	if p.last != nil && strings.Join(p.last, "\x00") != strings.Join(lv, "\x00") {
		p.l.cases.WithLabelValues(p.last...).Set(0)
	}
	p.last = lv
	p.l.mu.Unlock()
	p.l.cases.WithLabelValues(lv...).Set(1)
	p.next.Step(done, c, phase)
}

// Replan follows the runner's extra rounds (sequential sampling): the planned total grows.
func (p *progress) Replan(total int, why string) {
	p.l.planned.Set(float64(total))
	if n, ok := p.next.(interface{ Replan(int, string) }); ok {
		n.Replan(total, why)
	}
}

func (p *progress) Failed(c *suite.Case, reason string) {
	p.l.failed.Inc()
	p.next.Failed(c, reason)
}

// Serve serves the registry at /metrics on addr until ctx ends. An address without a host
// ("":9464") listens on loopback only. It returns the address it listens on.
func Serve(ctx context.Context, addr string, g prometheus.Gatherer) (string, error) {
	ln, err := Listen(addr)
	if err != nil {
		return "", err
	}
	return ServeOn(ctx, ln, g), nil
}

// Listen opens the metrics endpoint's socket (a bare :PORT listens on loopback), so that a
// busy port is found before anything else starts; ServeOn serves on it.
func Listen(addr string) (net.Listener, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("--metrics-addr %q is not host:port", addr)
	}
	if host == "" {
		host = "127.0.0.1"
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(host, port))
	if err != nil {
		return nil, fmt.Errorf("--metrics-addr: %v", err)
	}
	return ln, nil
}

// ServeOn serves g at /metrics on ln until ctx is done, and returns the address it serves at.
func ServeOn(ctx context.Context, ln net.Listener, g prometheus.Gatherer) string {
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(g, promhttp.HandlerOpts{}))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	return ln.Addr().String()
}

// Results is a stored run as Prometheus figures: per benchmark and metric, the median with its
// 95% interval and the number of samples, in base units, one family per unit; each claim's
// verdict; the run's identity, state, cases and time.
func Results(run *results.Run) (*prometheus.Registry, error) { return resultsOf(run, true) }

// resultsOf labels the figures with machine and run_id when where is set; a push leaves them
// to the grouping key.
func resultsOf(run *results.Run, where bool) (*prometheus.Registry, error) {
	t, err := summary.Of(run)
	if err != nil {
		return nil, err
	}
	m := &run.Manifest
	reg := prometheus.NewRegistry()
	identity(reg, m, where)
	var at []string // the machine and run_id label values, when where
	if where {
		at = []string{Machine(m), m.RunID}
	}
	figures(reg, t, figureLabels(where), at)
	gauge := func(name, help string, labels ...string) *prometheus.GaugeVec {
		var ln []string
		if where {
			ln = append(ln, whereLabels...)
		}
		g := prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: Namespace, Name: name, Help: help}, append(ln, labels...))
		reg.MustRegister(g)
		return g
	}
	verdict := gauge("claim_verdict", "1 for each claim's verdict on the run: holds, contradicted, inconclusive, not measured; partial is true when it rests on cases an interruption cut short.", "claim", "verdict", "partial")
	for _, v := range claims.Evaluate(t) {
		verdict.WithLabelValues(append(at, v.Claim, v.Verdict, strconv.FormatBool(v.Partial))...).Set(1)
	}
	state := gauge("run_state", "1 for the run's state: complete, interrupted or running (a harness killed without a chance to say so).", "state")
	state.WithLabelValues(append(at, m.State)...).Set(1)
	cases := gauge("run_cases", "The run's cases by how they ended: ok, failed, skipped, interrupted, pending.", "state")
	for _, st := range []string{results.CaseOK, results.CaseFailed, results.CaseSkipped, results.CaseInterrupted, results.CasePending} {
		k := 0
		for _, c := range m.Cases {
			if c.State == st {
				k++
			}
		}
		cases.WithLabelValues(append(at, st)...).Set(float64(k))
	}
	started := gauge("run_started_timestamp_seconds", "When the run started (Unix time).")
	started.WithLabelValues(at...).Set(float64(m.Started.UnixNano()) / 1e9)
	if m.Finished != nil {
		finished := gauge("run_finished_timestamp_seconds", "When the run ended (Unix time); absent while it runs.")
		finished.WithLabelValues(at...).Set(float64(m.Finished.UnixNano()) / 1e9)
	}
	return reg, nil
}

// figures registers every benchmark's figures in reg: per unit family its median and 95%
// interval (always 95%, whatever level a case's looks make the report ask), in base units,
// its sample count and whether its case ended short; labels are the figure label names, at
// the machine and run_id values (nil for none).
func figures(reg *prometheus.Registry, t *summary.Table, labels, at []string) {
	gauge := func(name, help string) *prometheus.GaugeVec {
		g := prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: Namespace, Name: name, Help: help}, labels)
		reg.MustRegister(g)
		return g
	}
	type family struct{ median, lo, hi *prometheus.GaugeVec }
	families := map[string]family{}
	for _, suffix := range Suffixes {
		in := " in " + strings.ReplaceAll(suffix, "_", " ") + "."
		families[suffix] = family{
			median: gauge("result_median_"+suffix, "Median of a benchmark's samples in a metric,"+in),
			lo:     gauge("result_ci95_lower_"+suffix, "Lower end of the median's 95% confidence interval (absent below 6 samples),"+in),
			hi:     gauge("result_ci95_upper_"+suffix, "Upper end of the median's 95% confidence interval (absent below 6 samples),"+in),
		}
	}
	n := gauge("result_samples", "Number of samples behind a median.")
	partial := gauge("result_partial", "1 when the benchmark's case did not end ok (its figures are partial evidence), else 0.")
	for _, k := range t.Keys(nil) {
		kv := keyValues(k)
		for _, unit := range unitsOf(t, k) {
			c, _ := t.Cell(k, unit)
			s := stats.Summarize(c.Values)
			u := ConvertUnit(unit)
			lv := append(append(append([]string{}, kv...), u.Metric), at...)
			f := families[u.Suffix]
			f.median.WithLabelValues(lv...).Set(u.Apply(s.Center))
			if s.HasInterval() {
				f.lo.WithLabelValues(lv...).Set(u.Apply(s.Lo))
				f.hi.WithLabelValues(lv...).Set(u.Apply(s.Hi))
			}
			n.WithLabelValues(lv...).Set(float64(len(c.Values)))
			p := 0.0
			if c.Partial {
				p = 1
			}
			partial.WithLabelValues(lv...).Set(p)
		}
	}
}

// unitsOf lists the units a key has cells in, in the units table's order and then the
// derived ones.
func unitsOf(t *summary.Table, k key.Key) []string {
	var out []string
	for _, res := range t.Run.Results {
		if res.Name.String() != k.String() {
			continue
		}
		for _, v := range res.Values {
			u := v.OrigUnit
			if u == "" {
				u = v.Unit
			}
			if !slices.Contains(out, u) {
				out = append(out, u)
			}
		}
	}
	for _, derived := range []string{units.CPU, units.CPUPerOp, units.GFLOPS, units.DecodeMBps, units.EncodeMBps, units.RSSPerInput} {
		if _, ok := t.Cell(k, derived); ok && !slices.Contains(out, derived) {
			out = append(out, derived)
		}
	}
	return out
}

// Export writes a stored run in the Prometheus text format, as node_exporter's textfile
// collector reads it.
func Export(run *results.Run) ([]byte, error) {
	reg, err := Results(run)
	if err != nil {
		return nil, err
	}
	mfs, err := reg.Gather()
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := expfmt.NewEncoder(&buf, expfmt.NewFormat(expfmt.TypeTextPlain))
	for _, mf := range mfs {
		if err := enc.Encode(mf); err != nil {
			return nil, err
		}
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

// Push sends a stored run's figures to the Pushgateway at url, grouped by machine and run id
// (job "gorustbench"), replacing that group.
func Push(ctx context.Context, url string, run *results.Run) error {
	reg, err := resultsOf(run, false)
	if err != nil {
		return err
	}
	err = push.New(url, "gorustbench").Gatherer(reg).
		Grouping("machine", Machine(&run.Manifest)).Grouping("run_id", run.Manifest.RunID).
		PushContext(ctx)
	if err != nil {
		return fmt.Errorf("pushing to %s: %v", url, err)
	}
	return nil
}
