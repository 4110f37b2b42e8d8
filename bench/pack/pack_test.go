package pack

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gorustbench/gorustbench/bench/build"
	"github.com/gorustbench/gorustbench/bench/results"
)

// fakeRoot is a repository root with one built "peer" (a copy of this test binary) and its
// build record.
func fakeRoot(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	rel := build.BinaryPath("go", "hello", false)
	if err := os.MkdirAll(filepath.Join(root, filepath.Dir(rel)), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, rel), data, 0o755); err != nil {
		t.Fatal(err)
	}
	b := &results.Build{When: time.Now(), Languages: []results.BuildLang{{Lang: "go", Flags: "go build defaults"}},
		Binaries: []results.BinaryRecord{{Lang: "go", Workload: "hello", Path: rel, Bytes: int64(len(data))}}}
	if err := build.Save(root, b); err != nil {
		t.Fatal(err)
	}
	return root
}

func TestWriteOpenCheck(t *testing.T) {
	root := fakeRoot(t)
	archive := filepath.Join(t.TempDir(), "peers.tar.gz")
	m, err := Write(root, false, archive)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Files) != 1 || m.Files[0].SHA256 == "" || m.ID == "" || m.Flags["go"] != "go build defaults" || len(m.CPUFeatures) != 0 {
		t.Fatalf("manifest: %+v", m)
	}
	dir, got, cleanup, err := Open(archive)
	if err != nil {
		t.Fatal(err)
	}
	defer cleanup()
	if got.ID != m.ID {
		t.Errorf("id %s after unpacking, %s packed", got.ID, m.ID)
	}
	if b, err := build.Load(dir, false); err != nil || b == nil || len(b.Binaries) != 1 {
		t.Errorf("the build record did not travel: %v %v", b, err)
	}
	if st, err := os.Stat(filepath.Join(dir, m.Files[0].Path)); err != nil || st.Mode()&0o100 == 0 {
		t.Errorf("the binary is missing or not executable: %v", err)
	}
	have := Machine{Arch: m.Arch, CPUFlags: []string{"sse2"}, HasLibrary: func(string) bool { return true }}
	if err := Check(got, nil, have); err != nil {
		t.Errorf("a default build refused: %v", err)
	}

	// Tampering with a binary is caught by its hash.
	if err := os.WriteFile(filepath.Join(dir, m.Files[0].Path), []byte("x"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := Open(dir); err == nil || !strings.Contains(err.Error(), "does not match its hash") {
		t.Errorf("a changed binary: err = %v", err)
	}
}

func TestCheckRefuses(t *testing.T) {
	m := &Manifest{Arch: "amd64", CPUFeatures: []string{"avx2", "avx512f"},
		Files: []File{{Path: "cpeers/bin/matmul", Needs: []string{"libopenblas.so.0", "libc.so.6"}}, {Path: "workloads/bin/hello"}}}
	old := Machine{Arch: "amd64", CPUFlags: []string{"sse2", "avx2"}, HasLibrary: func(l string) bool { return l == "libc.so.6" }}
	err := Check(m, nil, old)
	if err == nil || !strings.Contains(err.Error(), "avx512f") || strings.Contains(err.Error(), "\n") {
		t.Errorf("a native build on an older CPU: err = %v", err)
	}
	m.CPUFeatures = nil
	err = Check(m, nil, old)
	if err == nil || !strings.Contains(err.Error(), "libopenblas.so.0") || !strings.Contains(err.Error(), "apt-get install libopenblas0") {
		t.Errorf("OpenBLAS missing: err = %v", err)
	}
	if err := Check(m, []string{"workloads/bin/hello"}, old); err != nil {
		t.Errorf("a peer that is not run should not be checked: %v", err)
	}
	if err := Check(m, nil, Machine{Arch: "arm64", HasLibrary: old.HasLibrary}); err == nil || !strings.Contains(err.Error(), "arm64") {
		t.Errorf("another architecture: err = %v", err)
	}
}

func TestOpenRejects(t *testing.T) {
	dir := t.TempDir()
	if _, _, _, err := Open(filepath.Join(dir, "none.tar.gz")); err == nil {
		t.Error("a missing archive opened")
	}
	if _, _, _, err := Open(dir); err == nil || !strings.Contains(err.Error(), "not a pack") {
		t.Errorf("a folder without pack.json: err = %v", err)
	}
	junk := filepath.Join(dir, "junk.tar.gz")
	os.WriteFile(junk, []byte("not gzip"), 0o644)
	if _, _, _, err := Open(junk); err == nil || !strings.Contains(err.Error(), "not a gzipped archive") {
		t.Errorf("junk: err = %v", err)
	}
	js, _ := json.Marshal(Manifest{Files: []File{{Path: "workloads/bin/x", SHA256: "00"}}})
	os.WriteFile(filepath.Join(dir, ManifestFile), js, 0o644)
	if _, _, _, err := Open(dir); err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("a pack missing a binary: err = %v", err)
	}
}
