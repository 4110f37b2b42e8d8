package calibrate

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/gorustbench/gorustbench/bench/results"
	"github.com/gorustbench/gorustbench/bench/runner"
)

// root builds the named C peers from cpeers/ into a temporary repository root, where the
// suite expects them (cpeers/bin/NAME).
func root(t *testing.T, names ...string) string {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "cpeers", "bin")
	os.MkdirAll(bin, 0o755)
	for _, name := range names {
		src := "../../cpeers/"
		cmd := exec.Command("cc", "-O2", "-std=c11", "-D_GNU_SOURCE", "-o", filepath.Join(bin, name), src+name+".c", src+"peerkit.c", "-lpthread")
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("compiling %s: %v\n%s", name, err, b)
		}
	}
	return dir
}

func check(t *testing.T, cal *results.Calibration, name string) results.Check {
	t.Helper()
	for _, c := range cal.Checks {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no check %q in %+v", name, cal.Checks)
	return results.Check{}
}

// A start-up clock that reads 300 µs high, as it did when harness work ran on the peer's CPU
// between fork and wait, fails calibration: the check can fail.
func TestStartupClockCatchesAnExecDelay(t *testing.T) {
	if _, err := exec.LookPath("hyperfine"); err != nil {
		t.Skip("hyperfine is not installed (scripts/setup.sh installs it)")
	}
	dir := root(t, "hello")
	runner.SetExecDelay(300 * time.Microsecond)
	defer runner.SetExecDelay(0)
	cal, err := Run(context.Background(), Config{Root: dir, Only: []string{results.InstrStartup}, Mode: Short})
	if err != nil {
		t.Fatal(err)
	}
	c := check(t, cal, "exec to exit, C hello")
	if c.Status != results.CheckFail || c.Error < 0.15 {
		t.Errorf("with 300 µs added to every exec: %s, %+.1f%% (%v vs %v); want a failure", c.Status, 100*c.Error, time.Duration(c.Measured), time.Duration(c.Expected))
	}
	if g := check(t, cal, "exec to exit, Go hello"); g.Status != results.CheckSkipped || g.Note == "" {
		t.Errorf("the Go hello is not built here: %+v, want skipped with the reason", g)
	}
}

// The known answers: memhog's 64 MiB reads as 64 MiB more than memhog's 0 MiB, a 200 ms
// burn as 200 ms of CPU, and a 100 ms SIGSTOP as a 100 ms hiccup in the C kit's meter. These
// compare an instrument with an exact answer, with tolerances that a loaded machine keeps.
func TestKnownAnswers(t *testing.T) {
	dir := root(t, "memhog", "idle")
	cal, err := Run(context.Background(), Config{Root: dir, Only: []string{results.InstrPeakRSS, results.InstrCPUTime, results.InstrHiccup}, Mode: Short, Retries: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"VmHWM of memhog 64 MiB, less memhog 0 MiB", "user+sys from wait4, idle --variant burn", "hiccup meter's max, C kit"} {
		if c := check(t, cal, name); c.Status != results.CheckPass {
			t.Errorf("%s: %s, %v vs %v (%+.1f%%) %s", name, c.Status, c.Measured, c.Expected, 100*c.Error, c.Note)
		}
	}
	if len(cal.Floor.CPUs) == 0 || cal.Floor.CPUs[0].N == 0 {
		t.Errorf("the floor was not measured: %+v", cal.Floor)
	}
}
