package runner

// The fault kit: misbehaving peers (the test binary re-executed, see TestMain) and one test
// per fault of issue 9, each driving the real runner.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/gorustbench/gorustbench/bench/compare"
	"github.com/gorustbench/gorustbench/bench/key"
	"github.com/gorustbench/gorustbench/bench/peer"
	"github.com/gorustbench/gorustbench/bench/probe"
	"github.com/gorustbench/gorustbench/bench/report"
	"github.com/gorustbench/gorustbench/bench/results"
	"github.com/gorustbench/gorustbench/bench/suite"
	"github.com/gorustbench/gorustbench/bench/summary"
	"github.com/gorustbench/gorustbench/bench/units"
	"golang.org/x/sys/unix"
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
	case "escape": // a descendant leaves the group with setsid() and outlives the peer
		startSleeper("escape", true, nil)
		fmt.Println(line(helloSum))
	case "failfourth": // two good timed runs, then a failure
		if runCount(variant) >= 4 {
			fmt.Fprintln(os.Stderr, "fake: out of luck")
			os.Exit(1)
		}
		fmt.Println(line(helloSum))
	case "failfifth": // verify and three good timed runs, then a failure (an extra round's)
		if runCount(variant) >= 5 {
			fmt.Fprintln(os.Stderr, "fake: out of luck")
			os.Exit(1)
		}
		fmt.Println(line(helloSum))
	case "loud": // 8 MiB of output before the result line
		os.Stdout.Write(bytes.Repeat([]byte("noise noise noise\n"), 8<<20/18))
		fmt.Println(line(helloSum))
	case "bigclock": // its own clock says 2^63-1 ns in a process of milliseconds
		fmt.Println(strings.Replace(line(helloSum), `"elapsed_ns":10`, `"elapsed_ns":9223372036854775807`, 1))
	case "manyops": // 10^12 operations in 10 ns
		fmt.Println(strings.Replace(line(helloSum), `"ops":1,`, `"ops":1000000000000,`, 1))
	case "longline": // a valid result line of 70 KiB (JSON allows the spaces)
		fmt.Println(strings.Replace(line(helloSum), `"ops":1,`, `"ops":1,`+strings.Repeat(" ", 70<<10), 1))
	case "escapehold": // a descendant leaves the group with setsid(); the peer runs on
		startSleeper("escapehold", true, nil)
		time.Sleep(time.Minute)
	case "fds": // writes where its open descriptors point, one a line
		entries, _ := os.ReadDir("/proc/self/fd")
		var targets []string
		for _, e := range entries {
			if t, err := os.Readlink("/proc/self/fd/" + e.Name()); err == nil {
				targets = append(targets, t)
			}
		}
		os.WriteFile(os.Getenv("FAKE_PID_FILE")+".fds", []byte(strings.Join(targets, "\n")), 0o644)
		fmt.Println(line(helloSum))
	case "kernright", "kernwrong", "kernwrong2": // a kernel "kern" whose answer at size 3 is known
		size := "0"
		for i, a := range os.Args {
			if a == "--size" && i+1 < len(os.Args) {
				size = os.Args[i+1]
			}
		}
		sum := "00000000000000bb"
		if size == "3" {
			sum = "00000000000000aa"
		}
		if strings.HasPrefix(variant, "kernwrong") {
			sum = "ffffffffffffffff"
		}
		fmt.Printf(`{"protocol":1,"workload":"kern","lang":"c","variant":%q,"params":{"size":%s,"iters":1,"threads":1,"seed":1},"ops":1,"elapsed_ns":10,"checksum":%q,"vmhwm_kib":1000}`+"\n", variant, size, sum)
	case "unpin": // moves itself to the first CPU it is not pinned to (pinned to all: to CPU 0)
		var set, to unix.CPUSet
		unix.SchedGetaffinity(0, &set)
		moved := false
		for c := 0; c < 64 && !moved; c++ {
			if !set.IsSet(c) {
				to.Zero()
				to.Set(c)
				moved = unix.SchedSetaffinity(0, &to) == nil
			}
		}
		if !moved {
			to.Zero()
			to.Set(0)
			unix.SchedSetaffinity(0, &to)
		}
		fmt.Println(line(helloSum))
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

