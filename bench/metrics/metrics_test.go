package metrics

import (
	"context"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorustbench/gorustbench/bench/claims"
	"github.com/gorustbench/gorustbench/bench/key"
	"github.com/gorustbench/gorustbench/bench/peer"
	"github.com/gorustbench/gorustbench/bench/probe"
	"github.com/gorustbench/gorustbench/bench/results"
	"github.com/gorustbench/gorustbench/bench/suite"
	"github.com/gorustbench/gorustbench/bench/units"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"golang.org/x/perf/benchfmt"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func manifest() *results.Manifest {
	return &results.Manifest{RunID: "20260101-000000-abcdef", Profile: "smoke", GitCommit: "abc", State: results.StateComplete,
		Started: time.Unix(1767225600, 0).UTC(),
		Host:    probe.Host{Hostname: "box1", CPUModel: "Test CPU", CPUs: 4, Kernel: "6.1"}}
}

func sample(impl string, ns float64) results.Sample {
	return results.Sample{Key: key.Key{Bench: "Hello", Impl: impl}, Iters: 1, Values: []benchfmt.Value{{Value: ns, Unit: "exec-ns"}}}
}

type nopProgress struct{}

func (nopProgress) Start(int)                     {}
func (nopProgress) Step(int, *suite.Case, string) {}
func (nopProgress) Failed(*suite.Case, string)    {}

// TestLiveExposition compares the live figures' exposition text exactly.
func TestLiveExposition(t *testing.T) {
	l := NewLive(manifest())
	p := l.Progress(nopProgress{})
	c := &suite.Case{Workload: suite.Hello, Impl: suite.Hello.Impls[0], Params: peer.Params{Iters: 1, Threads: 1, Seed: 1}}
	p.Start(10)
	p.Step(2, c, "timed")
	p.Step(1, c, "timed") // a repeated report does not count twice
	l.Observe([]results.Sample{sample("go-std", 1000), sample("go-std", 3000)})
	want := `
# HELP gorustbench_run_peer_runs_planned Peer runs the run plans (verify, warm-up and timed runs of every case).
# TYPE gorustbench_run_peer_runs_planned gauge
gorustbench_run_peer_runs_planned{machine="box1",run_id="20260101-000000-abcdef"} 10
# HELP gorustbench_run_peer_runs_started_total Peer runs started so far (verify, warm-up and timed runs).
# TYPE gorustbench_run_peer_runs_started_total counter
gorustbench_run_peer_runs_started_total{machine="box1",run_id="20260101-000000-abcdef"} 3
# HELP gorustbench_run_state 1 for the run's state: running, then complete or interrupted.
# TYPE gorustbench_run_state gauge
gorustbench_run_state{machine="box1",run_id="20260101-000000-abcdef",state="running"} 1
# HELP gorustbench_sample_latest_seconds The latest sample of a benchmark in a metric, in seconds.
# TYPE gorustbench_sample_latest_seconds gauge
gorustbench_sample_latest_seconds{build="default",cache="",capacity="",impl="go-std",kind="",lang="go",machine="box1",metric="exec",phase="",rate="",run_id="20260101-000000-abcdef",shape="",size="",threads="",workers="",workload="hello"} 3e-06
`
	if err := testutil.GatherAndCompare(l.Registry, strings.NewReader(want),
		"gorustbench_run_peer_runs_planned", "gorustbench_run_peer_runs_started_total", "gorustbench_run_state", "gorustbench_sample_latest_seconds"); err != nil {
		t.Fatal(err)
	}
	if n := testutil.CollectAndCount(l.hist["seconds"]); n != 1 {
		t.Errorf("histogram series: %d, want 1", n)
	}
	if got := testutil.ToFloat64(l.cases.WithLabelValues(append(keyValues(c.Key()), "timed")...)); got != 1 {
		t.Errorf("case_running: %v, want 1", got)
	}
	l.Finish(results.StateComplete)
	if err := testutil.GatherAndCompare(l.Registry, strings.NewReader(`
# HELP gorustbench_run_state 1 for the run's state: running, then complete or interrupted.
# TYPE gorustbench_run_state gauge
gorustbench_run_state{machine="box1",run_id="20260101-000000-abcdef",state="complete"} 1
`), "gorustbench_run_state", "gorustbench_case_running"); err != nil {
		t.Fatal(err)
	}
	lint(t, l.Registry)
}

// lint fails on what promtool check metrics would report.
func lint(t *testing.T, g prometheus.Gatherer) {
	t.Helper()
	problems, err := testutil.GatherAndLint(g)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("lint: %s: %s", p.Metric, p.Text)
	}
}

