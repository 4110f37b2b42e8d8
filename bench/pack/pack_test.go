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
	m, err := Write(root, archive)
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

// TestBothBuilds packs the default and the native build into one archive: the native build's
// CPU features bind its binaries only.
func TestBothBuilds(t *testing.T) {
	root := fakeRoot(t)
	self, _ := os.ReadFile(filepath.Join(root, build.BinaryPath("go", "hello", false)))
	rel := build.BinaryPath("go", "hello", true)
	if err := os.MkdirAll(filepath.Join(root, filepath.Dir(rel)), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, rel), append(self, 0), 0o755); err != nil {
		t.Fatal(err)
	}
	nb := &results.Build{When: time.Now(), Native: true, Languages: []results.BuildLang{{Lang: "go", Flags: "GOAMD64=v3"}},
		Binaries: []results.BinaryRecord{{Lang: "go", Workload: "hello", Path: rel}}}
	if err := build.Save(root, nb); err != nil {
		t.Fatal(err)
	}
	archive := filepath.Join(t.TempDir(), "peers.tar.gz")
	m, err := Write(root, archive)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(m.Builds, ",") != "default,native" || m.Native || len(m.Files) != 2 || m.Files[1].Build != Native || m.Flags["go/native"] != "GOAMD64=v3" {
		t.Fatalf("manifest: %+v", m)
	}
	dir, got, cleanup, err := Open(archive)
	if err != nil {
		t.Fatal(err)
	}
	defer cleanup()
	for _, native := range []bool{false, true} {
		if b, err := build.Load(dir, native); err != nil || b == nil || len(b.Binaries) != 1 {
			t.Errorf("build record (native %v) did not travel: %v %v", native, b, err)
		}
	}
	got.CPUFeatures = []string{"avx512f"} // as if packed on a newer CPU
	old := Machine{Arch: got.Arch, CPUFlags: []string{"avx2"}, HasLibrary: func(string) bool { return true }}
	if miss := got.MissingFeatures(old); strings.Join(miss, ",") != "avx512f" {
		t.Errorf("missing features: %v", miss)
	}
	if err := Check(got, []string{m.Files[0].Path}, old); err != nil {
		t.Errorf("the default build refused for the native build's features: %v", err)
	}
	if err := Check(got, []string{rel}, old); err == nil || !strings.Contains(err.Error(), "avx512f") {
		t.Errorf("the native build on an older CPU: err = %v", err)
	}
	if !got.Holds(rel) || got.Holds("cpeers/bin/hello") || !got.Has(Native) {
		t.Errorf("Holds/Has: %+v", got)
	}
}

func TestCheckRefuses(t *testing.T) {
	m := &Manifest{Arch: "amd64", CPUFeatures: []string{"avx2", "avx512f"}, Builds: []string{Native},
		Files: []File{{Path: "cpeers/bin/matmul", Build: Native, Needs: []string{"libopenblas.so.0", "libc.so.6"}}, {Path: "workloads/bin/hello", Build: Native}}}
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
