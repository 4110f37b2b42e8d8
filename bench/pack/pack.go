// Package pack writes every built peer into one archive with a manifest (toolchain versions,
// build flags, the CPU features the binaries may use, the shared libraries they need, and
// each file's SHA-256), and opens such an archive on another machine: it checks the hashes,
// that the machine has every CPU feature and shared library the peers to run need, and
// tells the run where the binaries are. This is how one set of binaries is measured on many
// machines, without a Rust or C toolchain on them.
//
// The archive is a gzipped tar laid out like the repository: pack.json, results/build.json
// (the build record) and the binaries at their usual paths (workloads/bin/hello, ...), so a
// folder it is unpacked into can be given to run --peers as a repository root.
package pack

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"crypto/sha256"
	"debug/elf"
	"encoding/hex"
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

	"github.com/gorustbench/gorustbench/bench/build"
	"github.com/gorustbench/gorustbench/bench/probe"
	"github.com/gorustbench/gorustbench/bench/results"
)

// ManifestFile is the pack's manifest inside the archive.
const ManifestFile = "pack.json"

// Manifest describes a pack.
type Manifest struct {
	ID         string           `json:"id"` // hash of the binaries' hashes: the same binaries, the same id
	PackedAt   time.Time        `json:"packed_at"`
	PackedOn   string           `json:"packed_on"` // CPU, cores, kernel of the packing machine
	Hostname   string           `json:"hostname"`
	GitCommit  string           `json:"git_commit"`
	Toolchains probe.Toolchains `json:"toolchains"`
	// Builds are the builds the pack holds: "default", "native" or both, in that order.
	// A pack without the field (an older harness's) holds the one build Native names.
	Builds []string `json:"builds,omitempty"`
	// Native is true when the pack holds the native build only (what older harnesses read).
	Native bool              `json:"native"`
	Flags  map[string]string `json:"flags"` // per language ("go", "rust", "c"; "go/native" for the native build), the build flags recorded by the build
	// CPUFeatures are the instruction-set extensions the native build's binaries may use: those
	// of the packing CPU (the compilers were told to use them all). The default build needs
	// none (the languages' baseline x86-64 or arm64 targets).
	CPUFeatures []string `json:"cpu_features"`
	Arch        string   `json:"arch"`
	Files       []File   `json:"files"`
}

// File is one packed binary.
type File struct {
	Path   string   `json:"path"` // relative to the repository root
	Lang   string   `json:"lang"`
	Build  string   `json:"build,omitempty"` // "native" for the native build; "" for the default one
	SHA256 string   `json:"sha256"`
	Bytes  int64    `json:"bytes"`
	Needs  []string `json:"needs"` // shared libraries (ELF DT_NEEDED)
}

// isaFlags are the /proc/cpuinfo flags compilers target with -march=native, target-cpu=native
// or GOAMD64 levels.
var isaFlags = []string{"sse3", "ssse3", "sse4_1", "sse4_2", "popcnt", "avx", "avx2", "fma", "f16c", "bmi1", "bmi2",
	"abm", "movbe", "adx", "aes", "pclmulqdq", "sha_ni", "vaes", "vpclmulqdq", "avx512f", "avx512cd", "avx512bw",
	"avx512dq", "avx512vl", "avx512_vnni", "avx512ifma", "avx512vbmi", "avx512_vbmi2", "avx512_bitalg", "avx512_vpopcntdq",
	"avx512_bf16", "avx512_fp16", "avx_vnni", "gfni", "amx_tile", "amx_int8", "amx_bf16"}

// CPUFlags reads this machine's CPU feature flags.
func CPUFlags() []string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return nil
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && (strings.TrimSpace(k) == "flags" || strings.TrimSpace(k) == "Features") {
			return strings.Fields(v)
		}
	}
	return nil
}

// Build names, as Manifest.Builds lists them.
const (
	Default = "default"
	Native  = "native"
)

