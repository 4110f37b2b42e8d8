// Package build builds every peer and records what the compile-speed and binary-size claims
// need: each language's clean build time, its rebuild time after one shared source file
// changed, and every binary's size (as built and stripped) and whether it is static.
//
// "Clean" means the project and its third-party dependencies compiled from nothing, with the
// language's standard library already compiled, as Rust and C toolchains ship it: for Go the
// standard-library packages the peers import are compiled into a fresh GOCACHE first, untimed.
// No tracked file is modified: Go's one-file change is an -overlay, Rust's and C's a touch.
package build

import (
	"context"
	"debug/elf"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/gorustbench/gorustbench/bench/key"
	"github.com/gorustbench/gorustbench/bench/results"
	"github.com/gorustbench/gorustbench/bench/suite"
	"github.com/gorustbench/gorustbench/bench/units"
	"golang.org/x/perf/benchfmt"
)

// RecordPath is where the last build's record lives, relative to the repository root.
const RecordPath = "results/build.json"

// Peers are the workloads each language builds, as binaries named after the workload.
var Peers = map[string][]string{
	"go":   {"hello", "matmul", "matmul-openblas", "ffi", "echo", "fanout", "footprint", "json", "jsonv2", "nbody", "spectralnorm", "fannkuch", "mandelbrot", "binarytrees"},
	"rust": {"hello", "matmul", "ffi", "echo", "fanout", "footprint", "json", "nbody", "spectralnorm", "fannkuch", "mandelbrot", "binarytrees"},
	"c":    {"hello", "matmul", "ffi", "memhog", "fanout", "footprint", "nbody", "spectralnorm", "fannkuch", "mandelbrot", "binarytrees"},
}

// optional are the peers whose build may fail without failing their language's (the build
// says why, and their cases are skipped): by "lang/name", what they need.
var optional = map[string]string{
	"go/matmul-openblas": "go-openblas needs libopenblas-dev (apt-get install libopenblas-dev; scripts/setup.sh does it)",
}

// BinaryPath is where a language's peer binary lands, relative to the root.
func BinaryPath(lang, name string, native bool) string {
	path := "cpeers/bin/" + name
	switch lang {
	case "go":
		path = "workloads/bin/" + name
	case "rust":
		path = "rustpeers/target/release/" + name
	}
	if native {
		return suite.NativePath(path)
	}
	return path
}

// RecordFile is the build record of the default or the native build.
func RecordFile(native bool) string {
	if native {
		return "results/build-native.json"
	}
	return RecordPath
}

// Options control a build.
type Options struct {
	Root   string
	Native bool      // build the native variant: C -O3 -march=native, Rust target-cpu=native, Go GOAMD64=v3
	Clean  bool      // measure clean and one-file-changed builds; otherwise build incrementally, untimed
	Log    io.Writer // the tools' output goes here
	// Only, if set, restricts an incremental build (Clean false) to these workloads' peers:
	// 'make peers' builds the native variant of the CPU kernels only, not every dependency.
	Only []string
}

// peers are the workloads lang builds under o.
func (o Options) peers(lang string) []string {
	if len(o.Only) == 0 {
		return Peers[lang]
	}
	var out []string
	for _, name := range Peers[lang] {
		if slices.Contains(o.Only, name) || name == "matmul-openblas" && slices.Contains(o.Only, "matmul") {
			out = append(out, name)
		}
	}
	return out
}

// Build builds the three languages in turn and writes the record. A language that fails is
// recorded with its error and the others still build; the error lists what failed.
func Build(ctx context.Context, o Options) (*results.Build, error) {
	b := &results.Build{When: time.Now().UTC(), Native: o.Native}
	var failed []string
	for _, lang := range []string{"go", "rust", "c"} {
		fmt.Fprintf(o.Log, "== building %s peers\n", lang)
		rec := results.BuildLang{Lang: lang}
		// The toolchain is checked before anything is touched; a language that cannot build
		// keeps its previous binaries and records no build time.
		err := checkToolchain(ctx, lang)
		if err == nil {
			switch lang {
			case "go":
				err = buildGo(ctx, o, &rec)
			case "rust":
				err = buildRust(ctx, o, &rec)
			case "c":
				err = buildC(ctx, o, &rec)
			}
		}
		if err != nil {
			rec.Error = err.Error()
			rec.CleanNs, rec.RebuildNs = 0, 0
			failed = append(failed, fmt.Sprintf("%s: %v (its previous binaries, if any, are kept)", lang, err))
		}
		b.Languages = append(b.Languages, rec)
		for _, name := range o.peers(lang) {
			bin, err := Inspect(o.Root, lang, name, o.Native)
			if why, ok := optional[lang+"/"+name]; ok && err != nil {
				b.Binaries = append(b.Binaries, results.BinaryRecord{Lang: lang, Workload: name, Path: BinaryPath(lang, name, o.Native), NotBuilt: err.Error() + ": " + why})
				continue
			}
			if err != nil {
				if rec.Error == "" {
					failed = append(failed, fmt.Sprintf("%s: %v", lang, err))
				}
				continue
			}
			b.Binaries = append(b.Binaries, bin)
		}
	}
	if !o.Native { // wasm has no native variant
		b.Binaries = append(b.Binaries, BuildWasm(ctx, o)...) // wasm.go
	}
	if err := Save(o.Root, b); err != nil {
		return b, err
	}
	if len(failed) > 0 {
		return b, errors.New(strings.Join(failed, "; "))
	}
	return b, nil
}

