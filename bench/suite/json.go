package suite

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gorustbench/gorustbench/bench/peer"
	"github.com/gorustbench/gorustbench/bench/probe"
	"github.com/gorustbench/gorustbench/bench/units"
	"github.com/gorustbench/gorustbench/workloads/jsondoc"
)

// JSON decodes a document into typed structures and encodes it back (workloads/README.md):
// Go's encoding/json, easyjson, sonic (its default, whose strings point into its copy of the
// input, and with CopyString, owned), go-json and encoding/json/v2 against serde_json (owned
// and borrowing), sonic-rs and simd-json, on three shapes of document at growing sizes. A
// case's size is the document's nominal size in MiB.
var JSON = &Workload{
	Name: "json", Title: "JSON",
	Impls: []Impl{
		{Lang: "go", Variant: "std", Binary: goBin("json")},
		{Lang: "go", Variant: "easyjson", Binary: goBin("json")},
		{Lang: "go", Variant: "sonic", Binary: goBin("json")},
		{Lang: "go", Variant: "sonic-copy", Binary: goBin("json")},
		{Lang: "go", Variant: "gojson", Binary: goBin("json")},
		{Lang: "go", Variant: "v2", Binary: goBin("jsonv2")},
		{Lang: "rust", Variant: "serde", Binary: rustBin("json")},
		{Lang: "rust", Variant: "serde-borrow", Binary: rustBin("json")},
		{Lang: "rust", Variant: "sonic-rs", Binary: rustBin("json")},
		{Lang: "rust", Variant: "simd-json", Binary: rustBin("json")},
		// sonic-rs chooses its SIMD width at compile time (SSE2 unless built with
		// target-cpu=native); the others dispatch at run time or are portable code, so the
		// native build is what shows sonic-rs at its best (workloads/README.md, build class).
		Impl{Lang: "rust", Variant: "sonic-rs", Binary: rustBin("json")}.Native(),
	},
	Named: DimSize,
	Cases: func(w *Workload, p Profile, _ int) []*Case {
		type size struct{ mib, iters int64 }
		sizes := Pick(p, []size{{1, 2}}, []size{{1, 8}, {16, 1}}, []size{{1, 8}, {16, 1}, {64, 1}, {256, 1}})
		var out []*Case
		for _, sz := range sizes {
			for _, shape := range jsondoc.Shapes {
				for _, c := range w.each(peer.Params{Size: sz.mib, Iters: sz.iters, Threads: 1, Seed: 7}, 1, Pick(p, 2, 6, 6), 10*time.Minute, false) {
					c.Shape = shape
					out = append(out, c)
				}
			}
		}
		return out
	},
	Prepare: prepareJSON,
	Units: []string{units.Exec, units.PerOp, units.DecodeNs, units.EncodeNs, units.AllocPerOp, units.DecodeAlloc, units.EncodeAlloc,
		units.InputBytes, units.PeakRSS, units.GCPauses, units.GCPauseMax, units.GCTotal},
	Claims: []string{"serialization", "data-pipeline-memory", "gc-pauses"},
}

// jsonPeakPerByte bounds the memory one json peer may need per input byte: the worst measured
// here was 14 (simd-json on geo: its input copy and index buffers besides the decoded value).
const jsonPeakPerByte = 15

// prepareJSON generates the case's document once into root/.cache/json (outside git), and
// reuses it while its SHA-256 matches the one recorded beside it with the generator's version.
// A document this machine's memory could not decode is refused before anything runs.
func prepareJSON(root string, c *Case) error {
	bytes := c.Params.Size << 20
	need := uint64(jsonPeakPerByte*bytes + 64<<20)
	if avail := probe.MemAvailable(); avail > 0 && need > avail {
		return fmt.Errorf("refused: a %d MiB document needs up to %s of memory to decode, and %s is available", c.Params.Size, units.Bytes(float64(need)), units.Bytes(float64(avail)))
	}
	dir := filepath.Join(root, ".cache", "json")
	name := fmt.Sprintf("%s-%dMiB-seed%d-v%d.json", c.Shape, c.Params.Size, c.Params.Seed, jsondoc.Version)
	path := filepath.Join(dir, name)
	if sum, err := os.ReadFile(path + ".sha256"); err == nil {
		if got, err := fileSHA256(path); err == nil && got == strings.TrimSpace(string(sum)) {
			return c.useInput(path)
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("cannot create the document cache: %w", err)
	}
	tmp, err := os.CreateTemp(dir, name+".*")
	if err != nil {
		return fmt.Errorf("cannot create the document cache: %w", err)
	}
	defer os.Remove(tmp.Name())
	h := sha256.New()
	bw := bufio.NewWriterSize(io.MultiWriter(tmp, h), 1<<20)
	err = jsondoc.Generate(bw, c.Shape, bytes, c.Params.Seed)
	err = errors.Join(err, bw.Flush(), tmp.Close())
	if err != nil {
		return fmt.Errorf("generating the %s document (%d MiB): %w", c.Shape, c.Params.Size, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	if err := os.WriteFile(path+".sha256", []byte(hex.EncodeToString(h.Sum(nil))+"\n"), 0o644); err != nil {
		return err
	}
	return c.useInput(path)
}

// useInput points the case at its input file.
func (c *Case) useInput(path string) error {
	st, err := os.Stat(path)
	if err != nil {
		return err
	}
	c.Input, c.InputB = path, st.Size()
	return nil
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