// Write packs every build recorded under root into the gzipped tar at out: the default
// build (results/build.json) and the native one (results/build-native.json, which 'make
// peers' writes for the CPU kernels), whichever exist, so that one archive runs every case
// of a profile.
func Write(root string, out string) (*Manifest, error) {
	host := probe.ReadHost()
	m := &Manifest{PackedAt: time.Now().UTC(), PackedOn: fmt.Sprintf("%s, %d CPUs, kernel %s", host.CPUModel, host.CPUs, host.Kernel),
		Hostname: host.Hostname, GitCommit: probe.GitCommit(root), Toolchains: probe.ReadToolchains(),
		Flags: map[string]string{}, Arch: host.Arch}
	records := map[bool][]byte{}
	ids := sha256.New()
	for _, native := range []bool{false, true} {
		b, err := build.Load(root, native)
		if err != nil {
			return nil, err
		}
		if b == nil || len(b.Binaries) == 0 {
			continue
		}
		name, suffix := Default, ""
		if native {
			name, suffix = Native, "/native"
			for _, f := range CPUFlags() {
				if slices.Contains(isaFlags, f) {
					m.CPUFeatures = append(m.CPUFeatures, f)
				}
			}
		}
		m.Builds = append(m.Builds, name)
		for _, l := range b.Languages {
			m.Flags[l.Lang+suffix] = l.Flags
		}
		for _, bin := range b.Binaries {
			f, err := describe(root, bin)
			if err != nil {
				return nil, err
			}
			if native {
				f.Build = Native
			}
			m.Files = append(m.Files, f)
			fmt.Fprintf(ids, "%s %s\n", f.Path, f.SHA256)
		}
		js, _ := json.MarshalIndent(b, "", "  ")
		records[native] = append(js, '\n')
	}
	if len(m.Builds) == 0 {
		return nil, fmt.Errorf("no build record in %s: build the peers first (make peers, or gorustbench build)", filepath.Join(root, build.RecordFile(false)))
	}
	m.Native = len(m.Builds) == 1 && m.Builds[0] == Native
	m.ID = hex.EncodeToString(ids.Sum(nil))[:12]

	tmp := out + ".tmp"
	fh, err := os.Create(tmp)
	if err != nil {
		return nil, err
	}
	defer os.Remove(tmp)
	gz := gzip.NewWriter(fh)
	tw := tar.NewWriter(gz)
	js, _ := json.MarshalIndent(m, "", "  ")
	err = addBytes(tw, ManifestFile, append(js, '\n'), 0o644)
	for _, native := range []bool{false, true} {
		if rec, ok := records[native]; ok {
			err = errors.Join(err, addBytes(tw, build.RecordFile(native), rec, 0o644))
		}
	}
	for _, f := range m.Files {
		if err != nil {
			break
		}
		err = addFile(tw, root, f.Path)
	}
	err = errors.Join(err, tw.Close(), gz.Close(), fh.Close())
	if err != nil {
		return nil, fmt.Errorf("writing %s: %v", out, err)
	}
	return m, os.Rename(tmp, out)
}

func describe(root string, bin results.BinaryRecord) (File, error) {
	path := filepath.Join(root, bin.Path)
	data, err := os.ReadFile(path)
	if err != nil {
		return File{}, fmt.Errorf("%s is in the build record but missing: rebuild (gorustbench build --no-clean)", bin.Path)
	}
	sum := sha256.Sum256(data)
	f := File{Path: bin.Path, Lang: bin.Lang, SHA256: hex.EncodeToString(sum[:]), Bytes: int64(len(data))}
	if ef, err := elf.Open(path); err == nil {
		f.Needs, _ = ef.ImportedLibraries()
		ef.Close()
	}
	return f, nil
}

func addBytes(tw *tar.Writer, name string, data []byte, mode int64) error {
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: mode, Size: int64(len(data)), ModTime: time.Now(), Typeflag: tar.TypeReg}); err != nil {
		return err
	}
	_, err := tw.Write(data)
	return err
}

