package report

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/gorustbench/gorustbench/bench/claims"
	"github.com/gorustbench/gorustbench/bench/key"
	"github.com/gorustbench/gorustbench/bench/results"
	"github.com/gorustbench/gorustbench/bench/units"
	"golang.org/x/perf/benchfmt"
)

func TestWriteFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	d, err := results.Create(dir, &results.Manifest{RunID: "r1", Profile: "smoke"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	d.Manifest(func(m *results.Manifest) {
		m.Host.CPUModel, m.Host.CPUs = "Test CPU", 2
		m.Cases = []*results.CaseState{
			{Name: "Hello/impl=go-std", Workload: "hello", Impl: "go-std", State: results.CaseOK, Samples: 8},
			{Name: "Hello/impl=rust-std", Workload: "hello", Impl: "rust-std", State: results.CaseFailed, Reason: "verify run 1 crashed: killed by SIGSEGV; log: logs/x.out"},
		}
	})
	for i := range 8 {
		d.Add(results.Sample{Key: key.Key{Bench: "Hello", Impl: "go-std"}, Iters: 1, Values: []benchfmt.Value{
			{Value: 1.5e6 + float64(i)*1e3, Unit: units.Exec}, {Value: 2.2e6, Unit: units.PeakRSS}}})
	}
	if err := d.Finish(results.StateInterrupted, "stopped by a signal"); err != nil {
		t.Fatal(err)
	}
	path, err := WriteFolder(dir)
	if err != nil {
		t.Fatal(err)
	}
	md, _ := os.ReadFile(path)
	for _, want := range []string{
		"> **This run was interrupted** (stopped by a signal).",
		"| CPU | Test CPU, 2 logical CPUs",
		"| [startup-service](#startup-service) | a Go service starts in tens of ms; a Rust one of the same complexity in ms | Hello/impl=rust-std failed: verify run 1 crashed: killed by SIGSEGV; log: logs/x.out | **not measured** |  |",
		"### startup-service\n\n**not measured**. The report (lines 1997-1999)",
		"- Go starts several times slower than Rust (**not measured**): Hello/impl=rust-std failed: verify run 1 crashed",
		"- Go in tens of ms (**inconclusive**, informative): go-std hello exec to exit (a lower bound) median 1.5 ms, 96.1% CI [1.5 ms, 1.51 ms], n=8",
		"| Hello/impl=go-std | ok | 8 | 1.5 ms [1.5 ms, 1.51 ms] |",
		"| Hello/impl=rust-std | failed | 0 | verify run 1 crashed: killed by SIGSEGV; log: logs/x.out |",
		"| learning curve |",
	} {
		if !strings.Contains(string(md), want) {
			t.Errorf("report.md lacks %q", want)
		}
	}
	var vs []claims.Verdict
	data, _ := os.ReadFile(filepath.Join(dir, "verdicts.json"))
	if err := json.Unmarshal(data, &vs); err != nil || len(vs) != len(claims.Registry) {
		t.Errorf("verdicts.json: %d verdicts, %v", len(vs), err)
	}
}

var update = flag.Bool("update", false, "rewrite testdata/report.golden.md")

// TestReportGolden regenerates the report of a fixed run (a quick run trimmed to six samples
// per benchmark) and compares it byte for byte with testdata/report.golden.md. Twice, so a
// report that depends on map order or the clock fails too. After a deliberate change:
// go test ./bench/report -run Golden -update, and read the diff.
func TestReportGolden(t *testing.T) {
	var got []byte
	firstFiles := map[string][]byte{}
	for i := range 2 {
		dir := filepath.Join(t.TempDir(), "run")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, f := range []string{"manifest.json", "samples.bench"} {
			data, err := os.ReadFile(filepath.Join("testdata", "run", f))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, f), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		path, err := WriteFolder(dir)
		if err != nil {
			t.Fatal(err)
		}
		out, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if i == 1 && string(out) != string(got) {
			t.Fatal("two reports of the same run differ")
		}
		got = out
		// report.html and every chart too: byte for byte, and nothing from the network.
		files := []string{"report.html", "verdicts.json"}
		charts, _ := filepath.Glob(filepath.Join(dir, "charts", "*"))
		if len(charts) < 15 {
			t.Errorf("%d charts", len(charts))
		}
		for _, c := range charts {
			files = append(files, filepath.Join("charts", filepath.Base(c)))
		}
		for _, f := range files {
			data, err := os.ReadFile(filepath.Join(dir, f))
			if err != nil {
				t.Fatal(err)
			}
			if i == 0 {
				firstFiles[f] = data
			} else if string(firstFiles[f]) != string(data) {
				t.Errorf("%s differs between two reports of the same run", f)
			}
		}
		page, _ := os.ReadFile(filepath.Join(dir, "report.html"))
		if m := regexp.MustCompile(`(src|href)=["']?(https?:)?//|url\((["']?)https?:|@import`).Find(page); m != nil {
			t.Errorf("report.html refers to the network: %q", m)
		}
		for _, want := range []string{"<h2>Verdicts</h2>", `<section class="claim" id="startup-service">`, "<svg ", "@font-face", "Every run of this profile, warm page cache.",
			"<figure class=\"overview\">\n<svg ", "<table class=\"verdicts\">", `<td><a href="#cpu-vs-c">cpu-vs-c</a></td>`, `<td><b class="verdict holds">holds</b>`} {
			if !strings.Contains(string(page), want) {
				t.Errorf("report.html lacks %q", want)
			}
		}
	}
	golden := filepath.Join("testdata", "report.golden.md")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if string(got) != string(want) {
		t.Errorf("report.md differs from %s; rerun with -update if the change is deliberate, and read the diff:\n%s", golden, firstDiff(string(want), string(got)))
	}
}

// firstDiff shows the first line that differs.
func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := range min(len(w), len(g)) {
		if w[i] != g[i] {
			return fmt.Sprintf("line %d:\n- %s\n+ %s", i+1, w[i], g[i])
		}
	}
	return fmt.Sprintf("lengths differ: %d vs %d lines", len(w), len(g))
}

