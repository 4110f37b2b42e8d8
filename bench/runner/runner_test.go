package runner

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gorustbench/gorustbench/bench/probe"
	"github.com/gorustbench/gorustbench/bench/results"
	"github.com/gorustbench/gorustbench/bench/suite"
	"github.com/gorustbench/gorustbench/bench/units"
)

// The test binary doubles as a fake peer: with GORUSTBENCH_FAKE_PEER set it behaves as its
// --variant says, so every way a peer can misbehave is one variant.
func TestMain(m *testing.M) {
	// The registry of running peer groups: the tests' own, shared with their fake harnesses.
	made := ""
	if dir := os.Getenv("FAKE_REGISTRY"); dir != "" {
		RegistryRoot = dir
	} else if dir, err := os.MkdirTemp("", "registry"); err == nil {
		RegistryRoot, made = dir, dir
		os.Setenv("FAKE_REGISTRY", dir)
	}
	if os.Getenv("GORUSTBENCH_FAKE_HARNESS") != "" {
		fakeHarness()
		return
	}
	if os.Getenv("GORUSTBENCH_FAKE_PEER") != "" {
		if mib := os.Getenv("FAKE_HOLD_MIB"); mib != "" {
			holdMemory(mib)
			return
		}
		if os.Getenv("GORUSTBENCH_FAKE_SERVER") != "" {
			variant, addr := "", ""
			for i, a := range os.Args {
				if i+1 < len(os.Args) && a == "--variant" {
					variant = os.Args[i+1]
				}
				if i+1 < len(os.Args) && a == "--addr" {
					addr = os.Args[i+1]
				}
			}
			fakeServer(variant, addr)
			return
		}
		fakePeer(os.Args[1:])
		return
	}
	code := m.Run()
	if made != "" {
		os.RemoveAll(made)
	}
	os.Exit(code)
}

const helloSum = "e60e7ee648829675"

func fakePeer(args []string) {
	variant := ""
	for i, a := range args {
		if a == "--variant" && i+1 < len(args) {
			variant = args[i+1]
		}
	}
	line := func(sum string) string {
		return fmt.Sprintf(`{"protocol":1,"workload":"hello","lang":"c","variant":%q,"params":{"size":0,"iters":1,"threads":1,"seed":1},"ops":1,"elapsed_ns":10,"checksum":%q,"vmhwm_kib":1000}`, variant, sum)
	}
	switch variant {
	case "ok", "ok2":
		fmt.Println("hello, world")
		fmt.Println(line(helloSum))
	case "crash":
		// The Go runtime would turn SIGSEGV into a panic; a shell dies of it for real.
		syscall.Exec("/bin/sh", []string{"sh", "-c", "echo about to crash >&2; kill -SEGV $$"}, os.Environ())
	case "hang":
		// A grandchild in the same process group must die with it.
		c := exec.Command("sleep", "60")
		c.Start()
		os.WriteFile(os.Getenv("FAKE_PID_FILE"), []byte(fmt.Sprint(c.Process.Pid)), 0o644)
		time.Sleep(time.Hour)
	case "noresult":
		fmt.Println("hello, world")
	case "malformed":
		fmt.Println(`{"protocol":1,"workload":"hel`)
	case "wrongsum":
		fmt.Println(line("0000000000000000"))
	case "exit1":
		fmt.Fprintln(os.Stderr, "fake: cannot open input")
		os.Exit(1)
	case "flaky":
		// Right on the verify run, wrong afterwards: "output changed between runs".
		marker := os.Getenv("FAKE_PID_FILE") + ".flaky"
		if _, err := os.Stat(marker); err == nil {
			fmt.Println(line("1111111111111111"))
			return
		}
		os.WriteFile(marker, nil, 0o644)
		fmt.Println(line(helloSum))
	case "slow":
		time.Sleep(200 * time.Millisecond)
		fmt.Println(line(helloSum))
	default:
		faultPeer(variant, line)
	}
}

func fakeCases(t *testing.T, variants ...string) []*suite.Case {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	w := &suite.Workload{Name: "hello", Title: "Fake", Checksum: helloSum}
	for _, v := range variants {
		w.Impls = append(w.Impls, suite.Impl{Lang: "c", Variant: v, Binary: exe})
	}
	var cases []*suite.Case
	for _, impl := range w.Impls {
		cases = append(cases, &suite.Case{Workload: w, Impl: impl, Params: suiteParams(), Warmup: 1, Repeat: 3, Timeout: 2 * time.Second})
	}
	return cases
}

type quiet struct{ failed []string }

func (q *quiet) Start(int)                           {}
func (q *quiet) Step(int, *suite.Case, string)       {}
func (q *quiet) Failed(c *suite.Case, reason string) { q.failed = append(q.failed, c.Impl.Variant) }