// startSleeper starts `sleep 60` (in a new session with setsid), its stdout the given file,
// and records its pid in FAKE_PID_FILE.<name>.
func startSleeper(name string, setsid bool, stdout *os.File) {
	c := exec.Command("sleep", "60")
	c.Stdout = stdout
	c.SysProcAttr = &syscall.SysProcAttr{Setsid: setsid}
	if err := c.Start(); err != nil {
		panic(err)
	}
	f, _ := os.OpenFile(os.Getenv("FAKE_PID_FILE")+"."+name, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	fmt.Fprintln(f, c.Process.Pid)
	f.Close()
}

// faultServer is where a fake server misbehaves before it serves.
func faultServer(variant string) {
	load := slices.Contains(os.Args, "--hiccup") // the stalls load window, not a start-up
	switch variant {
	case "leaky": // a descendant escapes the group and keeps stdout open
		startSleeper("leaky", true, os.Stdout)
	case "bigline": // a 64 MiB line before READY
		line := bytes.Repeat([]byte("x"), 64<<20)
		os.Stdout.Write(append(line, '\n'))
	case "orphan": // a child in its group; during a load window it says who it is
		if load {
			startSleeper("orphan", false, nil)
			os.WriteFile(os.Getenv("FAKE_PID_FILE")+".server", []byte(strconv.Itoa(os.Getpid())), 0o644)
		}
	}
}

func fakeVmHWM(variant string) int64 {
	if variant == "hugehwm" {
		return 1 << 54 // times 1024 overflows int64 to 0
	}
	return 5000
}

// pids reads the pids a fake recorded under name.
func pids(t *testing.T, name string) []int {
	b, _ := os.ReadFile(os.Getenv("FAKE_PID_FILE") + "." + name)
	var out []int
	for _, f := range strings.Fields(string(b)) {
		if n, err := strconv.Atoi(f); err == nil {
			out = append(out, n)
		}
	}
	return out
}

// running: the process exists and is not a zombie.
func running(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	return i >= 0 && !strings.HasPrefix(s[i+1:], " Z") && !strings.HasPrefix(s[i+1:], " X")
}

func killAll(ps []int) {
	for _, p := range ps {
		syscall.Kill(p, syscall.SIGKILL)
	}
}

// Fault 3: a server's descendant that escaped the group and keeps stdout open must not hang
// the harness; it is reported and killed.
func TestEscapedDescendantHoldingStdoutDoesNotHang(t *testing.T) {
	r, out := newRunner(t)
	t.Setenv("GORUSTBENCH_FAKE_SERVER", "1")
	cases := serverCases(t, "leaky")
	cases[0].Repeat = 1
	cases[0].Load.Fractions, cases[0].Load.Levels = nil, nil
	done := make(chan error, 1)
	go func() { _, err := r.Run(context.Background(), cases); done <- err }()
	defer func() { killAll(pids(t, "leaky")) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("the harness still waits for the server's output a minute later")
	}
	c := caseStates(t, out)["c-leaky"]
	if c.State != results.CaseOK || c.Samples != 2 || len(c.Notes) == 0 || !strings.Contains(strings.Join(c.Notes, "\n"), "escaped") {
		t.Errorf("leaky server: %s, %d samples, notes %q, %q", c.State, c.Samples, c.Notes, c.Reason)
	}
	for _, p := range pids(t, "leaky") {
		if running(p) {
			t.Errorf("the escaped descendant %d still runs", p)
		}
	}
}

// Fault 3 (batch): a descendant that escaped with setsid() is reported and killed.
func TestEscapedBatchDescendantIsReported(t *testing.T) {
	r, out := newRunner(t)
	cases := fakeCases(t, "escape")
	cases[0].Repeat = 1
	if _, err := r.Run(context.Background(), cases); err != nil {
		t.Fatal(err)
	}
	defer func() { killAll(pids(t, "escape")) }()
	c := caseStates(t, out)["c-escape"]
	if c.State != results.CaseOK || !strings.Contains(strings.Join(c.Notes, "\n"), "escaped its peer's process group") {
		t.Errorf("escaping peer: %s, notes %q", c.State, c.Notes)
	}
	for _, p := range pids(t, "escape") {
		if running(p) {
			t.Errorf("the escaped descendant %d still runs", p)
		}
	}
}

// fakeHarness is the test binary acting as a harness in a load window of an echo server
// whose child stays in its group; the test kills it with SIGKILL.
func fakeHarness() {
	if os.Getenv("GORUSTBENCH_FAKE_HARNESS") == "fulldisk" {
		fullDiskHarness()
		return
	}
	if os.Getenv("GORUSTBENCH_FAKE_HARNESS") == "escapee" {
		escapeeHarness()
		return
	}
	exe, _ := os.Executable()
	dir, err := results.Create(os.Getenv("FAKE_OUT"), &results.Manifest{RunID: "killed"}, nil)
	if err != nil {
		panic(err)
	}
	w := &suite.Workload{Name: "echo", Title: "Echo", Server: true, Checksum: "3000e56026044164"}
	impl := suite.Impl{Lang: "c", Variant: "orphan", Binary: exe}
	w.Impls = []suite.Impl{impl}
	// The closed-loop window first, then the stalls window (the one run with --hiccup, which
	// the fake server takes as its sign), long enough for the test to kill the harness in it.
	plan := &suite.LoadPlan{Settle: time.Millisecond, Conns: 1, Warmup: time.Millisecond, Duration: 3 * time.Second, Rounds: 1, StallsFraction: 0.5}
	c := &suite.Case{Workload: w, Impl: impl, Params: peer.Params{Size: 1024, Iters: 1, Threads: 1, Seed: 1},
		Warmup: 1, Repeat: 0, Timeout: 10 * time.Second, Load: plan}
	os.Unsetenv("GORUSTBENCH_FAKE_HARNESS") // its peers are fake peers, not harnesses
	os.Setenv("GORUSTBENCH_FAKE_PEER", "1")
	os.Setenv("GORUSTBENCH_FAKE_SERVER", "1")
	r := &Runner{Root: "/", Dir: dir, Progress: &quiet{}}
	r.Run(context.Background(), []*suite.Case{c})
}

// Fault 4: SIGKILL of the harness in a load window: the server dies with it (parent-death
// signal), and the next run sweeps what is left of its group.
func TestPeersDoNotOutliveAKilledHarness(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("FAKE_PID_FILE", filepath.Join(tmp, "pid"))
	exe, _ := os.Executable()
	h := exec.Command(exe)
	h.Env = append(os.Environ(), "GORUSTBENCH_FAKE_HARNESS=1", "FAKE_OUT="+filepath.Join(tmp, "run"))
	var stderr bytes.Buffer
	h.Stderr = &stderr
	if err := h.Start(); err != nil {
		t.Fatal(err)
	}
	var server, orphan []int
	deadline := time.Now().Add(30 * time.Second)
	for len(server) == 0 || len(orphan) == 0 {
		if time.Now().After(deadline) {
			h.Process.Kill()
			h.Wait()
			t.Fatalf("the fake harness never reached its load window: %s", stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
		orphan = pids(t, "orphan")
		if b, err := os.ReadFile(os.Getenv("FAKE_PID_FILE") + ".server"); err == nil {
			if n, err := strconv.Atoi(string(b)); err == nil {
				server = []int{n}
			}
		}
	}
	defer killAll(append(server, orphan...))
	h.Process.Signal(syscall.SIGKILL)
	h.Wait()
	for deadline := time.Now().Add(10 * time.Second); running(server[0]); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the echo server %d still runs 10s after its harness was killed", server[0])
		}
	}
	swept := Sweep()
	for deadline := time.Now().Add(10 * time.Second); running(orphan[0]); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the server's child %d still runs after the next start's sweep (%q)", orphan[0], swept)
		}
	}
	if len(swept) != 1 {
		t.Errorf("sweep said %q, want one group killed", swept)
	}
}

