// Package ci holds the GitHub Actions example of the regression gate; its test runs the
// example's run and gate steps, as written, on this machine.
package ci

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// workflow is what the test reads of the example: the job's env and each step's run script.
type workflow struct {
	env   map[string]string
	steps map[string]string
}

// parseWorkflow reads the subset of YAML the example is written in: the job's "env:" block of
// KEY: value lines, and steps "- name: X" with a "run: |" block or a one-line "run:".
func parseWorkflow(data []byte) workflow {
	w := workflow{env: map[string]string{}, steps: map[string]string{}}
	indent := func(s string) int { return len(s) - len(strings.TrimLeft(s, " ")) }
	lines := strings.Split(string(data), "\n")
	var step string
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		t := strings.TrimSpace(l)
		switch {
		case t == "env:" && indent(l) == 4:
			for i+1 < len(lines) && indent(lines[i+1]) > 4 && strings.TrimSpace(lines[i+1]) != "" {
				i++
				k, v, _ := strings.Cut(strings.TrimSpace(lines[i]), ":")
				v, _, _ = strings.Cut(v, "#")
				w.env[k] = strings.Trim(strings.TrimSpace(v), `"`)
			}
		case strings.HasPrefix(t, "- name: "):
			step = strings.TrimPrefix(t, "- name: ")
		case t == "run: |" && step != "":
			var body []string
			in := indent(l)
			for i+1 < len(lines) && (strings.TrimSpace(lines[i+1]) == "" || indent(lines[i+1]) > in) {
				i++
				body = append(body, strings.TrimPrefix(lines[i], strings.Repeat(" ", in+2)))
			}
			w.steps[step] = strings.Join(body, "\n")
		case strings.HasPrefix(t, "run: ") && step != "":
			w.steps[step] = strings.TrimPrefix(t, "run: ")
		}
	}
	return w
}

// Workloads is the smaller set the test runs instead of the whole smoke profile, which takes a
// minute a run here (twelve runs): the set issue 22 measured, about two seconds a run.
const Workloads = "hello,nbody,binarytrees,fanout"

// TestCIExample runs the example's "Run the smoke profile, interleaved" and "Gate" steps as
// written, with its ROUNDS, REPEAT and THRESHOLD, base and head being this tree (an A/A gate:
// it must pass). What differs from GitHub: the peers are this tree's, already built (make
// peers), instead of the "Build base and head" step, and WORKLOADS is set to a small set.
// It needs built peers and takes a minute or two, so it runs only when GORUSTBENCH_CI_EXAMPLE
// is set (make check-ci-example, which .ci/run calls after make peers).
func TestCIExample(t *testing.T) {
	if os.Getenv("GORUSTBENCH_CI_EXAMPLE") == "" {
		t.Skip("set GORUSTBENCH_CI_EXAMPLE=1 to run the CI example's steps (make check-ci-example; needs make peers)")
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"cpeers/bin/hello", "workloads/bin/hello", "rustpeers/target/release/hello"} {
		if _, err := os.Stat(filepath.Join(root, p)); err != nil {
			t.Fatalf("peers not built (%v): run make peers first", err)
		}
	}
	data, err := os.ReadFile("github-actions-gate.yml")
	if err != nil {
		t.Fatal(err)
	}
	w := parseWorkflow(data)
	for _, s := range []string{"Run the smoke profile, interleaved", "Gate"} {
		if w.steps[s] == "" {
			t.Fatalf("the example has no step %q", s)
		}
	}
	for _, k := range []string{"ROUNDS", "REPEAT", "THRESHOLD"} {
		if w.env[k] == "" {
			t.Fatalf("the example's env has no %s: %v", k, w.env)
		}
	}
	ws := t.TempDir()
	harness := filepath.Join(ws, "gorustbench")
	build := exec.Command("go", "build", "-o", harness, "./cmd/gorustbench")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the harness: %v\n%s", err, out)
	}
	for _, side := range []string{"base", "head"} {
		if err := os.MkdirAll(filepath.Join(ws, side, "bin"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(harness, filepath.Join(ws, side, "bin", "gorustbench")); err != nil {
			t.Fatal(err)
		}
		for _, d := range []string{"workloads/bin", "workloads/bin-native", "rustpeers/target", "cpeers/bin", "cpeers/bin-native"} {
			if _, err := os.Stat(filepath.Join(root, d)); err != nil {
				continue
			}
			if err := os.MkdirAll(filepath.Dir(filepath.Join(ws, side, d)), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(filepath.Join(root, d), filepath.Join(ws, side, d)); err != nil {
				t.Fatal(err)
			}
		}
	}
	env := os.Environ()
	for k, v := range w.env {
		env = append(env, k+"="+v)
	}
	env = append(env, "WORKLOADS="+Workloads, "GITHUB_WORKSPACE="+ws,
		"GITHUB_STEP_SUMMARY="+filepath.Join(ws, "step-summary.md"), "GITHUB_OUTPUT="+filepath.Join(ws, "output"))
	step := func(name string) (int, string) {
		// GitHub's default shell for run steps.
		cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", w.steps[name])
		cmd.Dir, cmd.Env = ws, env
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		if ee, ok := err.(*exec.ExitError); ok {
			return ee.ExitCode(), out.String()
		} else if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return 0, out.String()
	}
	// An A/A gate raises a false alarm now and then by design (gate --calibrate measures how
	// often): one retry keeps a real failure from hiding and a chance one from failing CI.
	for attempt := 1; ; attempt++ {
		for _, f := range []string{"runs", "gate.md", "step-summary.md", "output"} {
			if err := os.RemoveAll(filepath.Join(ws, f)); err != nil {
				t.Fatal(err)
			}
		}
		if code, out := step("Run the smoke profile, interleaved"); code != 0 {
			t.Fatalf("the run step failed (exit %d):\n%s", code, out)
		}
		code, out := step("Gate")
		if code == 0 {
			break
		}
		if attempt == 2 {
			t.Fatalf("the gate step exited %d on identical base and head, twice:\n%s", code, out)
		}
		t.Logf("attempt 1: the gate exited %d on identical base and head; retrying once:\n%s", code, out)
	}
	summary, err := os.ReadFile(filepath.Join(ws, "gate.md"))
	if err != nil || !bytes.Contains(summary, []byte("no regression")) || !bytes.Contains(summary, []byte("interleaved rounds, compared round by round")) {
		t.Errorf("gate.md (%v):\n%s", err, summary)
	}
	if step, _ := os.ReadFile(filepath.Join(ws, "step-summary.md")); !bytes.Equal(step, summary) {
		t.Errorf("the job summary is not gate.md:\n%s", step)
	}
	out, _ := os.ReadFile(filepath.Join(ws, "output"))
	if sc := bufio.NewScanner(bytes.NewReader(out)); !sc.Scan() || sc.Text() != "code=0" {
		t.Errorf("GITHUB_OUTPUT: %q", out)
	}
}

func TestParseWorkflow(t *testing.T) {
	w := parseWorkflow([]byte(`jobs:
  gate:
    env:
      ROUNDS: 6      # comment
      WORKLOADS: ""  # empty
    steps:
      - name: One
        run: |
          for x in a b; do
            echo $x
          done
      - name: Two
        run: echo two
`))
	if w.env["ROUNDS"] != "6" || w.env["WORKLOADS"] != "" || len(w.env) != 2 {
		t.Errorf("env %v", w.env)
	}
	if w.steps["One"] != "for x in a b; do\n  echo $x\ndone" || w.steps["Two"] != "echo two" {
		t.Errorf("steps %q", w.steps)
	}
}
