package runner

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/gorustbench/gorustbench/bench/key"
	"github.com/gorustbench/gorustbench/bench/peer"
	"github.com/gorustbench/gorustbench/bench/results"
	"github.com/gorustbench/gorustbench/bench/suite"
	"github.com/gorustbench/gorustbench/bench/units"
)

// fakeServer is the test binary acting as an echo server peer; its variant says how it
// misbehaves.
func fakeServer(variant, addr string) {
	if variant == "inuse" {
		marker := os.Getenv("FAKE_PID_FILE") + ".inuse"
		if _, err := os.Stat(marker); err != nil {
			os.WriteFile(marker, nil, 0o644)
			fmt.Fprintf(os.Stderr, "echo: cannot listen on %s: address already in use\n", addr)
			os.Exit(1)
		}
	}
	if variant == "noready" {
		time.Sleep(time.Hour)
	}
	faultServer(variant)
	var served atomic.Int64
	mux := http.NewServeMux()
	mux.HandleFunc("POST /echo", func(w http.ResponseWriter, r *http.Request) {
		n := served.Add(1)
		if variant == "dies" && n > 50 { // low enough for a loaded machine's short window
			os.Exit(3)
		}
		if variant == "err500" && n > 300 { // every request fails from the 301st on
			http.Error(w, "fake: overloaded", http.StatusInternalServerError)
			return
		}
		if variant == "stall" && n > 300 { // stops answering, keeps the connections open
			<-r.Context().Done()
			return
		}
		body, _ := io.ReadAll(r.Body)
		if variant == "wrongbody" && len(body) > 100 {
			body[50] ^= 1
		}
		ct := r.Header.Get("Content-Type")
		if ct == "" {
			ct = "application/octet-stream"
		}
		w.Header().Set("Content-Type", ct)
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.Write(body)
	})
	mux.HandleFunc("GET /health", func(w http.ResponseWriter, r *http.Request) {
		served.Add(1)
		w.Write([]byte("ok"))
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { served.Add(1); http.NotFound(w, r) })
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		fmt.Fprintf(os.Stderr, "echo: cannot listen on %s: %v\n", addr, err)
		os.Exit(1)
	}
	term := make(chan os.Signal, 1)
	signal.Notify(term, syscall.SIGTERM)
	go http.Serve(ln, mux)
	start := time.Now()
	fmt.Printf("READY %s\n", ln.Addr())
	<-term
	fmt.Printf(`{"protocol":1,"workload":"echo","lang":"c","variant":%q,"params":{"size":1024,"iters":1,"threads":1,"seed":1},"ops":%d,"elapsed_ns":%d,"checksum":"3000e56026044164","vmhwm_kib":%d}`+"\n",
		variant, max(1, served.Load()), time.Since(start).Nanoseconds(), fakeVmHWM(variant))
}

func serverCases(t *testing.T, variants ...string) []*suite.Case {
	exe, _ := os.Executable()
	w := &suite.Workload{Name: "echo", Title: "Echo", Server: true, Checksum: "3000e56026044164"}
	plan := &suite.LoadPlan{Settle: 20 * time.Millisecond, Conns: 4, Warmup: 50 * time.Millisecond, Duration: 200 * time.Millisecond,
		Fractions: []float64{0.5}, Levels: []key.Level{key.Medium}, Rounds: 1}
	var cases []*suite.Case
	for _, v := range variants {
		impl := suite.Impl{Lang: "c", Variant: v, Binary: exe}
		w.Impls = append(w.Impls, impl)
		cases = append(cases, &suite.Case{Workload: w, Impl: impl, Params: peer.Params{Size: 1024, Iters: 1, Threads: 1, Seed: 1},
			Warmup: 1, Repeat: 2, Timeout: 3 * time.Second, Load: plan})
	}
	return cases
}