// Fault 8: a 64 MiB line from a server costs the harness a bounded amount of memory, and
// READY after it is still found.
func TestHugeServerLineIsReadBounded(t *testing.T) {
	r, out := newRunner(t)
	t.Setenv("GORUSTBENCH_FAKE_SERVER", "1")
	cr := &caseRun{c: serverCases(t, "bigline")[0]}
	cr.st = r.caseState(cr.c)
	if err := cr.open(out); err != nil {
		t.Fatal(err)
	}
	defer cr.close()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	s, err := StartServer(context.Background(), r.spec(cr), 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	o := s.Stop(5 * time.Second)
	runtime.ReadMemStats(&after)
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 16<<20 {
		t.Errorf("reading a 64 MiB line allocated %d MiB", grew>>20)
	}
	if _, err := peer.ParseResult(o.Stdout, cr.c.Expect()); err != nil {
		t.Errorf("result line after the huge one: %v", err)
	}
	if st, _ := cr.out.Stat(); st.Size() > LogHead+MaxOutput+4096 {
		t.Errorf("the log grew to %d bytes", st.Size())
	}
}

// An absurd vmhwm_kib is refused instead of overflowing into a peak RSS of 0.
func TestAbsurdVmHWMIsRefused(t *testing.T) {
	r, out := newRunner(t)
	t.Setenv("GORUSTBENCH_FAKE_SERVER", "1")
	cases := serverCases(t, "hugehwm")
	cases[0].Repeat = 1
	cases[0].Load.Fractions, cases[0].Load.Levels = nil, nil
	if _, err := r.Run(context.Background(), cases); err != nil {
		t.Fatal(err)
	}
	if c := caseStates(t, out)["c-hugehwm"]; c.State != results.CaseFailed || !strings.Contains(c.Reason, "vmhwm_kib") {
		t.Errorf("vmhwm_kib 2^54: %s %q", c.State, c.Reason)
	}
}

// Fault 9: the samples of failed and interrupted cases are kept, counted, marked in
// samples.bench, and shown with their real counts in the report.
func TestInterruptedAndFailedCasesKeepMarkedSamples(t *testing.T) {
	r, out := newRunner(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	timed := 0
	r.Progress = progressFunc(func(_ *suite.Case, phase string) {
		if phase == "timed" {
			if timed++; timed == 10 {
				cancel()
			}
		}
	})
	cases := fakeCases(t, "ok", "failfourth")
	for _, c := range cases {
		c.Repeat = 1000
	}
	if _, err := r.Run(ctx, cases); err != ErrInterrupted {
		t.Fatalf("err = %v, want ErrInterrupted", err)
	}
	if err := r.Dir.Finish(results.StateInterrupted, "stopped by a signal"); err != nil {
		t.Fatal(err)
	}
	run, err := results.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	marks := map[string]map[string]int{} // case -> case-state -> samples
	for _, res := range run.Results {
		name := res.Name.String()
		if marks[name] == nil {
			marks[name] = map[string]int{}
		}
		marks[name][string(res.GetConfig(results.CaseStateKey))]++
	}
	got := caseStates(t, out)
	for id, want := range map[string]string{"c-ok": results.CaseInterrupted, "c-failfourth": results.CaseFailed} {
		c := got[id]
		name := "Fake/impl=" + id
		if c.State != want || c.Samples == 0 || c.Samples != marks[name][want] || len(marks[name]) != 1 {
			t.Errorf("%s: state %s with %d samples; samples.bench has %v", id, c.State, c.Samples, marks[name])
		}
	}
	if n := got["c-failfourth"].Samples; n != 2 {
		t.Errorf("the failed case took 2 samples before failing, manifest says %d", n)
	}
	if run.Manifest.Samples != len(run.Results) {
		t.Errorf("manifest counts %d samples, samples.bench has %d", run.Manifest.Samples, len(run.Results))
	}
	path, err := report.WriteFolder(out)
	if err != nil {
		t.Fatal(err)
	}
	md, _ := os.ReadFile(path)
	if strings.Contains(string(md), "have no samples") ||
		!strings.Contains(string(md), fmt.Sprintf("| %s | interrupted | %d |", "Fake/impl=c-ok", got["c-ok"].Samples)) {
		t.Errorf("report.md does not show the interrupted case's samples:\n%s", md)
	}
	// Issue 23: and their medians, as for a case that ended ok.
	row := fmt.Sprintf("| %s | interrupted | %d | ", "Fake/impl=c-ok", got["c-ok"].Samples)
	if i := strings.Index(string(md), row); i < 0 || strings.HasPrefix(string(md)[i+len(row):], "|") || strings.HasPrefix(string(md)[i+len(row):], "the run was interrupted") {
		line, _, _ := strings.Cut(string(md)[max(i, 0):], "\n")
		t.Errorf("the interrupted case's row shows no median: %s", line)
	}
}

// Fault 7: a full disk. Writes start failing mid-run (a file size limit, set in a harness
// of its own, stands in for the disk): the run stops with an error, the samples flushed
// before stay, and the manifest says why and counts exactly what is on disk.
func TestFullDiskStopsCleanlyAndKeepsFlushedSamples(t *testing.T) {
	tmp := t.TempDir()
	out := filepath.Join(tmp, "run")
	exe, _ := os.Executable()
	h := exec.Command(exe)
	h.Env = append(os.Environ(), "GORUSTBENCH_FAKE_HARNESS=fulldisk", "FAKE_OUT="+out, "FAKE_PID_FILE="+filepath.Join(tmp, "pid"))
	var stderr bytes.Buffer
	h.Stderr = &stderr
	done := make(chan error, 1)
	if err := h.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { done <- h.Wait() }()
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		h.Process.Kill()
		t.Fatal("the run did not stop when its writes failed")
	}
	if !strings.Contains(stderr.String(), "file too large") {
		t.Fatalf("run error %q, want the failed write", stderr.String())
	}
	run, err := results.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	m := run.Manifest
	if m.State != results.StateInterrupted || !strings.Contains(m.StateReason, "file too large") {
		t.Errorf("manifest: state %s, reason %q", m.State, m.StateReason)
	}
	perCase := 0
	for _, c := range m.Cases {
		perCase += c.Samples
	}
	if len(run.Results) == 0 || m.Samples != len(run.Results) || perCase != len(run.Results) {
		t.Errorf("samples.bench has %d samples, the manifest counts %d (cases: %d)", len(run.Results), m.Samples, perCase)
	}
}

// fullDiskHarness runs two fake cases for ever under a 3 KiB file size limit, flushing
// every sample, and finishes the run as the CLI does when a write fails.
func fullDiskHarness() {
	dir, err := results.Create(os.Getenv("FAKE_OUT"), &results.Manifest{RunID: "fulldisk"}, nil)
	if err != nil {
		panic(err)
	}
	results.FlushEvery = 0
	lim := syscall.Rlimit{Cur: 3 << 10, Max: 3 << 10}
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
		panic(err)
	}
	exe, _ := os.Executable()
	w := &suite.Workload{Name: "hello", Title: "Fake", Checksum: helloSum}
	var cases []*suite.Case
	for _, v := range []string{"ok", "ok2"} {
		impl := suite.Impl{Lang: "c", Variant: v, Binary: exe}
		w.Impls = append(w.Impls, impl)
		cases = append(cases, &suite.Case{Workload: w, Impl: impl, Params: suiteParams(), Warmup: 1, Repeat: 100000, Timeout: 10 * time.Second})
	}
	os.Unsetenv("GORUSTBENCH_FAKE_HARNESS")
	os.Setenv("GORUSTBENCH_FAKE_PEER", "1")
	r := &Runner{Root: "/", Dir: dir, Progress: &quiet{}}
	_, err = r.Run(context.Background(), cases)
	if err == nil {
		fmt.Fprintln(os.Stderr, "no error")
		os.Exit(1)
	}
	dir.Finish(results.StateInterrupted, "stopped: "+err.Error())
	fmt.Fprintln(os.Stderr, err)
}

