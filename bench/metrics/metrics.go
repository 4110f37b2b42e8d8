// Package metrics exposes runs to Prometheus with client_golang: live figures while a run goes
// on (Live: progress, case states, the latest sample and a histogram of every sample, served
// by promhttp), a run's results pushed to a Pushgateway at its end (Push), and a stored run
// as a node_exporter textfile (Export). Every series carries the machine (its host name) and
// the run id; gorustbench_machine_info joins the host name to its CPU, cores and kernel, so a
// fleet's runs compare across hardware in one Prometheus.
package metrics

import (
	"bytes"
	"context"
	"fmt"

	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gorustbench/gorustbench/bench/key"
	"github.com/gorustbench/gorustbench/bench/results"
	"github.com/gorustbench/gorustbench/bench/suite"
	"github.com/gorustbench/gorustbench/bench/summary"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/prometheus/client_golang/prometheus/push"
	"github.com/prometheus/common/expfmt"
)

// Namespace prefixes every metric.
const Namespace = "gorustbench"

// sampleLabels are the labels of a figure: the benchmark (its full name, parameters
// included), the workload, the implementation, the metric (the samples.bench unit) and where.
var sampleLabels = []string{"benchmark", "workload", "impl", "metric", "machine", "run_id"}

// Buckets of the sample histograms: powers of 4 from 1 to 4^20, wide enough for nanoseconds
// (up to 18 minutes), bytes (up to 1 TiB) and rates alike.
var Buckets = prometheus.ExponentialBuckets(1, 4, 21)

// Machine is the machine label of a run: its host name.
func Machine(m *results.Manifest) string {
	if m.Host.Hostname != "" {
		return m.Host.Hostname
	}
	return "unknown"
}

func machineInfo(reg prometheus.Registerer, m *results.Manifest, where bool) {
	names := []string{"machine", "run_id", "cpu", "cpus", "kernel", "commit", "profile", "prebuilt"}
	values := []string{Machine(m), m.RunID, m.Host.CPUModel, fmt.Sprint(m.Host.CPUs), m.Host.Kernel, m.GitCommit, m.Profile, fmt.Sprint(m.Prebuilt != nil)}
	if !where { // pushed: the Pushgateway's grouping key adds machine and run_id
		names, values = names[2:], values[2:]
	}
	g := prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: Namespace, Name: "machine_info",
		Help: "The machine a run ran on: always 1; join on machine for its CPU, cores and kernel."}, names)
	reg.MustRegister(g)
	g.WithLabelValues(values...).Set(1)
}

// labelsOf names a sample's key. workloads maps a case name to its workload (from the manifest).
func labelsOf(k key.Key, unit, machine, runID string) []string {
	workload := strings.ToLower(k.Bench)
	for _, w := range suite.Workloads {
		if w.Title == k.Bench {
			workload = w.Name
		}
	}
	impl := k.Impl
	if impl == "" {
		impl = k.Lang
	}
	return []string{k.String(), workload, impl, unit, machine, runID}
}

// Live is a run's live figures. It implements the runner's Progress (wrap the printing one
// with Progress) and observes every sample the results folder records (Observe).
type Live struct {
	Registry *prometheus.Registry
	machine  string
	runID    string

	total, done prometheus.Gauge
	failed      prometheus.Counter
	cases       *prometheus.GaugeVec
	latest      *prometheus.GaugeVec
	hist        *prometheus.HistogramVec
}

// NewLive makes the figures of the run m describes, on a registry of their own.
func NewLive(m *results.Manifest) *Live {
	reg := prometheus.NewRegistry()
	l := &Live{Registry: reg, machine: Machine(m), runID: m.RunID}
	cl := prometheus.Labels{"machine": l.machine, "run_id": l.runID}
	l.total = prometheus.NewGauge(prometheus.GaugeOpts{Namespace: Namespace, Name: "run_planned_peer_runs", Help: "Peer runs the run plans.", ConstLabels: cl})
	l.done = prometheus.NewGauge(prometheus.GaugeOpts{Namespace: Namespace, Name: "run_done_peer_runs", Help: "Peer runs started so far.", ConstLabels: cl})
	l.failed = prometheus.NewCounter(prometheus.CounterOpts{Namespace: Namespace, Name: "run_failed_cases_total", Help: "Cases that failed.", ConstLabels: cl})
	l.cases = prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: Namespace, Name: "case_running",
		Help: "1 for the case and phase running now (verify, warm-up, timed, ...), 0 once it is done.", ConstLabels: cl},
		[]string{"benchmark", "workload", "impl", "phase"})
	l.latest = prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: Namespace, Name: "sample_latest",
		Help: "The latest sample of a benchmark in a metric (the samples.bench unit)."}, sampleLabels)
	l.hist = prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: Namespace, Name: "sample",
		Help: "Every sample of a benchmark in a metric (the samples.bench unit).", Buckets: Buckets}, sampleLabels)
	reg.MustRegister(l.total, l.done, l.failed, l.cases, l.latest, l.hist)
	machineInfo(reg, m, true)
	return l
}