func TestServerFailuresFailTheirOwnCase(t *testing.T) {
	r, out := newRunner(t)
	t.Setenv("GORUSTBENCH_FAKE_SERVER", "1")
	failed, err := r.Run(context.Background(), serverCases(t, "ok", "wrongbody", "dies", "noready", "inuse"))
	if err != nil {
		t.Fatal(err)
	}
	if failed != 3 {
		t.Errorf("failed = %d, want 3", failed)
	}
	r.Dir.Finish(results.StateComplete, "")
	m := readManifest(t, out)
	want := map[string]string{
		"c-ok":        "ok",
		"c-inuse":     "ok", // the port was taken once: retried on another
		"c-wrongbody": "wrong service: POST /echo with 1024 bytes returned 1024 different bytes",
		"c-dies":      "load max: the server died under load: exited with status 3",
		"c-noready":   "verify run 1: no READY line within 3s; killed its process group",
	}
	for _, c := range m.Cases {
		w := want[c.Impl]
		if w == "ok" {
			if c.State != results.CaseOK || c.Samples != 2+1+1 {
				t.Errorf("%s: %s with %d samples: %s", c.Impl, c.State, c.Samples, c.Reason)
			}
			continue
		}
		if c.State != results.CaseFailed || !strings.HasPrefix(c.Reason, w) {
			t.Errorf("%s: %s %q, want failed with %q", c.Impl, c.State, c.Reason, w)
		}
	}
	run, err := results.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"EchoStartup/impl=c-ok", "EchoLoad/impl=c-ok/rate=max", "EchoLoad/impl=c-ok/rate=medium"} {
		if len(run.Values(name, units.Exec)) == 0 && len(run.Values(name, units.Throughput)) == 0 {
			t.Errorf("no samples for %s", name)
		}
	}
	if v := run.Values("EchoStartup/impl=c-ok", units.IdleRSS); len(v) != 2 || v[0] < 1<<20 {
		t.Errorf("idle RSS %v", v)
	}
	if v := run.Values("EchoLoad/impl=c-ok/rate=medium", units.TargetRate); len(v) != 1 || v[0] <= 0 {
		t.Errorf("the open-loop rate must derive from the measured maximum: %v", v)
	}
	// Every load window keeps its full latency histograms, corrected and uncorrected.
	hs, err := results.ReadHistograms(out)
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	for _, h := range hs {
		if h.Corrected != nil && h.Uncorrected != nil && h.Corrected.TotalCount() > 0 {
			found[h.Key.String()] = true
		}
	}
	for _, name := range []string{"EchoLoad/impl=c-ok/rate=max", "EchoLoad/impl=c-ok/rate=medium"} {
		if !found[name] {
			t.Errorf("no latency histograms for %s in %s (have %v)", name, results.HistogramFile, found)
		}
	}
}

// counting is a Progress that counts the runs announced against the runs begun.
type counting struct{ total, steps int }

func (c *counting) Start(total int)               { c.total = total }
func (c *counting) Step(int, *suite.Case, string) { c.steps++ }
func (c *counting) Failed(*suite.Case, string)    {}

// The progress total is what the phases really run, for servers (starts, cold starts, every
// round's windows) as for batch peers: plannedRuns must change with the phases.
func TestProgressTotalIsWhatRuns(t *testing.T) {
	for _, tc := range []struct {
		name   string
		server bool
		cases  func(*testing.T) []*suite.Case
	}{
		{"batch", false, func(t *testing.T) []*suite.Case { return fakeCases(t, "ok", "ok2") }},
		{"servers", true, func(t *testing.T) []*suite.Case { return serverCases(t, "ok") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, _ := newRunner(t)
			if tc.server {
				t.Setenv("GORUSTBENCH_FAKE_SERVER", "1")
			}
			p := &counting{}
			r.Progress = p
			failed, err := r.Run(context.Background(), tc.cases(t))
			if err != nil || failed != 0 {
				t.Fatalf("%d failed, %v", failed, err)
			}
			if p.total == 0 || p.steps != p.total {
				t.Errorf("announced %d runs, began %d", p.total, p.steps)
			}
		})
	}
}
