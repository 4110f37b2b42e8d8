package build

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gorustbench/gorustbench/bench/results"
)

func TestMeasureWasm(t *testing.T) {
	root := t.TempDir()
	// An empty module with one custom section "name" holding 20 bytes.
	mod := append([]byte("\x00asm\x01\x00\x00\x00\x00\x19\x04name"), make([]byte, 20)...)
	os.WriteFile(filepath.Join(root, "x.wasm"), mod, 0o644)
	r := results.BinaryRecord{Path: "x.wasm"}
	measureWasm(root, &r)
	if r.NotBuilt != "" || r.Bytes != int64(len(mod)) {
		t.Fatalf("%+v", r)
	}
	if _, err := exec.LookPath("wasm-strip"); err != nil {
		if r.StrippedBytes != 0 || !strings.Contains(r.Note, "apt-get install wabt") {
			t.Errorf("no wasm-strip: %+v", r)
		}
		return
	}
	if r.StrippedBytes != 8 || r.Note != "" {
		t.Errorf("stripped to %d bytes (want the 8-byte header), note %q", r.StrippedBytes, r.Note)
	}
	missing := results.BinaryRecord{Path: "y.wasm"}
	if measureWasm(root, &missing); !strings.Contains(missing.NotBuilt, "was not built") {
		t.Errorf("missing file: %+v", missing)
	}
}

func TestWasmSamplesAndNotBuilt(t *testing.T) {
	b := &results.Build{Binaries: []results.BinaryRecord{
		{Lang: "go", Workload: "hello", Bytes: 3e6, StrippedBytes: 29e5},
		{Lang: "go", Workload: "hello", Target: WasmTarget, Bytes: 3e6, StrippedBytes: 29e5},
		{Lang: "rust", Workload: "hello", Target: WasmTarget, NotBuilt: "no rustc with a wasm32-wasip1 std"},
	}}
	var names []string
	for _, s := range Samples(b) {
		names = append(names, s.Key.String())
	}
	want := "Binary/lang=go/workload=hello Binary/lang=go/workload=hello/kind=wasm32-wasip1"
	if strings.Join(names, " ") != want {
		t.Errorf("samples %v, want %s (a binary not built has none)", names, want)
	}
}