func buildGo(ctx context.Context, o Options, rec *results.BuildLang) error {
	rec.Command = []string{"go", "build", "-o", "workloads/bin/", "./workloads/..."}
	rec.Flags = "go build defaults"
	var env []string
	if o.Native {
		// Go has no -march=native; GOAMD64=v3 (AVX2, FMA, BMI) is the nearest it offers.
		rec.Command[3] = "workloads/bin-native/"
		rec.Flags = "GOAMD64=v3 (Go has no native target; v3 is the highest amd64 level it offers)"
		env = append(env, "GOAMD64=v3")
	}
	final := strings.TrimSuffix(rec.Command[3], "/")
	fresh, err := freshDir(o.Root, final)
	if err != nil {
		return err
	}
	defer os.RemoveAll(filepath.Join(o.Root, fresh))
	cmd := append(append([]string{}, rec.Command[:3]...), fresh+"/", rec.Command[4])
	if !o.Clean {
		return buildGoIncremental(ctx, o, env, cmd, fresh, final)
	}
	cache, err := os.MkdirTemp("", "gorustbench-gocache-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(cache)
	env = append(env, "GOCACHE="+cache)
	rec.Scope = "fresh GOCACHE; the standard-library packages the peers import compiled first, untimed; third-party modules compiled in the timed build"
	std, err := output(ctx, o, env, "go", "list", "-deps", "-f", "{{if .Standard}}{{.ImportPath}}{{end}}", "./workloads/...")
	if err != nil {
		return err
	}
	if err := run(ctx, o, env, append([]string{"go", "build"}, strings.Fields(std)...)...); err != nil {
		return err
	}
	rec.Scope += "; built into a fresh folder, swapped in on success"
	cleanNs, err := timed(ctx, o, env, cmd...)
	if err != nil {
		return err
	}
	rec.ChangedFile = "workloads/peerkit/peerkit.go"
	rebuildNs, err := goRebuild(ctx, o, env, rec.ChangedFile)
	if err != nil {
		return err
	}
	if err := buildJSONv2(ctx, o, env, fresh); err != nil {
		return err
	}
	buildMatmulOpenBLAS(ctx, o, env, fresh)
	rec.Scope += "; the encoding/json/v2 peer and matmul-openblas built after it, untimed (GOEXPERIMENT=jsonv2 rewrites encoding/json, and -tags openblas links libopenblas through cgo, so each is a build of its own)"
	if err := swap(o.Root, fresh, final); err != nil {
		return err
	}
	rec.CleanNs, rec.RebuildNs = cleanNs, rebuildNs
	return nil
}

// buildGoIncremental builds the Go peers (only those o.Only names, added to those already
// built) with the warm build cache, untimed, into fresh, and swaps it in as final.
func buildGoIncremental(ctx context.Context, o Options, env, cmd []string, fresh, final string) error {
	if len(o.Only) > 0 {
		cmd = cmd[:4]
		for _, name := range o.peers("go") {
			if name != "jsonv2" && name != "matmul-openblas" {
				cmd = append(cmd, "./workloads/"+name)
			}
		}
		// Keep the other peers already built: an incremental build of a few adds to them.
		if err := copyDir(filepath.Join(o.Root, final), filepath.Join(o.Root, fresh)); err != nil {
			return err
		}
	}
	if err := run(ctx, o, env, cmd...); err != nil {
		return err
	}
	if err := buildJSONv2(ctx, o, env, fresh); err != nil {
		return err
	}
	buildMatmulOpenBLAS(ctx, o, env, fresh)
	return swap(o.Root, fresh, final)
}

// goRebuild times the Go peers' rebuild after one file changed (file, the kit every Go peer
// imports, with a comment added through an overlay), into a folder thrown away; ns.
func goRebuild(ctx context.Context, o Options, env []string, file string) (int64, error) {
	tmp, err := os.MkdirTemp("", "gorustbench-overlay-")
	if err != nil {
		return 0, err
	}
	defer os.RemoveAll(tmp)
	src, err := os.ReadFile(filepath.Join(o.Root, file))
	if err != nil {
		return 0, err
	}
	changed := filepath.Join(tmp, filepath.Base(file))
	overlay := filepath.Join(tmp, "overlay.json")
	abs, _ := filepath.Abs(filepath.Join(o.Root, file))
	js, _ := json.Marshal(map[string]any{"Replace": map[string]string{abs: changed}})
	if err := os.WriteFile(changed, append(src, []byte("\n// changed for the rebuild measurement\n")...), 0o644); err != nil {
		return 0, err
	}
	if err := os.WriteFile(overlay, js, 0o644); err != nil {
		return 0, err
	}
	return timed(ctx, o, env, "go", "build", "-overlay", overlay, "-o", tmp+"/", "./workloads/...")
}

// buildJSONv2 builds the json workload's encoding/json/v2 peer into dir: the experiment
// changes encoding/json itself, so it cannot share the other peers' build.
func buildJSONv2(ctx context.Context, o Options, env []string, dir string) error {
	if len(o.Only) > 0 && !slices.Contains(o.Only, "jsonv2") {
		return nil
	}
	return run(ctx, o, append(env, "GOEXPERIMENT=jsonv2"), "go", "build", "-o", filepath.Join(dir, "jsonv2"), "./workloads/jsonv2")
}

// buildMatmulOpenBLAS builds the matmul peer with -tags openblas into dir as matmul-openblas:
// gonum on OpenBLAS through cgo (workloads/matmul/openblas.go). It needs libopenblas-dev;
// without it the peer is left out with a warning (its cases are then skipped, saying so),
// and the other Go peers are unaffected.
func buildMatmulOpenBLAS(ctx context.Context, o Options, env []string, dir string) {
	if len(o.Only) > 0 && !slices.Contains(o.peers("go"), "matmul-openblas") {
		return
	}
	if err := run(ctx, o, env, "go", "build", "-tags", "openblas", "-o", filepath.Join(dir, "matmul-openblas"), "./workloads/matmul"); err != nil {
		fmt.Fprintf(o.Log, "warning: %v: go-openblas is not built (apt-get install libopenblas-dev; scripts/setup.sh does it)\n", err)
	}
}

// copyDir copies the regular files of src into dst (dst exists); a missing src is nothing.
func copyDir(src, dst string) error {
	entries, err := os.ReadDir(src)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	} else if err != nil {
		return err
	}
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		data, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), data, 0o755); err != nil {
			return err
		}
	}
	return nil
}