// Fault 7: each run's log keeps its head and tail and says how much it dropped.
func TestLogsAreCapped(t *testing.T) {
	old := LogHead
	LogHead = 64 << 10
	defer func() { LogHead = old }()
	r, out := newRunner(t)
	cases := fakeCases(t, "loud")
	cases[0].Repeat = 1
	if _, err := r.Run(context.Background(), cases); err != nil {
		t.Fatal(err)
	}
	if c := caseStates(t, out)["c-loud"]; c.State != results.CaseOK {
		t.Errorf("loud peer: %s %q", c.State, c.Reason)
	}
	log, _ := os.ReadFile(filepath.Join(out, "logs", "Fake_impl-c-loud.out"))
	if len(log) > 2*(int(LogHead)+MaxOutput+4096) || !strings.Contains(string(log), "bytes of output dropped here") {
		t.Errorf("the log of 2 runs of 8 MiB each is %d bytes", len(log))
	}
}

// Fault 7: a run is refused where there is not enough free space.
func TestNotEnoughFreeSpaceIsRefused(t *testing.T) {
	old := results.MinFreeBytes
	results.MinFreeBytes = 1 << 62
	defer func() { results.MinFreeBytes = old }()
	_, err := results.Create(filepath.Join(t.TempDir(), "run"), &results.Manifest{}, nil)
	if err == nil || !strings.Contains(err.Error(), "free") {
		t.Errorf("Create with 4 EiB needed: %v", err)
	}
}