func addFile(tw *tar.Writer, root, rel string) error {
	data, err := os.ReadFile(filepath.Join(root, rel))
	if err != nil {
		return err
	}
	return addBytes(tw, rel, data, 0o755)
}

// Open makes a pack usable: an archive is unpacked into a new temporary folder (the caller
// removes it with cleanup), a folder is used in place. It returns the folder, which run uses
// as the root the binaries are found under, and the pack's manifest. Every file's hash is
// checked.
func Open(source string) (dir string, m *Manifest, cleanup func(), err error) {
	cleanup = func() {}
	st, err := os.Stat(source)
	if err != nil {
		return "", nil, cleanup, fmt.Errorf("--peers %s: no such archive or folder", source)
	}
	dir = source
	if !st.IsDir() {
		dir, err = os.MkdirTemp("", "gorustbench-peers-")
		if err != nil {
			return "", nil, cleanup, err
		}
		cleanup = func() { os.RemoveAll(dir) }
		if err := unpack(source, dir); err != nil {
			cleanup()
			return "", nil, func() {}, fmt.Errorf("--peers %s: %v", source, err)
		}
	}
	data, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if err != nil {
		cleanup()
		return "", nil, func() {}, fmt.Errorf("--peers %s: no %s in it: not a pack from 'gorustbench build --pack'", source, ManifestFile)
	}
	m = &Manifest{}
	if err := json.Unmarshal(data, m); err != nil {
		cleanup()
		return "", nil, func() {}, fmt.Errorf("--peers %s: %s is corrupt: %v", source, ManifestFile, err)
	}
	if len(m.Builds) == 0 { // an older harness's pack: one build, named by Native
		m.Builds = []string{Default}
		if m.Native {
			m.Builds = []string{Native}
			for i := range m.Files {
				m.Files[i].Build = Native
			}
		}
	}
	for _, f := range m.Files {
		data, err := os.ReadFile(filepath.Join(dir, f.Path))
		if err != nil {
			cleanup()
			return "", nil, func() {}, fmt.Errorf("--peers %s: %s is missing", source, f.Path)
		}
		if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != f.SHA256 {
			cleanup()
			return "", nil, func() {}, fmt.Errorf("--peers %s: %s does not match its hash in %s (corrupt or changed)", source, f.Path, ManifestFile)
		}
	}
	return dir, m, cleanup, nil
}

func unpack(archive, dir string) error {
	fh, err := os.Open(archive)
	if err != nil {
		return err
	}
	defer fh.Close()
	gz, err := gzip.NewReader(fh)
	if err != nil {
		return fmt.Errorf("not a gzipped archive: %v", err)
	}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		name := filepath.Clean(h.Name)
		if filepath.IsAbs(name) || strings.HasPrefix(name, "..") {
			return fmt.Errorf("archive entry %q leaves the folder", h.Name)
		}
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		out, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, os.FileMode(h.Mode)&0o755)
		if err != nil {
			return err
		}
		_, err = io.Copy(out, tr)
		if err := errors.Join(err, out.Close()); err != nil {
			return err
		}
	}
}

// Machine is what a check needs to know about the machine.
type Machine struct {
	Arch       string
	CPUFlags   []string
	HasLibrary func(name string) bool
}

// ThisMachine describes the machine the harness runs on.
func ThisMachine() Machine {
	return Machine{Arch: probe.ReadHost().Arch, CPUFlags: CPUFlags(), HasLibrary: libraryFinder()}
}

// Holds reports whether the pack has a binary at path (relative to the repository root).
func (m *Manifest) Holds(path string) bool {
	for _, f := range m.Files {
		if f.Path == path {
			return true
		}
	}
	return false
}

// Has reports whether the pack holds the build named (Default or Native).
func (m *Manifest) Has(build string) bool { return slices.Contains(m.Builds, build) }

