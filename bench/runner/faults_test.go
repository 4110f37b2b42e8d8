package runner

// The fault kit: misbehaving peers (the test binary re-executed, see TestMain) and one test
// per fault of issue 9, each driving the real runner.

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/gorustbench/gorustbench/bench/results"
	"github.com/gorustbench/gorustbench/bench/suite"
	"github.com/gorustbench/gorustbench/bench/units"
)

// runCount counts the runs of one fake variant across processes, starting at 1.
func runCount(variant string) int {
	path := os.Getenv("FAKE_PID_FILE") + "." + variant + ".n"
	b, _ := os.ReadFile(path)
	n, _ := strconv.Atoi(string(b))
	n++
	os.WriteFile(path, []byte(strconv.Itoa(n)), 0o644)
	return n
}

// faultPeer are the batch peers of the fault tests; line makes a result line with a checksum.
func faultPeer(variant string, line func(sum string) string) {
	switch variant {
	case "wrongfirst": // a wrong answer, consistently, from the implementation that runs first
		fmt.Println(line("badbadbadbadbad0"))
	case "right", "right2":
		fmt.Println(line("0123456789abcdef"))
	case "other":
		fmt.Println(line("fedcba9876543210"))
	case "warmwrong": // right on the verify run and on timed runs, wrong on the warm-up
		if runCount(variant) == 2 {
			fmt.Println(line("1111111111111111"))
			return
		}
		fmt.Println(line(helloSum))
	}
}

// noKnownAnswer makes cases of a workload that fixes no checksum: the group must agree.
func noKnownAnswer(t *testing.T, variants ...string) []*suite.Case {
	cases := fakeCases(t, variants...)
	cases[0].Workload.Checksum = ""
	return cases
}

func caseStates(t *testing.T, out string) map[string]*results.CaseState {
	m := readManifest(t, out)
	got := map[string]*results.CaseState{}
	for _, c := range m.Cases {
		got[c.Impl] = c
	}
	return got
}

// Fault 1: a wrong first implementation must not become the truth.
func TestWrongFirstImplementationIsOutvoted(t *testing.T) {
	r, out := newRunner(t)
	if _, err := r.Run(context.Background(), noKnownAnswer(t, "wrongfirst", "right", "right2")); err != nil {
		t.Fatal(err)
	}
	got := caseStates(t, out)
	if c := got["c-wrongfirst"]; c.State != results.CaseFailed || !strings.Contains(c.Reason, "majority (c-right, c-right2) computed 0123456789abcdef") || c.Samples != 0 {
		t.Errorf("wrong first implementation: %s, %d samples, %q", c.State, c.Samples, c.Reason)
	}
	for _, id := range []string{"c-right", "c-right2"} {
		if c := got[id]; c.State != results.CaseOK || c.Samples != 3 {
			t.Errorf("%s: %s, %d samples, %q", id, c.State, c.Samples, c.Reason)
		}
	}
}

// Fault 1: without a majority, nobody is trusted and every checksum is listed.
func TestNoMajorityFailsTheWholeGroup(t *testing.T) {
	r, out := newRunner(t)
	if _, err := r.Run(context.Background(), noKnownAnswer(t, "right", "other")); err != nil {
		t.Fatal(err)
	}
	for id, c := range caseStates(t, out) {
		if c.State != results.CaseFailed || !strings.Contains(c.Reason, "no majority") ||
			!strings.Contains(c.Reason, "c-right: 0123456789abcdef") || !strings.Contains(c.Reason, "c-other: fedcba9876543210") {
			t.Errorf("%s: %s %q", id, c.State, c.Reason)
		}
	}
}

// Fault 1: warm-up runs are checked too.
func TestWarmupChecksumIsChecked(t *testing.T) {
	r, out := newRunner(t)
	cases := fakeCases(t, "warmwrong")
	cases[0].Warmup = 2
	if _, err := r.Run(context.Background(), cases); err != nil {
		t.Fatal(err)
	}
	if c := caseStates(t, out)["c-warmwrong"]; c.State != results.CaseFailed || !strings.Contains(c.Reason, "warm-up run 2") {
		t.Errorf("wrong warm-up: %s %q", c.State, c.Reason)
	}
}

