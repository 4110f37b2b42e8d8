package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fixtureEdit builds a run folder from the committed baseline: keep decides which sample lines
// stay (and may rewrite them), manifest edits manifest.json. Counts in the manifest are the
// test's to keep consistent, or not.
type fixtureEdit struct {
	keep     func(line string) (string, bool)
	manifest func(m map[string]any)
	raw      func(samples []byte) []byte // after keep: cut the file
}

func buildFolder(t *testing.T, e fixtureEdit) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "run")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	samples, err := os.ReadFile(filepath.Join(baseline, "samples.bench"))
	if err != nil {
		t.Fatal(err)
	}
	mdata, err := os.ReadFile(filepath.Join(baseline, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	if e.keep != nil {
		var out []string
		for _, l := range strings.SplitAfter(string(samples), "\n") {
			if l2, ok := e.keep(l); ok {
				out = append(out, l2)
			}
		}
		samples = []byte(strings.Join(out, ""))
	}
	if e.raw != nil {
		samples = e.raw(samples)
	}
	var m map[string]any
	if err := json.Unmarshal(mdata, &m); err != nil {
		t.Fatal(err)
	}
	if e.manifest != nil {
		e.manifest(m)
	}
	mdata, _ = json.MarshalIndent(m, "", "  ")
	if err := os.WriteFile(filepath.Join(dir, "samples.bench"), samples, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "manifest.json"), mdata, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// cases calls f on every case of a manifest map.
func cases(m map[string]any, f func(c map[string]any)) {
	for _, c := range m["cases"].([]any) {
		f(c.(map[string]any))
	}
}

// dropCase removes a case's sample lines and sets its state, keeping the counts honest.
func dropCase(name, state, reason string) fixtureEdit {
	return fixtureEdit{
		keep: func(l string) (string, bool) { return l, !strings.HasPrefix(l, "Benchmark"+name+" ") },
		manifest: func(m map[string]any) {
			cases(m, func(c map[string]any) {
				if c["name"] == name {
					m["samples"] = m["samples"].(float64) - c["samples"].(float64)
					c["state"], c["reason"], c["samples"] = state, reason, 0.0
				}
			})
		},
	}
}

// Broken is worse than slow: every fault the issue lists, as a candidate against the
// committed baseline, with the exit status and the words that must name it.
func TestGateBrokenCandidates(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit fixtureEdit
		code int
		want []string
	}{
		{"hung C hello", dropCase("Hello/impl=c-std", "failed", "timed out after 10s"), 1,
			[]string{"Hello/impl=c-std: failed in candidate run", "timed out after 10s"}},
		{"every case skipped", fixtureEdit{
			keep: func(l string) (string, bool) { return l, !strings.HasPrefix(l, "BenchmarkHello/") },
			manifest: func(m map[string]any) {
				m["samples"] = 18.0
				cases(m, func(c map[string]any) { c["state"], c["reason"], c["samples"] = "skipped", "not built", 0.0 })
			},
		}, 1, []string{"Hello/impl=c-std: skipped", "Hello/impl=go-std: skipped", "Hello/impl=rust-std: skipped"}},
		{"another workload", fixtureEdit{
			keep: func(l string) (string, bool) {
				return strings.Replace(l, "BenchmarkHello/", "BenchmarkNbody/", 1), true
			},
			manifest: func(m map[string]any) {
				cases(m, func(c map[string]any) { c["name"] = strings.Replace(c["name"].(string), "Hello/", "Nbody/", 1) })
			},
		}, 1, []string{"Hello/impl=c-std: missing from candidate run", "Hello/impl=rust-std: missing"}},
		{"killed mid-run", fixtureEdit{manifest: func(m map[string]any) { m["state"] = "running"; delete(m, "finished") }}, 2,
			[]string{"the run never finished: it is still running, or its harness was killed"}},
		{"interrupted", fixtureEdit{manifest: func(m map[string]any) { m["state"], m["state_reason"] = "interrupted", "signal: terminated" }}, 2,
			[]string{"the run was interrupted (signal: terminated)"}},
		{"samples.bench cut mid-line", fixtureEdit{raw: func(s []byte) []byte { return s[:len(s)*3/4] }}, 2,
			[]string{"candidate: "}},
		{"samples.bench cut at a line's end", fixtureEdit{raw: func(s []byte) []byte {
			l := strings.SplitAfter(string(s), "\n")
			return []byte(strings.Join(l[:len(l)*3/4], ""))
		}}, 2, []string{"manifest.json counts 54 sample(s) but", "truncated"}},
		{"manifest and samples disagree", fixtureEdit{manifest: func(m map[string]any) {
			cases(m, func(c map[string]any) {
				if c["name"] == "Hello/impl=go-std" {
					c["samples"] = 13.0
				}
			})
		}}, 2, []string{"manifest.json counts 13 sample(s) of Hello/impl=go-std but", "holds 12"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cand := buildFolder(t, tc.edit)
			var stdout, stderr bytes.Buffer
			code := cli(&stdout, &stderr, []string{"gate", "--baseline", baseline, "--candidate", cand})
			if code != tc.code {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.code, stdout.String(), stderr.String())
			}
			for _, w := range tc.want {
				if !strings.Contains(stderr.String(), w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr.String())
				}
			}
		})
	}
}

// report refuses a broken folder and leaves the report already there as it was.
func TestReportKeepsAGoodReportFromABrokenFolder(t *testing.T) {
	for _, cut := range []func([]byte) []byte{
		func(s []byte) []byte { return s[:len(s)/2] },
		func(s []byte) []byte {
			l := strings.SplitAfter(string(s), "\n")
			return []byte(strings.Join(l[:len(l)/2], ""))
		},
	} {
		dir := buildFolder(t, fixtureEdit{raw: cut})
		good := []byte("# a good report\n")
		if err := os.WriteFile(filepath.Join(dir, "report.md"), good, 0o644); err != nil {
			t.Fatal(err)
		}
		var stdout, stderr bytes.Buffer
		if code := cli(&stdout, &stderr, []string{"report", dir}); code == 0 {
			t.Errorf("report of a truncated folder exited 0")
		}
		if got, _ := os.ReadFile(filepath.Join(dir, "report.md")); !bytes.Equal(got, good) {
			t.Errorf("report.md was overwritten:\n%s", got)
		}
		if !strings.Contains(stderr.String(), "samples.bench") {
			t.Errorf("the error does not name the broken file: %s", stderr.String())
		}
	}
}