func buildRust(ctx context.Context, o Options, rec *results.BuildLang) error {
	rec.Command = []string{"cargo", "build", "--release", "--locked", "--manifest-path", "rustpeers/Cargo.toml"}
	rec.Flags = "cargo --release defaults"
	var env []string
	target := "rustpeers/target"
	if o.Native {
		target = "rustpeers/target/native"
		rec.Command = append(rec.Command, "--target-dir", target)
		rec.Flags = "RUSTFLAGS=-C target-cpu=native"
		env = []string{"RUSTFLAGS=-C target-cpu=native"}
	}
	if !o.Clean {
		cmd := rec.Command
		for _, name := range o.peers("rust") {
			if len(o.Only) > 0 {
				cmd = append(cmd, "-p", name)
			}
		}
		return run(ctx, o, env, cmd...)
	}
	// A clean build is a build into a fresh target folder (no 'cargo clean' of the working
	// one), whose release/ replaces the working one only when both builds succeeded.
	rec.Scope = "fresh --target-dir, swapped in on success: workspace and dependency crates compiled; std ships prebuilt"
	fresh, err := freshDir(o.Root, "rustpeers/target/release")
	if err != nil {
		return err
	}
	defer os.RemoveAll(filepath.Join(o.Root, fresh))
	cmd := append(append([]string{}, rec.Command[:6]...), "--target-dir", fresh)
	cleanNs, err := timed(ctx, o, env, cmd...)
	if err != nil {
		return err
	}
	rec.ChangedFile = "rustpeers/common/src/lib.rs"
	if err := touch(filepath.Join(o.Root, rec.ChangedFile)); err != nil {
		return err
	}
	rebuildNs, err := timed(ctx, o, env, cmd...)
	if err != nil {
		return err
	}
	if err := swap(o.Root, fresh+"/release", target+"/release"); err != nil {
		return err
	}
	rec.CleanNs, rec.RebuildNs = cleanNs, rebuildNs
	return nil
}

