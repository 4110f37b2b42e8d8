package build

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gorustbench/gorustbench/bench/results"
)

func TestInspectStaticAndDynamic(t *testing.T) {
	root := t.TempDir()
	src := filepath.Join(root, "x.c")
	os.WriteFile(src, []byte("int main(void){return 0;}\n"), 0o644)
	os.MkdirAll(filepath.Join(root, "cpeers/bin"), 0o755)
	dyn := filepath.Join(root, BinaryPath("c", "hello", false))
	if out, err := exec.Command("cc", "-g", "-o", dyn, src).CombinedOutput(); err != nil {
		t.Fatalf("%v %s", err, out)
	}
	r, err := Inspect(root, "c", "hello", false)
	if err != nil {
		t.Fatal(err)
	}
	if r.Static || r.StrippedBytes <= 0 || r.StrippedBytes >= r.Bytes || r.Path != "cpeers/bin/hello" {
		t.Errorf("dynamic C binary: %+v", r)
	}
	if out, err := exec.Command("cc", "-static", "-o", dyn, src).CombinedOutput(); err != nil {
		t.Skipf("no static libc here: %v %s", err, out)
	}
	if r, _ := Inspect(root, "c", "hello", false); !r.Static {
		t.Errorf("static C binary reads as dynamic: %+v", r)
	}
	if _, err := Inspect(root, "go", "hello", false); err == nil || !strings.Contains(err.Error(), "was not built") {
		t.Errorf("missing binary: %v", err)
	}
}

func TestRecordRoundTripAndSamples(t *testing.T) {
	root := t.TempDir()
	if b, err := Load(root, false); b != nil || err != nil {
		t.Fatalf("no record: %v %v", b, err)
	}
	rec := &results.Build{
		Languages: []results.BuildLang{{Lang: "go", CleanNs: 5e9, RebuildNs: 1e9}, {Lang: "rust", Error: "cargo is not installed"}},
		Binaries:  []results.BinaryRecord{{Lang: "go", Workload: "hello", Bytes: 100, StrippedBytes: 60}},
	}
	if err := Save(root, rec); err != nil {
		t.Fatal(err)
	}
	got, err := Load(root, false)
	if err != nil || got.Languages[0].CleanNs != 5e9 || got.Binaries[0].StrippedBytes != 60 {
		t.Fatalf("%+v %v", got, err)
	}
	var names []string
	for _, s := range Samples(got) {
		names = append(names, s.Key.String())
	}
	want := "Build/lang=go/kind=clean Build/lang=go/kind=rebuild Binary/lang=go/workload=hello"
	if strings.Join(names, " ") != want {
		t.Errorf("samples %v, want %s (a failed language has none)", names, want)
	}
	os.WriteFile(filepath.Join(root, RecordPath), []byte("{"), 0o644)
	if _, err := Load(root, false); err == nil || !strings.Contains(err.Error(), "run 'make peers'") {
		t.Errorf("corrupt record: %v", err)
	}
}