// Issue 23, item 1: a load window whose requests fail (500s, or no answer at all) is failed:
// its case fails saying which window and why, the windows after it are counted as not run,
// its sample is kept but marked window-state: failed, and its throughput and latency never
// reach the summary the report and the claims read.
func TestFailedLoadWindowsFailTheirCase(t *testing.T) {
	r, out := newRunner(t)
	t.Setenv("GORUSTBENCH_FAKE_SERVER", "1")
	cases := serverCases(t, "ok", "err500", "stall")
	for _, c := range cases {
		c.Repeat = 1
		c.Load.Warmup = 10 * time.Millisecond
		c.Load.Duration = 300 * time.Millisecond
	}
	failed, err := r.Run(context.Background(), cases)
	if err != nil {
		t.Fatal(err)
	}
	if failed != 2 {
		t.Errorf("failed = %d, want 2", failed)
	}
	got := caseStates(t, out)
	if c := got["c-ok"]; c.State != results.CaseOK {
		t.Errorf("c-ok: %s %q", c.State, c.Reason)
	}
	for id, want := range map[string]string{
		"c-err500": "non-2xx answers",
		"c-stall":  "load max window failed: ",
	} {
		c := got[id]
		if c.State != results.CaseFailed || !strings.HasPrefix(c.Reason, "load max window failed: ") || !strings.Contains(c.Reason, want) ||
			!strings.Contains(c.Reason, "its 1 planned load window(s) after it did not run") {
			t.Errorf("%s: %s %q, want failed with %q", id, c.State, c.Reason, want)
		}
	}
	run, err := results.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	marked := 0
	for _, res := range run.Results {
		if string(res.GetConfig(results.WindowStateKey)) == results.WindowFailed {
			marked++
			if n := res.Name.String(); n != "EchoLoad/impl=c-err500/rate=max" && n != "EchoLoad/impl=c-stall/rate=max" {
				t.Errorf("%s marked as a failed window", n)
			}
		}
	}
	if marked != 2 {
		t.Errorf("%d samples marked window-state: failed, want 2", marked)
	}
	tab, err := summary.Of(run)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"c-err500", "c-stall"} {
		k, _ := key.Parse("EchoLoad/impl=" + id + "/rate=max")
		if c, ok := tab.Cell(k, units.Throughput); ok {
			t.Errorf("%s: the failed window's throughput %v is in the summary", id, c.Values)
		}
	}
	cmp, err := compare.Build([]compare.Column{{Label: "a", Run: run}, {Label: "b", Run: run}}, compare.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range cmp.Rows {
		if row.Unit == units.Throughput && (strings.Contains(row.Name, "c-err500/rate=max") || strings.Contains(row.Name, "c-stall/rate=max")) {
			t.Errorf("compare shows the failed window %s: %v", row.Name, row.Cells[0].Values)
		}
	}
}

// Issue 23, item 3: the peer's own clock is believed only within what the harness measured:
// elapsed_ns longer than exec to exit, or more ops than the time allows, fail the case
// before anything is recorded.
func TestPeerClockBeyondExecToExitIsRefused(t *testing.T) {
	r, out := newRunner(t)
	if _, err := r.Run(context.Background(), fakeCases(t, "ok", "bigclock", "manyops")); err != nil {
		t.Fatal(err)
	}
	got := caseStates(t, out)
	if c := got["c-ok"]; c.State != results.CaseOK {
		t.Errorf("c-ok: %s %q", c.State, c.Reason)
	}
	for id, want := range map[string]string{
		"c-bigclock": "verify run 1: result line has elapsed_ns 9223372036854775807, longer than the",
		"c-manyops":  "verify run 1: result line has ops 1000000000000 in elapsed_ns 10",
	} {
		if c := got[id]; c.State != results.CaseFailed || !strings.HasPrefix(c.Reason, want) || c.Samples != 0 {
			t.Errorf("%s: %s, %d samples, %q; want failed with %q", id, c.State, c.Samples, c.Reason, want)
		}
	}
}

// Issue 23, item 7: a result line longer than the 64 KiB the harness reads back says so,
// instead of "not a JSON object".
func TestResultLineOver64KiBSaysTooLong(t *testing.T) {
	r, out := newRunner(t)
	if _, err := r.Run(context.Background(), fakeCases(t, "longline")); err != nil {
		t.Fatal(err)
	}
	want := "verify run 1: result line longer than the 64 KiB the harness reads back (PROTOCOL.md): it ends"
	if c := caseStates(t, out)["c-longline"]; c.State != results.CaseFailed || !strings.HasPrefix(c.Reason, want) {
		t.Errorf("a 70 KiB result line: %s %q, want failed with %q", c.State, c.Reason, want)
	}
}