func buildC(ctx context.Context, o Options, rec *results.BuildLang) error {
	rec.Command = []string{"make", "-C", "cpeers"}
	rec.Flags = "cpeers/Makefile CFLAGS (-O2 -fno-math-errno)"
	final := "cpeers/bin"
	if o.Native {
		rec.Command = append(rec.Command, "NATIVE=1")
		rec.Flags = "cpeers/Makefile CFLAGS (-O2 -fno-math-errno) plus -O3 -march=native"
		final = "cpeers/bin-native"
	}
	if !o.Clean {
		return run(ctx, o, nil, rec.Command...)
	}
	// A clean build is a build into a fresh BIN folder (no 'make clean' of the working one),
	// swapped in only when both builds succeeded.
	rec.Scope = "every C peer compiled and linked into a fresh folder, swapped in on success; OpenBLAS is a prebuilt system library"
	fresh, err := freshDir(o.Root, final)
	if err != nil {
		return err
	}
	defer os.RemoveAll(filepath.Join(o.Root, fresh))
	cmd := append(append([]string{}, rec.Command...), "BIN="+strings.TrimPrefix(fresh, "cpeers/"))
	cleanNs, err := timed(ctx, o, nil, cmd...)
	if err != nil {
		return err
	}
	rec.ChangedFile = "cpeers/peerkit.c"
	if err := touch(filepath.Join(o.Root, rec.ChangedFile)); err != nil {
		return err
	}
	rebuildNs, err := timed(ctx, o, nil, cmd...)
	if err != nil {
		return err
	}
	if err := swap(o.Root, fresh, final); err != nil {
		return err
	}
	rec.CleanNs, rec.RebuildNs = cleanNs, rebuildNs
	return nil
}

// toolchains are the programs each language's build needs.
var toolchains = map[string][]string{"go": {"go"}, "rust": {"cargo"}, "c": {"make", "cc"}}

// checkToolchain says what is missing before a language's build touches anything; for C it
// also compiles an empty program, since a cc that cannot compile is as good as none.
func checkToolchain(ctx context.Context, lang string) error {
	for _, tool := range toolchains[lang] {
		if _, err := exec.LookPath(tool); err != nil {
			return fmt.Errorf("%s is not installed (run scripts/setup.sh); nothing was built", tool)
		}
	}
	if lang == "c" {
		cmd := exec.CommandContext(ctx, "cc", "-x", "c", "-", "-o", os.DevNull)
		cmd.Stdin = strings.NewReader("int main(void){return 0;}\n")
		if out, err := cmd.CombinedOutput(); err != nil {
			first, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
			return fmt.Errorf("cc cannot compile an empty C program (%v: %s); nothing was built", err, first)
		}
	}
	return nil
}

// freshDir makes an empty folder beside final (relative to root) and returns its path
// relative to root.
func freshDir(root, final string) (string, error) {
	dir := filepath.Dir(final)
	if err := os.MkdirAll(filepath.Join(root, dir), 0o755); err != nil {
		return "", err
	}
	abs, err := os.MkdirTemp(filepath.Join(root, dir), "."+filepath.Base(final)+".new-")
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, filepath.Base(abs)), nil
}

// swap puts fresh in final's place (both relative to root) and removes the previous final;
// if the swap fails, the previous final stays.
func swap(root, fresh, final string) error {
	f, n := filepath.Join(root, final), filepath.Join(root, fresh)
	old := f + ".old"
	os.RemoveAll(old)
	hadOld := os.Rename(f, old) == nil
	if err := os.Rename(n, f); err != nil {
		if hadOld {
			os.Rename(old, f)
		}
		return fmt.Errorf("installing the new %s: %w", final, err)
	}
	return os.RemoveAll(old)
}

func touch(path string) error {
	now := time.Now()
	return os.Chtimes(path, now, now)
}