// Observe records samples as the results folder takes them.
func (l *Live) Observe(samples []results.Sample) {
	for _, s := range samples {
		for _, v := range s.Values {
			unit, val := v.OrigUnit, v.OrigValue
			if unit == "" {
				unit, val = v.Unit, v.Value
			}
			lv := labelsOf(s.Key, unit, l.machine, l.runID)
			l.latest.WithLabelValues(lv...).Set(val)
			l.hist.WithLabelValues(lv...).Observe(val)
		}
	}
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
	mu   sync.Mutex
	last []string
}

func (p *progress) Start(total int) {
	p.l.total.Set(float64(total))
	p.next.Start(total)
}

func (p *progress) Step(done int, c *suite.Case, phase string) {
	p.l.done.Set(float64(done + 1))
	lv := []string{c.Name(), c.Workload.Name, c.Impl.ID(), phase}
	p.mu.Lock()
	if p.last != nil && strings.Join(p.last, "\x00") != strings.Join(lv, "\x00") {
		p.l.cases.WithLabelValues(p.last...).Set(0)
	}
	p.last = lv
	p.mu.Unlock()
	p.l.cases.WithLabelValues(lv...).Set(1)
	p.next.Step(done, c, phase)
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
// interval and the number of samples, and the run's state and time.
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
	machineInfo(reg, m, where)
	names, cut := sampleLabels, len(sampleLabels)
	if !where {
		cut -= 2 // machine and run_id are the last two
		names = sampleLabels[:cut]
	}
	gauge := func(name, help string) *prometheus.GaugeVec {
		g := prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: Namespace, Name: name, Help: help}, names)
		reg.MustRegister(g)
		return g
	}
	median := gauge("result_median", "Median of a benchmark's samples in a metric (the samples.bench unit).")
	lo := gauge("result_lo", "Lower end of the median's 95% confidence interval.")
	hi := gauge("result_hi", "Upper end of the median's 95% confidence interval.")
	n := gauge("result_samples", "Number of samples behind the median.")
	partial := gauge("result_partial", "1 when the benchmark's case did not end ok.")
	machine := Machine(m)
	for _, k := range t.Keys(nil) {
		for _, unit := range unitsOf(t, k) {
			c, _ := t.Cell(k, unit)
			lv := labelsOf(k, unit, machine, m.RunID)[:cut]
			median.WithLabelValues(lv...).Set(c.Summary.Center)
			if c.Summary.HasInterval() {
				lo.WithLabelValues(lv...).Set(c.Summary.Lo)
				hi.WithLabelValues(lv...).Set(c.Summary.Hi)
			}
			n.WithLabelValues(lv...).Set(float64(len(c.Values)))
			if c.Partial {
				partial.WithLabelValues(lv...).Set(1)
			} else {
				partial.WithLabelValues(lv...).Set(0)
			}
		}
	}
	where2 := []string{"machine", "run_id"}
	whereV := []string{machine, m.RunID}
	if !where {
		where2, whereV = nil, nil
	}
	state := prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: Namespace, Name: "run_state", Help: "1 for the run's state (complete, interrupted, running)."},
		append(append([]string{}, where2...), "state"))
	started := prometheus.NewGaugeVec(prometheus.GaugeOpts{Namespace: Namespace, Name: "run_started_timestamp_seconds", Help: "When the run started."},
		where2)
	reg.MustRegister(state, started)
	state.WithLabelValues(append(append([]string{}, whereV...), m.State)...).Set(1)
	started.WithLabelValues(whereV...).Set(float64(m.Started.UnixNano()) / 1e9)
	return reg, nil
}

// unitsOf lists the units a key has cells in, in the units table's order and then the rest.
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
			if !contains(out, u) {
				out = append(out, u)
			}
		}
	}
	for _, derived := range []string{"cpu-ns", "GFLOPS"} {
		if _, ok := t.Cell(k, derived); ok && !contains(out, derived) {
			out = append(out, derived)
		}
	}
	return out
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
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