// escapeeHarness runs one batch peer whose descendant escapes with setsid() while the peer
// runs on; the test kills this harness with SIGKILL in the middle.
func escapeeHarness() {
	dir, err := results.Create(os.Getenv("FAKE_OUT"), &results.Manifest{RunID: "killed"}, nil)
	if err != nil {
		panic(err)
	}
	exe, _ := os.Executable()
	w := &suite.Workload{Name: "hello", Title: "Fake", Checksum: helloSum}
	impl := suite.Impl{Lang: "c", Variant: "escapehold", Binary: exe}
	w.Impls = []suite.Impl{impl}
	c := &suite.Case{Workload: w, Impl: impl, Params: suiteParams(), Warmup: 1, Repeat: 1, Timeout: time.Minute}
	os.Unsetenv("GORUSTBENCH_FAKE_HARNESS")
	os.Setenv("GORUSTBENCH_FAKE_PEER", "1")
	EscapeeWatch = 20 * time.Millisecond
	r := &Runner{Root: "/", Dir: dir, Progress: &quiet{}}
	r.Run(context.Background(), []*suite.Case{c})
}

// Issue 23, item 5: a descendant that escaped its peer's group with setsid() while the peer
// runs is registered when the harness sees it, so when the harness is SIGKILLed, the next
// run sweeps it, even a run with another TMPDIR.
func TestSetsidEscapeeOfAKilledHarnessIsSwept(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("FAKE_PID_FILE", filepath.Join(tmp, "pid"))
	exe, _ := os.Executable()
	h := exec.Command(exe)
	h.Env = append(os.Environ(), "GORUSTBENCH_FAKE_HARNESS=escapee", "FAKE_OUT="+filepath.Join(tmp, "run"))
	var stderr bytes.Buffer
	h.Stderr = &stderr
	if err := h.Start(); err != nil {
		t.Fatal(err)
	}
	var esc []int
	for deadline := time.Now().Add(30 * time.Second); len(esc) == 0; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			h.Process.Kill()
			h.Wait()
			t.Fatalf("the peer never started its escapee: %s", stderr.String())
		}
		esc = pids(t, "escapehold")
	}
	defer killAll(esc)
	time.Sleep(300 * time.Millisecond) // the harness looks every 20 ms
	h.Process.Signal(syscall.SIGKILL)
	h.Wait()
	if !running(esc[0]) {
		t.Fatalf("the escapee %d died with its harness: nothing to test", esc[0])
	}
	t.Setenv("TMPDIR", t.TempDir()) // the next run has another TMPDIR
	swept := Sweep()
	for deadline := time.Now().Add(10 * time.Second); running(esc[0]); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the setsid escapee %d still runs after the next run's sweep (%q)", esc[0], swept)
		}
	}
	if !strings.Contains(strings.Join(swept, "\n"), fmt.Sprintf("killed process group %d", esc[0])) {
		t.Errorf("sweep said %q, want the escapee's group %d", swept, esc[0])
	}
}

// Issue 23, item 7: a descriptor the harness inherited without close-on-exec (a shell's
// 3>file) does not leak into its peers once the harness has started as main does.
func TestInheritedDescriptorsDoNotLeakIntoPeers(t *testing.T) {
	r, out := newRunner(t)
	leaked := filepath.Join(t.TempDir(), "inherited")
	fd, err := syscall.Open(leaked, syscall.O_RDWR|syscall.O_CREAT, 0o644) // no O_CLOEXEC, as inherited
	if err != nil {
		t.Fatal(err)
	}
	defer syscall.Close(fd)
	if n := NoInheritedFDs(); n < 1 {
		t.Errorf("NoInheritedFDs marked %d descriptors, want at least the inherited one", n)
	}
	cases := fakeCases(t, "fds")
	cases[0].Repeat = 1
	if _, err := r.Run(context.Background(), cases); err != nil {
		t.Fatal(err)
	}
	if c := caseStates(t, out)["c-fds"]; c.State != results.CaseOK {
		t.Fatalf("c-fds: %s %q", c.State, c.Reason)
	}
	seen, err := os.ReadFile(os.Getenv("FAKE_PID_FILE") + ".fds")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(seen), leaked) {
		t.Errorf("the peer holds the harness's inherited descriptor %d (%s); its descriptors:\n%s", fd, leaked, seen)
	}
}

// withKnownAnswers points KnownAnswers at a table of these lines for the test.
func withKnownAnswers(t *testing.T, lines string) {
	t.Helper()
	table := filepath.Join(t.TempDir(), "kernels.txt")
	if err := os.WriteFile(table, []byte(lines), 0o644); err != nil {
		t.Fatal(err)
	}
	old := KnownAnswers
	KnownAnswers = table
	t.Cleanup(func() { KnownAnswers = old })
}

// knownTable is the table the known-answer tests use: the fake kernel at sizes 3 and 7.
const knownTable = "# workload size checksum\nkern 3 00000000000000aa\nkern 7 00000000000000cc\n"