func newRunner(t *testing.T) (*Runner, string) {
	t.Setenv("GORUSTBENCH_FAKE_PEER", "1")
	t.Setenv("FAKE_PID_FILE", filepath.Join(t.TempDir(), "pid"))
	out := filepath.Join(t.TempDir(), "run")
	dir, err := results.Create(out, &results.Manifest{RunID: "test"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return &Runner{Root: "/", Dir: dir, Progress: &quiet{}, CPUs: probe.AllowedCPUs()}, out
}

func readManifest(t *testing.T, dir string) results.Manifest {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var m results.Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("manifest.json is not valid: %v", err)
	}
	return m
}

func TestEveryFailureFailsOnlyItsOwnCase(t *testing.T) {
	r, out := newRunner(t)
	cases := fakeCases(t, "ok", "crash", "hang", "noresult", "malformed", "wrongsum", "exit1", "flaky", "ok2")
	failed, err := r.Run(context.Background(), cases)
	if err != nil {
		t.Fatal(err)
	}
	if failed != 7 {
		t.Errorf("failed = %d, want 7", failed)
	}
	if err := r.Dir.Finish(results.StateComplete, ""); err != nil {
		t.Fatal(err)
	}
	m := readManifest(t, out)
	want := map[string]string{
		"c-ok":        "ok",
		"c-ok2":       "ok",
		"c-crash":     `verify run 1 crashed: killed by SIGSEGV (last stderr line: "about to crash")`,
		"c-hang":      "verify run 1 hung: no exit within its 2s timeout; killed its process group",
		"c-noresult":  `verify run 1: result line is not a JSON object: "hello, world"`,
		"c-malformed": `verify run 1: result line is not a JSON object: "{\"protocol\":1,\"workload\":\"hel"`,
		"c-wrongsum":  "wrong output: checksum 0000000000000000 != e60e7ee648829675",
		"c-exit1":     `verify run 1 exited with status 1 (last stderr line: "fake: cannot open input")`,
		"c-flaky":     "output changed between runs: checksum 1111111111111111 != e60e7ee648829675",
	}
	for _, c := range m.Cases {
		w := want[c.Impl]
		if w == "ok" {
			if c.State != results.CaseOK || c.Samples != 3 {
				t.Errorf("%s: state %s samples %d: %s", c.Impl, c.State, c.Samples, c.Reason)
			}
			continue
		}
		if c.State != results.CaseFailed || !strings.HasPrefix(c.Reason, w) || strings.Contains(c.Reason, "\n") {
			t.Errorf("%s: state %s reason %q, want failed with %q", c.Impl, c.State, c.Reason, w)
		}
	}
	// The good cases' samples are all there.
	run, err := results.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(run.Values("Fake/impl=c-ok", units.Exec)); n != 3 {
		t.Errorf("c-ok has %d samples, want 3", n)
	}
	// The hung peer's grandchild died with its process group.
	pid, _ := os.ReadFile(os.Getenv("FAKE_PID_FILE"))
	if len(pid) > 0 {
		time.Sleep(100 * time.Millisecond)
		stat, err := os.ReadFile("/proc/" + string(pid) + "/stat")
		if err == nil && !strings.Contains(string(stat), ") Z ") {
			t.Errorf("grandchild %s of the hung peer is still alive: %s", pid, stat)
		}
	}
}

func TestMissingBinaryIsSkipped(t *testing.T) {
	r, out := newRunner(t)
	cases := fakeCases(t, "ok")
	cases[0].Impl.Binary = "/nonexistent/peer"
	if failed, err := r.Run(context.Background(), cases); err != nil || failed != 0 {
		t.Fatalf("failed %d, err %v", failed, err)
	}
	m := readManifest(t, out)
	if c := m.Cases[0]; c.State != results.CaseSkipped || !strings.Contains(c.Reason, "run 'make peers'") {
		t.Errorf("got %s %q", c.State, c.Reason)
	}
}

func TestInterruptKeepsSamples(t *testing.T) {
	r, out := newRunner(t)
	cases := fakeCases(t, "slow")
	cases[0].Repeat = 1000
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	_, err := r.Run(ctx, cases)
	if err != ErrInterrupted {
		t.Fatalf("err = %v, want ErrInterrupted", err)
	}
	if err := r.Dir.Finish(results.StateInterrupted, "test"); err != nil {
		t.Fatal(err)
	}
	run, err := results.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	n := len(run.Values("Fake/impl=c-slow", units.Exec))
	if run.Manifest.State != results.StateInterrupted || n < 2 || run.Manifest.Samples != n {
		t.Errorf("state %s, %d samples (manifest says %d)", run.Manifest.State, n, run.Manifest.Samples)
	}
}

func TestInterleaving(t *testing.T) {
	r, _ := newRunner(t)
	var order []string
	r.Progress = progressFunc(func(c *suite.Case, phase string) {
		if phase == "timed" {
			order = append(order, c.Impl.Variant)
		}
	})
	if _, err := r.Run(context.Background(), fakeCases(t, "ok", "ok2")); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(order, " "); got != "ok ok2 ok2 ok ok ok2" {
		t.Errorf("timed order %q, want each repetition to rotate who goes first", got)
	}
}

type progressFunc func(*suite.Case, string)

func (f progressFunc) Start(int)                           {}
func (f progressFunc) Step(_ int, c *suite.Case, p string) { f(c, p) }
func (f progressFunc) Failed(*suite.Case, string)          {}

// holdMemory touches the given MiB, says READY, and waits to be killed.
func holdMemory(mib string) {
	n, _ := strconv.Atoi(mib)
	buf := make([]byte, n<<20)
	for i := 0; i < len(buf); i += 4096 {
		buf[i] = 1
	}
	os.Stdout.WriteString("READY\n")
	time.Sleep(time.Minute)
	runtime.KeepAlive(buf)
}
