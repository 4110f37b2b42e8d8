package results

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// brokenCopy copies the committed fixture run into a temporary folder and lets edit break it.
func brokenCopy(t *testing.T, edit func(samples []byte, m map[string]any) ([]byte, map[string]any)) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "run")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	samples, err := os.ReadFile("../../results/baseline/samples.bench")
	if err != nil {
		t.Fatal(err)
	}
	mdata, err := os.ReadFile("../../results/baseline/manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(mdata, &m); err != nil {
		t.Fatal(err)
	}
	samples, m = edit(samples, m)
	mdata, _ = json.Marshal(m)
	if err := os.WriteFile(filepath.Join(dir, "samples.bench"), samples, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "manifest.json"), mdata, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestCheck(t *testing.T) {
	lines := func(s []byte) []string { return strings.SplitAfter(string(s), "\n") }
	for _, tc := range []struct {
		name string
		edit func([]byte, map[string]any) ([]byte, map[string]any)
		want string // "" for a folder that passes
	}{
		{"fixture", func(s []byte, m map[string]any) ([]byte, map[string]any) { return s, m }, ""},
		{"cut mid-line", func(s []byte, m map[string]any) ([]byte, map[string]any) { return s[:len(s)-7], m },
			"ends in the middle of a line: the file was truncated"},
		{"cut at half, on a line's end", func(s []byte, m map[string]any) ([]byte, map[string]any) {
			l := lines(s)
			return []byte(strings.Join(l[:len(l)/2], "")), m
		}, "manifest.json counts 54 sample(s) but"},
		{"a case short of samples", func(s []byte, m map[string]any) ([]byte, map[string]any) {
			m["samples"] = float64(53)
			var out []string
			dropped := false
			for _, l := range lines(s) {
				if !dropped && strings.HasPrefix(l, "BenchmarkHello/impl=go-std ") {
					dropped = true
					continue
				}
				out = append(out, l)
			}
			return []byte(strings.Join(out, "")), m
		}, "manifest.json counts 12 sample(s) of Hello/impl=go-std but"},
		{"more samples than counted", func(s []byte, m map[string]any) ([]byte, map[string]any) {
			m["samples"] = float64(50)
			return s, m
		}, "holds samples of another run, or was edited"},
		{"killed between the two writes", func(s []byte, m map[string]any) ([]byte, map[string]any) {
			m["samples"], m["state"] = float64(50), StateRunning
			return s, m
		}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			run, err := Load(brokenCopy(t, tc.edit))
			if err != nil {
				if tc.want != "" && strings.Contains(err.Error(), "corrupt") {
					return // a cut the parser itself rejects is as good
				}
				t.Fatal(err)
			}
			err = run.Check()
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("want no error, got %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("want an error containing %q, got %v", tc.want, err)
			}
		})
	}
}

func TestFinished(t *testing.T) {
	for state, want := range map[string]string{
		StateComplete:    "",
		StateInterrupted: "the run was interrupted (SIGTERM)",
		StateRunning:     "the run never finished: it is still running, or its harness was killed",
	} {
		r := &Run{Manifest: Manifest{State: state, StateReason: "SIGTERM"}}
		if got := r.Finished(); got != want {
			t.Errorf("%s: got %q, want %q", state, got, want)
		}
	}
}
