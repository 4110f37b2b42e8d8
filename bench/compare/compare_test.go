package compare

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gorustbench/gorustbench/bench/results"
)

func baseline(t *testing.T) *results.Run {
	t.Helper()
	r, err := results.Load(filepath.Join("..", "..", "results", "baseline"))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestLabels(t *testing.T) {
	a, b := baseline(t), baseline(t)
	if got := Label([]*results.Run{a, b}); got[0] != "run "+a.Manifest.RunID {
		t.Errorf("same machine and commit: %q", got)
	}
	b.Manifest.Prebuilt = &results.Prebuilt{ID: "6480ae305b8f"}
	if got := Label([]*results.Run{a, b}); got[0] != "peers built in place" || got[1] != "peers 6480ae305b8f" {
		t.Errorf("the same commit, prebuilt peers on one side: %q", got)
	}
	b.Manifest.GitCommit = "feedface"
	if got := Label([]*results.Run{a, b}); got[1] != "commit feedface" {
		t.Errorf("commits differ: %q", got)
	}
	b.Manifest.Host.CPUModel, b.Manifest.Host.CPUs = "Other CPU", 64
	if got := Label([]*results.Run{a, b}); !strings.HasPrefix(got[1], "Other CPU, 64 CPUs") {
		t.Errorf("machines differ: %q", got)
	}
}

func TestBuildAndRender(t *testing.T) {
	a, b := baseline(t), baseline(t)
	b.Manifest.Host.CPUModel = "Other CPU"
	labels := Label([]*results.Run{a, b})
	tab, err := Build([]Column{{labels[0], a}, {labels[1], b}}, Options{Filter: ".name:Hello"})
	if err != nil {
		t.Fatal(err)
	}
	if len(tab.Rows) == 0 {
		t.Fatal("no rows")
	}
	for _, r := range tab.Rows {
		if !strings.HasPrefix(r.Name, "Hello/") {
			t.Errorf("filter let %s through", r.Name)
		}
		if d := r.Deltas[1]; d.Significant || d.Ratio != 1 {
			t.Errorf("%s %s: a run against itself changed: %+v", r.Name, r.Unit, d)
		}
	}
	for _, f := range []func(*bytes.Buffer, *Table) error{
		func(w *bytes.Buffer, t *Table) error { return Text(w, t) },
		func(w *bytes.Buffer, t *Table) error { return Markdown(w, t) },
		func(w *bytes.Buffer, t *Table) error { return CSV(w, t) },
	} {
		var buf bytes.Buffer
		if err := f(&buf, tab); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(buf.String(), "Other CPU") || !strings.Contains(buf.String(), "Hello/impl=go-std") {
			t.Errorf("output lacks the machine label or a row:\n%s", buf.String())
		}
	}
	v, err := Verdicts(tab)
	if err != nil || len(v) == 0 || len(v[0].Verdicts) != 2 {
		t.Fatalf("verdicts: %v %v", v, err)
	}
}

func TestMinSamples(t *testing.T) {
	if n := MinSamples(0.05); n != 6 {
		t.Errorf("MinSamples(0.05) = %d, want 6 (the 95%% interval)", n)
	}
	if n := MinSamples(0.001); n <= 6 {
		t.Errorf("MinSamples(0.001) = %d, want more than 6", n)
	}
}

func TestCharts(t *testing.T) {
	a, b := baseline(t), baseline(t)
	tab, err := Build([]Column{{"a", a}, {"b", b}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	files, err := Charts(t.TempDir(), tab, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 || files[0] != "hello-exec-ns.png" {
		t.Errorf("charts: %v", files)
	}
}
