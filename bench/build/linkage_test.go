package build

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestGoDynamicReason(t *testing.T) {
	for _, c := range []struct {
		pkgs []cgoPackage
		syms []string
		want []string
	}{
		{[]cgoPackage{{"runtime/cgo", true}, {"example.com/m/workloads/ffi", false}}, nil,
			[]string{`cgo calls C by design (example.com/m/workloads/ffi imports "C")`}},
		{[]cgoPackage{{"runtime/cgo", true}, {"net", true}}, []string{"getaddrinfo"},
			[]string{"package net with cgo available", "(imports getaddrinfo)", "CGO_ENABLED=0 or -tags netgo makes it static"}},
		{[]cgoPackage{{"os/user", true}}, nil, []string{"os/user", "osusergo"}},
		{nil, nil, []string{"CGO_ENABLED=1 but no package of its build uses cgo"}},
	} {
		got := goDynamicReason(c.pkgs, "1", c.syms)
		for _, w := range c.want {
			if !strings.Contains(got, w) {
				t.Errorf("%v: %q lacks %q", c.pkgs, got, w)
			}
		}
		if strings.Contains(got, "runtime/cgo") {
			t.Errorf("%q names runtime/cgo, which only follows the cause", got)
		}
	}
}

func TestInspectRecordsNeededLibraries(t *testing.T) {
	root := t.TempDir()
	src := filepath.Join(root, "x.c")
	os.WriteFile(src, []byte("int main(void){return 0;}\n"), 0o644)
	os.MkdirAll(filepath.Join(root, "cpeers/bin"), 0o755)
	if out, err := exec.Command("cc", "-o", filepath.Join(root, BinaryPath("c", "hello", false)), src).CombinedOutput(); err != nil {
		t.Fatalf("%v %s", err, out)
	}
	r, err := Inspect(root, "c", "hello", false)
	if err != nil {
		t.Fatal(err)
	}
	if r.Static || !slices.ContainsFunc(r.Needed, func(l string) bool { return strings.HasPrefix(l, "libc.so") }) ||
		!strings.HasPrefix(r.Linkage, "dynamic (libc.so") || r.CgoEnabled != "" {
		t.Errorf("dynamic C binary: %+v", r)
	}
}
