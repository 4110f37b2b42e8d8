package metrics

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorustbench/gorustbench/bench/key"
	"github.com/gorustbench/gorustbench/bench/peer"
	"github.com/gorustbench/gorustbench/bench/probe"
	"github.com/gorustbench/gorustbench/bench/results"
	"github.com/gorustbench/gorustbench/bench/suite"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"golang.org/x/perf/benchfmt"
)

func manifest() *results.Manifest {
	return &results.Manifest{RunID: "20260101-000000", Profile: "smoke", GitCommit: "abc", State: results.StateComplete,
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
	l.Observe([]results.Sample{sample("go-std", 1000), sample("go-std", 3000)})
	want := `
# HELP gorustbench_run_done_peer_runs Peer runs started so far.
# TYPE gorustbench_run_done_peer_runs gauge
gorustbench_run_done_peer_runs{machine="box1",run_id="20260101-000000"} 3
# HELP gorustbench_run_planned_peer_runs Peer runs the run plans.
# TYPE gorustbench_run_planned_peer_runs gauge
gorustbench_run_planned_peer_runs{machine="box1",run_id="20260101-000000"} 10
# HELP gorustbench_sample_latest The latest sample of a benchmark in a metric (the samples.bench unit).
# TYPE gorustbench_sample_latest gauge
gorustbench_sample_latest{benchmark="Hello/impl=go-std",impl="go-std",machine="box1",metric="exec-ns",run_id="20260101-000000",workload="hello"} 3000
`
	if err := testutil.GatherAndCompare(l.Registry, strings.NewReader(want),
		"gorustbench_run_done_peer_runs", "gorustbench_run_planned_peer_runs", "gorustbench_sample_latest"); err != nil {
		t.Fatal(err)
	}
	if n := testutil.CollectAndCount(l.hist); n != 1 {
		t.Errorf("histogram series: %d, want 1", n)
	}
	if got := testutil.ToFloat64(l.cases.WithLabelValues(c.Name(), "hello", c.Impl.ID(), "timed")); got != 1 {
		t.Errorf("case_running: %v, want 1", got)
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
		`gorustbench_sample_latest{benchmark="Hello/impl=rust-std",impl="rust-std",machine="box1",metric="exec-ns",run_id="20260101-000000",workload="hello"} 4096`,
		`gorustbench_sample_count{benchmark="Hello/impl=rust-std"`,
		`gorustbench_machine_info{commit="abc",cpu="Test CPU",cpus="4"`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("scrape lacks %s\n%s", want, body)
		}
	}
}

func storedRun() *results.Run {
	m := manifest()
	m.Cases = []*results.CaseState{{Name: "Hello/impl=go-std", Workload: "hello", Impl: "go-std", State: results.CaseOK}}
	run := &results.Run{Path: "/runs/x", Manifest: *m}
	for _, v := range []float64{1, 2, 3, 4, 5, 6, 7} {
		run.Results = append(run.Results, &benchfmt.Result{Name: benchfmt.Name("Hello/impl=go-std"), Iters: 1,
			Values: []benchfmt.Value{{Value: v * 1000, Unit: "exec-ns"}}})
	}
	return run
}

func TestExport(t *testing.T) {
	out, err := Export(storedRun())
	if err != nil {
		t.Fatal(err)
	}
	want := `gorustbench_result_median{benchmark="Hello/impl=go-std",impl="go-std",machine="box1",metric="exec-ns",run_id="20260101-000000",workload="hello"} 4000`
	if !strings.Contains(string(out), want) {
		t.Errorf("export lacks %s:\n%s", want, out)
	}
	reg, _ := Results(storedRun())
	if err := testutil.GatherAndCompare(reg, strings.NewReader(`
# HELP gorustbench_result_samples Number of samples behind the median.
# TYPE gorustbench_result_samples gauge
gorustbench_result_samples{benchmark="Hello/impl=go-std",impl="go-std",machine="box1",metric="exec-ns",run_id="20260101-000000",workload="hello"} 7
# HELP gorustbench_run_state 1 for the run's state (complete, interrupted, running).
# TYPE gorustbench_run_state gauge
gorustbench_run_state{machine="box1",run_id="20260101-000000",state="complete"} 1
`), "gorustbench_result_samples", "gorustbench_run_state"); err != nil {
		t.Fatal(err)
	}
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
		!strings.Contains(path, "/machine/box1") || !strings.Contains(path, "/run_id/20260101-000000") {
		t.Errorf("push: %s %s", method, path)
	}
	if !strings.Contains(body, "gorustbench_result_median") || strings.Contains(body, `machine="box1"`) {
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
