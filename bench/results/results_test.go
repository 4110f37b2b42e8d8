package results

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gorustbench/gorustbench/bench/key"
	"github.com/gorustbench/gorustbench/bench/units"
	"golang.org/x/perf/benchfmt"
)

func TestEncodeSamplesExactText(t *testing.T) {
	var buf bytes.Buffer
	config := []benchfmt.Config{{Key: "goos", Value: []byte("linux"), File: true}, {Key: "cpu", Value: []byte("Test CPU @ 1GHz"), File: true}}
	samples := []Sample{
		{Key: key.Key{Bench: "Hello", Impl: "c-std"}, Iters: 1, Values: []benchfmt.Value{{Value: 412345, Unit: units.Exec}, {Value: 1.1e6, Unit: units.PeakRSS}}},
		{Key: key.BinarySize("go", "hello"), Values: []benchfmt.Value{{Value: 2685336, Unit: units.Binary}}},
	}
	if err := EncodeSamples(&buf, config, samples); err != nil {
		t.Fatal(err)
	}
	// One Unit line per recorded unit's direction, and one for each assumption, in the units
	// table's order (units_test checks the table itself); then the configuration and samples.
	var want strings.Builder
	for _, u := range units.All() {
		if u.Derived {
			continue
		}
		fmt.Fprintf(&want, "Unit %s better=%s\n", u.Name, u.Better)
		if u.Assume != "" {
			fmt.Fprintf(&want, "Unit %s assume=%s\n", u.Name, u.Assume)
		}
	}
	want.WriteString(`goos: linux
cpu: Test CPU @ 1GHz

BenchmarkHello/impl=c-std 1 412345 exec-ns 1.1e+06 peak-RSS-B
BenchmarkBinary/lang=go/workload=hello 1 2.685336e+06 binary-B
`)
	for _, line := range []string{"Unit binary-B assume=exact\n", "Unit req/s better=higher\n", "Unit exec-ns better=lower\n"} {
		if !strings.Contains(buf.String(), line) {
			t.Errorf("missing %q", line)
		}
	}
	if got := buf.String(); got != want.String() {
		t.Errorf("got:\n%s\nwant:\n%s", got, want.String())
	}
}

func TestCreateFlushLoad(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	d, err := Create(dir, &Manifest{RunID: "r1", Profile: "smoke"}, []benchfmt.Config{{Key: "goos", Value: []byte("linux"), File: true}})
	if err != nil {
		t.Fatal(err)
	}
	d.Manifest(func(m *Manifest) { m.Cases = append(m.Cases, &CaseState{Name: "Hello/impl=c-std", State: CaseOK}) })
	for _, v := range []float64{3, 1, 2} {
		if err := d.Add(Sample{Key: key.Key{Bench: "Hello", Impl: "c-std"}, Iters: 1, Values: []benchfmt.Value{{Value: v, Unit: units.Exec}}}); err != nil {
			t.Fatal(err)
		}
	}
	// Before Finish, what is on disk is already a valid folder in state running.
	if err := d.Flush(); err != nil {
		t.Fatal(err)
	}
	run, err := Load(dir)
	if err != nil || run.Manifest.State != StateRunning {
		t.Fatalf("mid-run load: %v %+v", err, run)
	}
	if err := d.Finish(StateComplete, ""); err != nil {
		t.Fatal(err)
	}
	run, err = Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := run.Values("Hello/impl=c-std", units.Exec); len(got) != 3 || got[0] != 3 || got[2] != 2 {
		t.Errorf("values %v", got)
	}
	if run.Manifest.State != StateComplete || run.Manifest.Samples != 3 || run.Manifest.Finished == nil {
		t.Errorf("manifest %+v", run.Manifest)
	}
	if run.Units.GetBetter(units.Exec) >= 0 {
		t.Errorf("exec-ns should be lower-is-better")
	}
	// No temporary files are left behind.
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("left %s behind", e.Name())
		}
	}
	if _, err := Create(dir, &Manifest{}, nil); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("creating over a run: %v", err)
	}
}

func TestLoadErrors(t *testing.T) {
	tmp := t.TempDir()
	write := func(name, content string) string {
		dir := filepath.Join(tmp, name)
		os.MkdirAll(dir, 0o755)
		for file, text := range map[string]string{"manifest.json": `{"schema":1,"run_id":"x","state":"complete"}`, "samples.bench": "BenchmarkX 1 5 exec-ns\n"} {
			if strings.HasPrefix(content, file+"=") {
				text = strings.TrimPrefix(content, file+"=")
			}
			if content != "no "+file {
				os.WriteFile(filepath.Join(dir, file), []byte(text), 0o644)
			}
		}
		return dir
	}
	for _, tc := range []struct{ name, content, err string }{
		{"nomanifest", "no manifest.json", "has no manifest.json: not a gorustbench run folder"},
		{"badmanifest", `manifest.json={"schema":1,`, "manifest.json is corrupt (unexpected end of JSON input); samples.bench beside it can still be read with benchstat"},
		{"schema", `manifest.json={"schema":99}`, "has schema 99; this gorustbench reads schema 1"},
		{"badsamples", "samples.bench=BenchmarkX 1 5\n", "samples.bench is corrupt"},
		{"nosamples", "no samples.bench", "samples.bench: no such file"},
	} {
		_, err := Load(write(tc.name, tc.content))
		if err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("%s: got %v, want %q", tc.name, err, tc.err)
		}
	}
	if _, err := Load(filepath.Join(tmp, "absent")); err == nil || !strings.Contains(err.Error(), "no results folder at") {
		t.Errorf("absent: %v", err)
	}
}