// Issue 23, item 2: an implementation with nothing to agree with is checked against a known
// answer where the harness has one (at its size, or by one more run at a small size whose
// answer is known); otherwise it is marked unverified in the manifest and the report.
func TestALoneImplementationIsVerifiedOrMarked(t *testing.T) {
	r, out := newRunner(t)
	withKnownAnswers(t, knownTable)
	exe, _ := os.Executable()
	var cases []*suite.Case
	for _, tc := range []struct {
		workload, variant string
		size              int64
	}{{"kern", "kernright", 100}, {"kern", "kernwrong", 101}, {"kern", "kernright", 3}, {"hello", "right", 0}} {
		w := &suite.Workload{Name: tc.workload, Title: "Alone" + tc.variant + fmt.Sprint(tc.size)}
		impl := suite.Impl{Lang: "c", Variant: tc.variant, Binary: exe}
		w.Impls = []suite.Impl{impl}
		p := suiteParams()
		p.Size = tc.size
		cases = append(cases, &suite.Case{Workload: w, Impl: impl, Params: p, Warmup: 1, Repeat: 1, Timeout: 2 * time.Second})
	}
	if _, err := r.Run(context.Background(), cases); err != nil {
		t.Fatal(err)
	}
	got := map[string]*results.CaseState{}
	for _, c := range readManifest(t, out).Cases {
		got[c.Name] = c
	}
	check := func(name, state, text string, unverified bool) {
		t.Helper()
		c := got[name]
		all := c.Reason + " " + strings.Join(c.Notes, " ") + " " + c.Unverified
		if c.State != state || !strings.Contains(all, text) || (c.Unverified != "") != unverified {
			t.Errorf("%s: %s, reason %q, notes %q, unverified %q; want %s with %q", name, c.State, c.Reason, c.Notes, c.Unverified, state, text)
		}
	}
	check("Alonekernright100/impl=c-kernright", results.CaseOK, "output verified at size 3 against its known answer", false)
	check("Alonekernwrong101/impl=c-kernwrong", results.CaseFailed, "wrong output: at size 3, where the answer is known", false)
	if c := got["Alonekernright3/impl=c-kernright"]; c.State != results.CaseOK || c.Unverified != "" || c.Samples != 1 {
		t.Errorf("at a size the table knows, checked against it: %s %q %q", c.State, c.Reason, c.Unverified)
	}
	check("Aloneright0/impl=c-right", results.CaseOK, "its output is not checked", true)
	path, err := report.WriteFolder(out)
	if err != nil {
		t.Fatal(err)
	}
	if md, _ := os.ReadFile(path); !strings.Contains(string(md), "| Aloneright0/impl=c-right | ok, **unverified**: ") {
		t.Errorf("report.md does not mark the unverified case")
	}
}

// A workload whose answer the harness computes only at small sizes (matmul): a lone
// implementation at a large size runs once more at the largest small size it computes.
func TestALoneImplementationIsCheckedAtAComputedSize(t *testing.T) {
	withKnownAnswers(t, "")
	r, out := newRunner(t)
	exe, _ := os.Executable()
	var big []*suite.Case
	for i, v := range []string{"kernright", "kernwrong"} {
		w := &suite.Workload{Name: "kern", Title: "Big" + v, Answer: func(p peer.Params) string {
			if p.Size > 8 {
				return ""
			}
			return "00000000000000bb"
		}}
		impl := suite.Impl{Lang: "c", Variant: v, Binary: exe}
		w.Impls = []suite.Impl{impl}
		p := suiteParams()
		p.Size = 100 + int64(i) // a group each
		big = append(big, &suite.Case{Workload: w, Impl: impl, Params: p, Warmup: 1, Repeat: 1, Timeout: 2 * time.Second})
	}
	if _, err := r.Run(context.Background(), big); err != nil {
		t.Fatal(err)
	}
	for _, c := range readManifest(t, out).Cases {
		want, text := results.CaseOK, "output verified at size 8 against its known answer (computed by the harness)"
		if c.Impl == "c-kernwrong" {
			want, text = results.CaseFailed, "wrong output: at size 8, where the answer is known (computed by the harness)"
		}
		if all := c.Reason + strings.Join(c.Notes, " "); c.State != want || !strings.Contains(all, text) {
			t.Errorf("%s: %s %q %q; want %s with %q", c.Name, c.State, c.Reason, c.Notes, want, text)
		}
	}
}

// Where the table knows the size, agreement is not enough: two wrong implementations fail.
func TestAgreementIsNotEnoughWhereTheAnswerIsKnown(t *testing.T) {
	withKnownAnswers(t, knownTable)
	r, out := newRunner(t)
	exe, _ := os.Executable()
	w := &suite.Workload{Name: "kern", Title: "Pair"}
	var pair []*suite.Case
	for _, v := range []string{"kernwrong", "kernwrong2"} {
		impl := suite.Impl{Lang: "c", Variant: v, Binary: exe}
		w.Impls = append(w.Impls, impl)
		p := suiteParams()
		p.Size = 3
		pair = append(pair, &suite.Case{Workload: w, Impl: impl, Params: p, Warmup: 1, Repeat: 1, Timeout: 2 * time.Second})
	}
	if _, err := r.Run(context.Background(), pair); err != nil {
		t.Fatal(err)
	}
	for _, c := range readManifest(t, out).Cases {
		if c.State != results.CaseFailed || !strings.Contains(c.Reason, "the known answer for size 3") {
			t.Errorf("%s agreed with its pair but not with the known answer: %s %q", c.Name, c.State, c.Reason)
		}
	}
}

