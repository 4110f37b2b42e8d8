package build

// Linkage: the binary-size claim says Go makes static binaries (report line 152). Whether a
// Go binary is static depends on the program, not the language: cgo (the program's own
// import "C", or a standard package's cgo path such as net's resolver when cgo is available)
// links libc dynamically. So every binary records its DT_NEEDED libraries and, for Go, its
// CGO_ENABLED setting and the packages that brought cgo in, as a sentence the claim cites.

import (
	"context"
	"debug/buildinfo"
	"debug/elf"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"

	"github.com/gorustbench/gorustbench/bench/results"
)

// linkage fills r's Needed, CgoEnabled and Linkage from the ELF file at path; r.Static is
// already set. For a Go peer it asks go list which packages of the peer use cgo.
func linkage(root, lang, name, path string, r *results.BinaryRecord) {
	f, err := elf.Open(path)
	if err != nil {
		r.Linkage = "not an ELF file: " + err.Error()
		return
	}
	defer f.Close()
	r.Needed, _ = f.ImportedLibraries()
	libs := "no shared libraries"
	if len(r.Needed) > 0 {
		libs = strings.Join(r.Needed, ", ")
	}
	var syms []string
	if ss, err := f.ImportedSymbols(); err == nil {
		for _, s := range ss {
			syms = append(syms, s.Name)
		}
	}
	if lang == "go" {
		if bi, err := buildinfo.ReadFile(path); err == nil {
			for _, s := range bi.Settings {
				if s.Key == "CGO_ENABLED" {
					r.CgoEnabled = s.Value
				}
			}
		}
	}
	switch {
	case r.Static && len(r.Needed) == 0:
		r.Linkage = "static: no ELF interpreter, no shared libraries"
	case r.Static:
		r.Linkage = "no ELF interpreter but needs " + libs
	case lang != "go":
		r.Linkage = fmt.Sprintf("dynamic (%s): links the C library dynamically, the platform's default", libs)
	default:
		pkgs, err := cgoPackages(root, name)
		if err != nil {
			r.Linkage = fmt.Sprintf("dynamic (%s), CGO_ENABLED=%s; which packages use cgo is unknown: %v", libs, r.CgoEnabled, err)
			return
		}
		for _, p := range pkgs {
			if p.path != "runtime/cgo" {
				r.CgoPackages = append(r.CgoPackages, p.path)
			}
		}
		r.Linkage = fmt.Sprintf("dynamic (%s): %s", libs, goDynamicReason(pkgs, r.CgoEnabled, syms))
	}
}

// cgoPackage is a package in a Go peer's build that has cgo files.
type cgoPackage struct {
	path     string
	standard bool
}

// cgoPackages lists the packages of ./workloads/name's build (its dependencies included) that
// have cgo files, in the environment the peer was just built in.
func cgoPackages(root, name string) ([]cgoPackage, error) {
	args := []string{"list", "-deps", "-f", "{{if .CgoFiles}}{{.ImportPath}} {{.Standard}}{{end}}", "./workloads/" + name}
	if name == "matmul-openblas" { // matmul built with -tags openblas (buildMatmulOpenBLAS)
		args = append(args[:len(args)-1], "-tags", "openblas", "./workloads/matmul")
	}
	cmd := exec.CommandContext(context.Background(), "go", args...)
	cmd.Dir = root
	if name == "jsonv2" { // built under its experiment (buildJSONv2), listed under it too
		cmd.Env = append(os.Environ(), "GOEXPERIMENT=jsonv2")
	}
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list: %v", err)
	}
	var pkgs []cgoPackage
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if path, std, ok := strings.Cut(l, " "); ok {
			pkgs = append(pkgs, cgoPackage{path: path, standard: std == "true"})
		}
	}
	return pkgs, nil
}

// goDynamicReason says why a dynamic Go binary is dynamic, from the packages in its build
// that use cgo, its CGO_ENABLED setting and the C symbols it imports.
func goDynamicReason(pkgs []cgoPackage, cgoEnabled string, syms []string) string {
	var own, std []string
	for _, p := range pkgs {
		switch {
		case !p.standard:
			own = append(own, p.path)
		case p.path != "runtime/cgo": // runtime/cgo comes with any cgo package; name the cause
			std = append(std, p.path)
		}
	}
	var why []string
	if len(own) > 0 {
		why = append(why, fmt.Sprintf("cgo calls C by design (%s imports \"C\")", strings.Join(own, ", ")))
	}
	for _, p := range std {
		switch p {
		case "net":
			s := "package net with cgo available: its resolver links libc"
			if slices.Contains(syms, "getaddrinfo") {
				s += " (imports getaddrinfo)"
			}
			why = append(why, s+"; CGO_ENABLED=0 or -tags netgo makes it static")
		case "os/user":
			why = append(why, "package os/user with cgo available: it links libc's getpwnam_r; CGO_ENABLED=0 or -tags osusergo makes it static")
		default:
			why = append(why, fmt.Sprintf("standard package %s uses cgo when it is available; CGO_ENABLED=0 makes it static", p))
		}
	}
	if len(why) == 0 {
		return fmt.Sprintf("CGO_ENABLED=%s but no package of its build uses cgo (an external link mode or -extldflags?)", cgoEnabled)
	}
	return strings.Join(why, "; ")
}