func command(ctx context.Context, o Options, env []string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	cmd.Dir = o.Root
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = o.Log, o.Log
	return cmd
}

func run(ctx context.Context, o Options, env []string, args ...string) error {
	if _, err := exec.LookPath(args[0]); err != nil {
		return fmt.Errorf("%s is not installed (run scripts/setup.sh)", args[0])
	}
	if err := command(ctx, o, env, args...).Run(); err != nil {
		return fmt.Errorf("%s failed: %v (its output is above)", strings.Join(args, " "), err)
	}
	return nil
}

func timed(ctx context.Context, o Options, env []string, args ...string) (int64, error) {
	start := time.Now()
	err := run(ctx, o, env, args...)
	return time.Since(start).Nanoseconds(), err
}

func output(ctx context.Context, o Options, env []string, args ...string) (string, error) {
	cmd := command(ctx, o, env, args...)
	cmd.Stdout = nil
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("%s failed: %v", strings.Join(args, " "), err)
	}
	return string(out), nil
}

// Inspect measures one built binary: its size, its size after strip, and whether it is static.
func Inspect(root, lang, name string, native bool) (results.BinaryRecord, error) {
	rel := BinaryPath(lang, name, native)
	path := filepath.Join(root, rel)
	st, err := os.Stat(path)
	if err != nil {
		return results.BinaryRecord{}, fmt.Errorf("%s was not built", rel)
	}
	r := results.BinaryRecord{Lang: lang, Workload: name, Path: rel, Bytes: st.Size()}
	if f, err := elf.Open(path); err == nil {
		r.Static = true
		for _, p := range f.Progs {
			if p.Type == elf.PT_INTERP {
				r.Static = false
			}
		}
		f.Close()
	}
	linkage(root, lang, name, path, &r) // linkage.go
	r.StrippedBytes, err = strippedSize(path)
	return r, err
}

func strippedSize(path string) (int64, error) {
	tmp, err := os.CreateTemp("", "gorustbench-strip-")
	if err != nil {
		return 0, err
	}
	tmp.Close()
	defer os.Remove(tmp.Name())
	if out, err := exec.Command("strip", "-o", tmp.Name(), path).CombinedOutput(); err != nil {
		return 0, fmt.Errorf("strip %s: %v: %s", path, err, strings.TrimSpace(string(out)))
	}
	st, err := os.Stat(tmp.Name())
	if err != nil {
		return 0, err
	}
	return st.Size(), nil
}

// Save writes the record to RecordFile(b.Native), atomically.
func Save(root string, b *results.Build) error {
	js, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Join(root, "results"), 0o755); err != nil {
		return err
	}
	return results.WriteFileAtomic(filepath.Join(root, RecordFile(b.Native)), append(js, '\n'))
}

// Load reads the last build's record of the default or native variant; (nil, nil) if there
// is none.
func Load(root string, native bool) (*results.Build, error) {
	data, err := os.ReadFile(filepath.Join(root, RecordFile(native)))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	var b results.Build
	if err := json.Unmarshal(data, &b); err != nil {
		return nil, fmt.Errorf("%s is corrupt (%v): run 'make peers' to rebuild and rewrite it", RecordFile(native), err)
	}
	return &b, nil
}

// Samples turns the record into samples.bench lines: Build/lang=go/kind=clean in build-ns,
// Binary/lang=go/workload=hello in binary-B and stripped-B, and a wasm build's as
// Binary/lang=go/workload=hello/kind=wasm32-wasip1.
func Samples(b *results.Build) []results.Sample {
	var out []results.Sample
	for _, l := range b.Languages {
		if l.Error != "" || l.CleanNs == 0 {
			continue
		}
		out = append(out,
			results.Sample{Key: key.BuildTime(l.Lang, "clean"), Values: []benchfmt.Value{{Value: float64(l.CleanNs), Unit: units.Build}}},
			results.Sample{Key: key.BuildTime(l.Lang, "rebuild"), Values: []benchfmt.Value{{Value: float64(l.RebuildNs), Unit: units.Build}}})
	}
	for _, bin := range b.Binaries {
		if bin.NotBuilt != "" {
			continue
		}
		k := key.BinarySize(bin.Lang, bin.Workload)
		k.Kind = bin.Target // "" for the native binaries; wasm.go
		out = append(out, results.Sample{Key: k, Values: []benchfmt.Value{
			{Value: float64(bin.Bytes), Unit: units.Binary}, {Value: float64(bin.StrippedBytes), Unit: units.Stripped}}})
	}
	return out
}