// TestServeScrape scrapes the endpoint while figures arrive, as during a run.
func TestServeScrape(t *testing.T) {
	l := NewLive(manifest())
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addr, err := Serve(ctx, ":0", l.Registry)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(addr, "127.0.0.1:") {
		t.Errorf("a bare port must listen on loopback; got %s", addr)
	}
	l.Observe([]results.Sample{sample("rust-std", 4096)})
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{
		`gorustbench_sample_latest_seconds{build="default",cache="",capacity="",impl="rust-std",kind="",lang="rust",machine="box1",metric="exec",phase="",rate="",run_id="20260101-000000-abcdef",shape="",size="",threads="",workers="",workload="hello"} 4.096e-06`,
		`gorustbench_sample_seconds_count{build="default"`,
		`gorustbench_machine_info{cpu="Test CPU",cpus="4",hostname="box1",kernel="6.1",machine="box1",run_id="20260101-000000-abcdef"} 1`,
		`gorustbench_run_info{build="default",commit="abc",machine="box1",pack="none",pack_commit="",profile="smoke",run_id="20260101-000000-abcdef"} 1`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("scrape lacks %s\n%s", want, body)
		}
	}
}

// TestConvertUnit maps every samples.bench unit to a base unit and a metric label.
func TestConvertUnit(t *testing.T) {
	for _, tc := range []struct {
		unit string
		want Unit
	}{
		{units.Exec, Unit{"seconds", "exec", 1e-9}},
		{units.PerOp, Unit{"seconds", "per-op", 1e-9}},
		{units.SpawnPerTask, Unit{"seconds", "spawn-per-task", 1e-9}},
		{units.CPUPerReq, Unit{"seconds", "server-cpu-per-req", 1e-9}},
		{units.Build, Unit{"seconds", "build", 1e-9}},
		{units.PeakRSS, Unit{"bytes", "peak-RSS", 1}},
		{units.RSSPerTask, Unit{"bytes", "rss-per-task", 1}},
		{units.AllocPerOp, Unit{"bytes", "alloc-per-op", 1}},
		{units.Binary, Unit{"bytes", "binary", 1}},
		{units.RSSPerInput, Unit{"ratio", "peak-RSS-per-input", 1}},
		{units.Limited, Unit{"ratio", "loadgen-limited", 1}},
		{units.Throughput, Unit{"requests_per_second", "throughput", 1}},
		{units.TargetRate, Unit{"requests_per_second", "target", 1}},
		{units.DecodeMBps, Unit{"bytes_per_second", "decode", 1e6}},
		{units.GFLOPS, Unit{"flops_per_second", "matmul", 1e9}},
		{units.GCPauses, Unit{"events", "gc-pauses", 1}},
		{units.Errors, Unit{"events", "errors", 1}},
	} {
		if got := ConvertUnit(tc.unit); got != tc.want {
			t.Errorf("%s: %+v, want %+v", tc.unit, got, tc.want)
		}
		if !slices.Contains(Suffixes, ConvertUnit(tc.unit).Suffix) {
			t.Errorf("%s: family %s is not registered", tc.unit, ConvertUnit(tc.unit).Suffix)
		}
	}
}