// The case list is on disk before the first peer starts.
func TestCaseListIsWrittenBeforeTheFirstRun(t *testing.T) {
	r, out := newRunner(t)
	var onDisk []*results.CaseState
	checked := false
	r.Progress = progressFunc(func(*suite.Case, string) {
		if !checked {
			checked = true
			onDisk = readManifest(t, out).Cases
		}
	})
	if _, err := r.Run(context.Background(), fakeCases(t, "ok", "ok2")); err != nil {
		t.Fatal(err)
	}
	if len(onDisk) != 2 {
		t.Errorf("manifest.json when the first peer starts lists %d cases, want 2", len(onDisk))
	}
}

// Fault 2: two runs started in the same second get a folder each, and each keeps all of
// its own samples; two runs given the same --out cannot both have it; latest is updated
// even over a plain folder, whose content is kept.
func TestTwoRunsAtOnceDoNotShareAFolder(t *testing.T) {
	r0, _ := newRunner(t) // for the environment of the fake peers
	resultsDir := filepath.Join(t.TempDir(), "results")
	var wg sync.WaitGroup
	paths := make([]string, 2)
	errs := make([]error, 2)
	for i := range paths {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dir, err := results.CreateRun(resultsDir, &results.Manifest{RunID: "20260101-000000"})
			if err != nil {
				errs[i] = err
				return
			}
			paths[i] = dir.Path
			r := &Runner{Root: "/", Dir: dir, Progress: &quiet{}, CPUs: r0.CPUs}
			_, errs[i] = r.Run(context.Background(), fakeCases(t, "ok"))
			if errs[i] == nil {
				errs[i] = dir.Finish(results.StateComplete, "")
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	if paths[0] == paths[1] {
		t.Fatalf("both runs wrote into %s", paths[0])
	}
	for _, p := range paths {
		run, err := results.Load(p)
		if err != nil {
			t.Fatal(err)
		}
		if n := len(run.Values("Fake/impl=c-ok", units.Exec)); n != 3 || run.Manifest.RunID != filepath.Base(p) {
			t.Errorf("%s: %d samples (want 3), run id %s", p, n, run.Manifest.RunID)
		}
		log, _ := os.ReadFile(filepath.Join(p, "logs", "Fake_impl-c-ok.out"))
		if n := strings.Count(string(log), "=== run"); n != 4 {
			t.Errorf("%s: its log holds %d runs, want its own 4", p, n)
		}
	}

	// The same --out, twice at once: exactly one run has it.
	out := filepath.Join(t.TempDir(), "out")
	var won atomic.Int32
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := results.Create(out, &results.Manifest{RunID: "x"}, nil); err == nil {
				won.Add(1)
			} else if !strings.Contains(err.Error(), "in use") {
				t.Errorf("refusal: %v", err)
			}
		}()
	}
	wg.Wait()
	if won.Load() != 1 {
		t.Errorf("%d runs got the same --out, want 1", won.Load())
	}

	// latest: a plain folder is moved aside, not lost, and latest points at the new run.
	root := filepath.Dir(resultsDir)
	latest := filepath.Join(resultsDir, "latest")
	os.MkdirAll(latest, 0o755)
	os.WriteFile(filepath.Join(latest, "mine.txt"), []byte("keep me"), 0o644)
	err := results.LinkLatest(root, paths[1])
	var moved *results.MovedError
	if !errors.As(err, &moved) {
		t.Fatalf("LinkLatest over a plain folder: %v", err)
	}
	if target, _ := os.Readlink(latest); target != filepath.Base(paths[1]) {
		t.Errorf("latest -> %q, want %q", target, filepath.Base(paths[1]))
	}
	if b, _ := os.ReadFile(filepath.Join(moved.Aside, "mine.txt")); string(b) != "keep me" {
		t.Errorf("the plain folder's content was not kept at %s", moved.Aside)
	}
}