// MissingFeatures are the CPU features the pack's native build uses and the machine lacks:
// its native binaries cannot run there (nil when they can, or when there are none).
func (m *Manifest) MissingFeatures(on Machine) []string {
	if !m.Has(Native) {
		return nil
	}
	var missing []string
	for _, f := range m.CPUFeatures {
		if !slices.Contains(on.CPUFlags, f) {
			missing = append(missing, f)
		}
	}
	return missing
}

// Check refuses, in one line, a pack whose binaries (those at paths, or all when paths is
// empty) need what the machine lacks: another architecture, a CPU feature (native binaries
// only), a shared library.
func Check(m *Manifest, paths []string, on Machine) error {
	if m.Arch != "" && on.Arch != "" && m.Arch != on.Arch {
		return fmt.Errorf("the peers were built for %s and this machine is %s", m.Arch, on.Arch)
	}
	runsNative := false
	for _, f := range m.Files {
		if f.Build == Native && (len(paths) == 0 || slices.Contains(paths, f.Path)) {
			runsNative = true
		}
	}
	if missing := m.MissingFeatures(on); runsNative && len(missing) > 0 {
		return fmt.Errorf("the peers are a native build for a CPU with %s, which this CPU lacks: run without --native, or pack a default build (gorustbench build --pack) for this machine", strings.Join(missing, ", "))
	}
	for _, f := range m.Files {
		if len(paths) > 0 && !slices.Contains(paths, f.Path) {
			continue
		}
		for _, lib := range f.Needs {
			if !on.HasLibrary(lib) {
				hint := ""
				if strings.HasPrefix(lib, "libopenblas") {
					hint = " (Debian: apt-get install libopenblas0)"
				}
				return fmt.Errorf("peer %s needs the shared library %s, which this machine lacks%s; or leave that implementation out with --impls", f.Path, lib, hint)
			}
		}
	}
	return nil
}

// libraryFinder answers whether the dynamic loader can find a library: in the loader's cache
// (ldconfig -p), LD_LIBRARY_PATH or the standard folders.
func libraryFinder() func(string) bool {
	known := map[string]bool{}
	if out, err := exec.Command("ldconfig", "-p").Output(); err == nil {
		for _, line := range strings.Split(string(out), "\n") {
			if f := strings.Fields(line); len(f) > 0 {
				known[f[0]] = true
			}
		}
	} else if out, err := exec.Command("/sbin/ldconfig", "-p").Output(); err == nil {
		for _, line := range strings.Split(string(out), "\n") {
			if f := strings.Fields(line); len(f) > 0 {
				known[f[0]] = true
			}
		}
	}
	dirs := filepath.SplitList(os.Getenv("LD_LIBRARY_PATH"))
	dirs = append(dirs, "/lib", "/usr/lib", "/lib64", "/usr/lib64", "/usr/local/lib")
	if g, _ := filepath.Glob("/usr/lib/*-linux-gnu"); len(g) > 0 {
		dirs = append(dirs, g...)
	}
	if g, _ := filepath.Glob("/lib/*-linux-gnu"); len(g) > 0 {
		dirs = append(dirs, g...)
	}
	return func(name string) bool {
		if known[name] {
			return true
		}
		for _, d := range dirs {
			if d == "" {
				continue
			}
			if _, err := os.Stat(filepath.Join(d, name)); err == nil {
				return true
			}
		}
		return false
	}
}

// Prebuilt is what a run records about the pack it ran.
func (m *Manifest) Prebuilt(source string) *results.Prebuilt {
	abs, err := filepath.Abs(source)
	if err != nil {
		abs = source
	}
	return &results.Prebuilt{Source: abs, ID: m.ID, PackedOn: m.PackedOn + " (" + m.Hostname + ")", PackedAt: m.PackedAt,
		GitCommit: m.GitCommit, Toolchains: m.Toolchains, Native: m.Native, Builds: m.Builds}
}