// TestVerdictRowsFit: one line per claim in the verdict table, none over MaxVerdictRow
// characters, however long the basis, the parts and the reasons are.
func TestVerdictRowsFit(t *testing.T) {
	long := strings.Repeat("a long basis citing every kernel's interval in both builds; ", 60)
	var parts []claims.Part
	for i := range 12 {
		parts = append(parts, claims.Part{Name: fmt.Sprintf("part %d with a long name %s", i, long[:80]), Verdict: []string{claims.Holds, claims.Contradicted, "depends", "some new word"}[i%4], Basis: long})
	}
	golden, err := os.ReadFile(filepath.Join("testdata", "report.golden.md"))
	if err != nil {
		t.Fatal(err)
	}
	var rows []string
	for _, l := range strings.Split(string(golden), "\n") {
		if strings.HasPrefix(l, "| [") {
			rows = append(rows, l)
		}
	}
	if len(rows) != len(claims.Registry) {
		t.Errorf("the golden report's verdict table has %d rows, want one per claim (%d)", len(rows), len(claims.Registry))
	}
	for _, tc := range []struct {
		name string
		v    claims.Verdict
		h    claims.Headline
	}{
		{"many parts", claims.Verdict{Claim: "cpu-vs-c", Verdict: claims.Inconclusive, Basis: long, Parts: parts}, claims.Headline{Missing: long}},
		{"depends", claims.Verdict{Claim: "serialization", Verdict: "depends", Basis: long, Parts: parts, Partial: true}, claims.Headline{Missing: long}},
		{"no parts", claims.Verdict{Claim: "gc-pauses", Verdict: claims.NotMeasured, Basis: long}, claims.Headline{Missing: long}},
		{"unknown claim", claims.Verdict{Claim: strings.Repeat("x", 50), Verdict: "a verdict from the future", Basis: long}, claims.Headline{Missing: long}},
	} {
		rows = append(rows, verdictRow(claims.Lookup(tc.v.Claim), tc.v, tc.h))
	}
	for _, r := range rows {
		if n := utf8.RuneCountInString(r); n > MaxVerdictRow {
			t.Errorf("verdict row of %d characters (max %d): %s", n, MaxVerdictRow, r)
		}
		if strings.Contains(r, "\n") || strings.Count(strings.ReplaceAll(r, `\|`, ""), "|") != 6 {
			t.Errorf("not one table line of five cells: %q", r)
		}
	}
	if r := rows[len(rows)-3]; !strings.Contains(r, "**depends** (partial)") || !strings.Contains(r, "part 0 with a long name") {
		t.Errorf("a depends row names its verdict and the parts it rests on: %s", r)
	}
}
