package compare

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gorustbench/gorustbench/bench/results"
	"golang.org/x/perf/benchfmt"
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

// fixtureRuns are the report's fixture run twice, the second at another commit and without its
// matrix multiply (so two claims' verdicts differ).
func fixtureRuns(t *testing.T) []Column {
	t.Helper()
	var runs []*results.Run
	for range 2 {
		r, err := results.Load(filepath.Join("..", "report", "testdata", "run"))
		if err != nil {
			t.Fatal(err)
		}
		runs = append(runs, r)
	}
	runs[1].Manifest.GitCommit = "feedface0000"
	var kept []*benchfmt.Result
	for _, res := range runs[1].Results {
		if !strings.HasPrefix(res.Name.String(), "Matmul") {
			kept = append(kept, res)
		}
	}
	runs[1].Results = kept
	var cols []Column
	for i, l := range Label(runs) {
		cols = append(cols, Column{l, runs[i]})
	}
	return cols
}

// TestHTML: compare --format html is one self-contained page with every claim's verdict and
// headline on each run side by side (differing claims first and marked), each run's overview
// chart, and every row; the same bytes twice; and, where Chromium is installed, a browser
// renders it without asking the network for anything (scripts/screenshot-report.sh).
func TestHTML(t *testing.T) {
	tab, err := Build(fixtureRuns(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	judged, err := JudgeColumns(tab)
	if err != nil {
		t.Fatal(err)
	}
	var page bytes.Buffer
	if err := HTML(&page, tab, judged); err != nil {
		t.Fatal(err)
	}
	s := page.String()
	for _, want := range []string{"<th>#1 commit 8a1ed9755355</th><th>#2 commit feedface0000</th>", "@font-face",
		`<tr class="differs"><td><b>cpu-vs-c</b> <span class="mark">differs</span>`, `<b class="verdict holds">holds</b>`,
		"6.39 [5.09, 6.63] 96.9%, n=6", "<code>Hello/impl=go-std</code>"} {
		if !strings.Contains(s, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if n := strings.Count(s, "<svg "); n != 2 {
		t.Errorf("%d overview charts, want one per run", n)
	}
	if strings.Index(s, "<b>numeric</b> <span") > strings.Index(s, "<b>startup-service</b>") {
		t.Error("claims whose verdicts differ come first")
	}
	if m := regexp.MustCompile(`(src|href)=["']?(https?:)?//|url\((["']?)https?:|@import`).FindString(s); m != "" {
		t.Errorf("the page refers to the network: %q", m)
	}
	var again bytes.Buffer
	if err := HTML(&again, tab, judged); err != nil || again.String() != s {
		t.Error("two pages of the same comparison differ")
	}
	if _, err := exec.LookPath("chromium"); err != nil {
		t.Log("no chromium: the page is not rendered in a browser here (apt-get install chromium)")
		return
	}
	path := filepath.Join(t.TempDir(), "compare.html")
	if err := os.WriteFile(path, page.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("sh", filepath.Join("..", "..", "scripts", "screenshot-report.sh"), path)
	cmd.Env = append(os.Environ(), "HEIGHT=900")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Errorf("headless Chromium: %v\n%s", err, out)
	}
	t.Logf("%s", out)
	if st, err := os.Stat(strings.TrimSuffix(path, ".html") + ".png"); err != nil || st.Size() < 10_000 {
		t.Errorf("no screenshot: %v", err)
	}
}