func storedRun() *results.Run {
	m := manifest()
	m.MachineName = "bench-01" // --machine
	finished := m.Started.Add(90 * time.Second)
	m.Finished = &finished
	m.Prebuilt = &results.Prebuilt{ID: "0123456789ab", GitCommit: "abc"}
	m.Cases = []*results.CaseState{{Name: "Hello/impl=go-std", Workload: "hello", Impl: "go-std", State: results.CaseOK},
		{Name: "Nbody/impl=rust-std/build=native/size=50000/threads=1", Workload: "nbody", Impl: "rust-std", State: results.CaseFailed}}
	run := &results.Run{Path: "/runs/x", Manifest: *m}
	for _, v := range []float64{1, 2, 3, 4, 5, 6, 7} {
		run.Results = append(run.Results, &benchfmt.Result{Name: benchfmt.Name("Hello/impl=go-std"), Iters: 1,
			Values: []benchfmt.Value{{Value: v * 1000, Unit: "exec-ns"}, {Value: v * 1024, Unit: "peak-RSS-B"}}})
	}
	run.Results = append(run.Results, &benchfmt.Result{Name: benchfmt.Name("Nbody/impl=rust-std/build=native/size=50000/threads=1"), Iters: 1,
		Values: []benchfmt.Value{{Value: 2e6, Unit: "exec-ns"}}})
	return run
}

// TestExport compares a stored run's exposition exactly (testdata/export.prom) and lints it.
// The claims' verdicts are left out of the golden file, so that a claim added or renamed in
// bench/claims does not rewrite it: the test checks one verdict per claim instead.
func TestExport(t *testing.T) {
	out, err := Export(storedRun())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	verdicts := map[string]bool{}
	for _, line := range strings.Split(string(out), "\n") {
		if rest, ok := strings.CutPrefix(line, `gorustbench_claim_verdict{claim="`); ok {
			claim, _, _ := strings.Cut(rest, `"`)
			verdicts[claim] = true
			continue
		}
		got = append(got, line)
	}
	text := strings.Join(got, "\n") + "\n"
	golden := filepath.Join("testdata", "export.prom")
	if *update {
		if err := os.WriteFile(golden, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if text != string(want) {
		t.Errorf("export differs from %s (go test ./bench/metrics -update rewrites it):\n%s", golden, text)
	}
	for _, c := range claims.Registry {
		if !verdicts[c.ID] {
			t.Errorf("no verdict series for claim %s", c.ID)
		}
	}
	if len(verdicts) != len(claims.Registry) {
		t.Errorf("%d verdict series for %d claims", len(verdicts), len(claims.Registry))
	}
	if strings.Contains(string(out), "_ns") {
		t.Errorf("a nanosecond family or label is left:\n%s", out)
	}
	reg, _ := Results(storedRun())
	lint(t, reg)
}

// TestPush has an httptest server stand in for the Pushgateway.
func TestPush(t *testing.T) {
	var mu sync.Mutex
	var method, path, body string
	gw := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		method, path, body = r.Method, r.URL.Path, string(b)
		mu.Unlock()
		w.WriteHeader(http.StatusOK)
	}))
	defer gw.Close()
	if err := Push(context.Background(), gw.URL, storedRun()); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	// The grouping labels come in any order.
	if method != http.MethodPut || !strings.HasPrefix(path, "/metrics/job/gorustbench/") ||
		!strings.Contains(path, "/machine/bench-01") || !strings.Contains(path, "/run_id/20260101-000000") {
		t.Errorf("push: %s %s", method, path)
	}
	if !strings.Contains(body, "gorustbench_result_median_seconds") || strings.Contains(body, `machine="bench-01"`) {
		t.Errorf("pushed body lacks the results, or repeats the grouping labels:\n%s", body)
	}

	bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "nope", http.StatusInternalServerError)
	}))
	defer bad.Close()
	if err := Push(context.Background(), bad.URL, storedRun()); err == nil || !strings.Contains(err.Error(), "pushing to") {
		t.Errorf("a failing gateway: err = %v", err)
	}
}