// Issue 23, item 7: a peer that changes its own CPU affinity is noticed: its affinity is read
// again when it exits, before it is reaped, and a change is recorded on the case. (Exec
// reads it the same way, see TestExecReportsAffinityAtExit.)
func TestAffinityIsReadAgainAtExit(t *testing.T) {
	cpus := probe.AllowedCPUs()
	if len(cpus) < 2 {
		t.Skip("needs two CPUs to move between")
	}
	exe, _ := os.Executable()
	c := exec.Command(exe, "--variant", "unpin")
	c.Env = append(os.Environ(), "GORUSTBENCH_FAKE_PEER=1", "FAKE_PID_FILE="+filepath.Join(t.TempDir(), "pid"))
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	atExit := exitAffinity(c.Process.Pid)
	if err := c.Wait(); err != nil {
		t.Fatalf("the child was reaped by exitAffinity, or failed: %v", err)
	}
	if len(atExit) != 1 || atExit[0] != cpus[0] {
		t.Fatalf("affinity at exit %v, want [%d]", atExit, cpus[0])
	}
	want := fmt.Sprintf("run 3: the peer changed its own CPU affinity: pinned to %v, allowed [%d] when it exited", cpus, cpus[0])
	if n := affinityNote(3, cpus, atExit); !strings.HasPrefix(n, want) {
		t.Errorf("note %q, want %q", n, want)
	}
	if n := affinityNote(3, cpus, cpus); n != "" {
		t.Errorf("an unchanged affinity is noted: %q", n)
	}
}

// Issue 23, item 6: a folder whose harness was killed with SIGKILL stays "running" on disk,
// but no reader takes it for a run in progress: its owner is recorded, found gone, and the
// run read back as interrupted, saying why.
func TestAFolderWhoseHarnessDiedIsNotRunning(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("FAKE_PID_FILE", filepath.Join(tmp, "pid"))
	out := filepath.Join(tmp, "run")
	exe, _ := os.Executable()
	h := exec.Command(exe)
	h.Env = append(os.Environ(), "GORUSTBENCH_FAKE_HARNESS=escapee", "FAKE_OUT="+out)
	if err := h.Start(); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(30 * time.Second); len(pids(t, "escapehold")) == 0; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			h.Process.Kill()
			h.Wait()
			t.Fatal("the fake harness never started its peer")
		}
	}
	defer killAll(pids(t, "escapehold"))
	run, err := results.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	if run.Manifest.State != results.StateRunning || run.Manifest.Owner == nil || run.Manifest.Owner.PID != h.Process.Pid {
		t.Errorf("while its harness runs: state %s, owner %+v", run.Manifest.State, run.Manifest.Owner)
	}
	h.Process.Signal(syscall.SIGKILL)
	h.Wait()
	run, err = results.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("its harness (pid %d) died without a chance to say so", h.Process.Pid)
	if run.Manifest.State != results.StateInterrupted || !strings.HasPrefix(run.Manifest.StateReason, want) {
		t.Errorf("after its harness was killed: state %s %q, want interrupted with %q", run.Manifest.State, run.Manifest.StateReason, want)
	}
	Sweep()
}

// The same through Exec: the affinity at exit reaches the outcome (read while the peer is a
// zombie, after the clock has stopped).
func TestExecReportsAffinityAtExit(t *testing.T) {
	cpus := probe.AllowedCPUs()
	if len(cpus) < 2 {
		t.Skip("needs two CPUs to move between")
	}
	exe, _ := os.Executable()
	logs := t.TempDir()
	out, _ := os.Create(filepath.Join(logs, "out"))
	errf, _ := os.Create(filepath.Join(logs, "err"))
	defer out.Close()
	defer errf.Close()
	o, err := Exec(context.Background(), Spec{Path: exe, Args: []string{"--variant", "unpin"}, CPUs: cpus, Timeout: time.Minute,
		Env: []string{"GORUSTBENCH_FAKE_PEER=1", "FAKE_PID_FILE=" + filepath.Join(logs, "pid")}, Stdout: out, Stderr: errf})
	if err != nil {
		t.Fatal(err)
	}
	if len(o.CPUsAtExit) != 1 || o.CPUsAtExit[0] != cpus[0] {
		t.Errorf("CPUsAtExit %v, want [%d] (the peer pinned itself there)", o.CPUsAtExit, cpus[0])
	}
	o, err = Exec(context.Background(), Spec{Path: "/bin/true", CPUs: cpus[len(cpus)-1:], Timeout: time.Minute, Stdout: out, Stderr: errf})
	if err != nil || len(o.CPUsAtExit) != 1 || o.CPUsAtExit[0] != cpus[len(cpus)-1] {
		t.Errorf("a peer that stays put: CPUsAtExit %v (%v), want [%d]", o.CPUsAtExit, err, cpus[len(cpus)-1])
	}
}
