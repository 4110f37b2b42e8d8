package results

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/gorustbench/gorustbench/bench/key"
	"github.com/gorustbench/gorustbench/bench/units"
	"golang.org/x/perf/benchfmt"
	"golang.org/x/sys/unix"
)

// Sample is one line of samples.bench: one timed run of one case.
type Sample struct {
	Key    key.Key // the benchmark name
	Iters  int     // operations inside the peer's timed region
	Values []benchfmt.Value
	// Case is the case the sample belongs to, if any: samples of a case that did not end ok
	// (failed, interrupted) carry a "case-state" configuration key in samples.bench, so
	// benchstat shows them apart from, and never as, a normal column.
	Case *CaseState
	// Failed, for a load window, says why the window failed (errors, no answers): it is marked
	// with a "window-state: failed" configuration key in samples.bench, and its throughput
	// and latency are never evidence (summary leaves it out).
	Failed string
}

// WindowStateKey is the samples.bench configuration key that marks a failed load window;
// its value is WindowFailed.
const (
	WindowStateKey = "window-state"
	WindowFailed   = "failed"
)

// CaseStateKey is the samples.bench configuration key that marks samples of cases that did
// not end ok; its value is the case's state.
const CaseStateKey = "case-state"

// Dir is a run folder being written. Its methods are safe for concurrent use.
type Dir struct {
	Path string
	// Observe, if set before the run starts, hears every sample Add records (live metrics).
	Observe func([]Sample)

	mu        sync.Mutex
	manifest  *Manifest
	config    []benchfmt.Config // file configuration lines: where the run ran
	samples   []Sample
	flushed   int // samples in samples.bench on disk
	lastFlush time.Time
}

// MinFreeBytes is the free space a run needs where its folder is created: its logs are
// capped (see runner.LogHead), its samples are small, and a run that would fill the disk is
// refused before it starts rather than stopped in the middle.
var MinFreeBytes uint64 = 64 << 20

// checkFree refuses a folder on a file system with less than MinFreeBytes available.
func checkFree(path string) error {
	var st unix.Statfs_t
	if err := unix.Statfs(path, &st); err != nil {
		return nil // cannot tell: the writes will say
	}
	if free := st.Bavail * uint64(st.Bsize); free < MinFreeBytes {
		return fmt.Errorf("only %d MiB free where %s would be written; a run needs at least %d MiB: free some space or choose another --out", free>>20, path, MinFreeBytes>>20)
	}
	return nil
}

// FlushEvery bounds what a harness killed with SIGKILL can lose.
var FlushEvery = time.Second

// Create makes the folder (it must not exist, or be empty) and its logs/, and writes the
// manifest in state running. The folder is claimed exclusively: of two runs given the same
// folder at once, one gets it and the other is refused.
func Create(path string, m *Manifest, config []benchfmt.Config) (*Dir, error) {
	if err := claim(path); err != nil {
		return nil, err
	}
	m.Schema = Schema
	m.State = StateRunning
	m.Owner = thisProcess()
	d := &Dir{Path: path, manifest: m, config: config}
	return d, d.Flush()
}

// CreateRun makes a new run folder under resultsDir named after m.RunID, or, when another
// run took that name (two runs started in the same second), m.RunID-2, -3, ...; m.RunID
// becomes the folder's name.
func CreateRun(resultsDir string, m *Manifest) (*Dir, error) {
	base := m.RunID
	for i := 1; i <= 100; i++ {
		id := base
		if i > 1 {
			id = fmt.Sprintf("%s-%d", base, i)
		}
		path := filepath.Join(resultsDir, id)
		if err := os.MkdirAll(resultsDir, 0o755); err != nil {
			return nil, fmt.Errorf("cannot create results folder: %w", err)
		}
		if err := checkFree(resultsDir); err != nil {
			return nil, err
		}
		if err := os.Mkdir(path, 0o755); errors.Is(err, os.ErrExist) {
			continue
		} else if err != nil {
			return nil, fmt.Errorf("cannot create results folder: %w", err)
		}
		m.RunID = id
		return Create(path, m, m.ConfigLines())
	}
	return nil, fmt.Errorf("cannot create a results folder under %s: %s and 99 suffixed names are taken", resultsDir, base)
}

// claim makes path (or accepts an empty existing folder) and creates its logs/ with an
// exclusive mkdir: that is the claim two runs cannot both win.
func claim(path string) error {
	if err := os.MkdirAll(path, 0o755); err != nil {
		// MkdirAll reports a loop of symbolic links (or a link to nowhere) as "file exists":
		// stat says what is really wrong.
		if _, serr := os.Stat(path); errors.Is(serr, syscall.ELOOP) {
			return fmt.Errorf("cannot create results folder %s: its path is a loop of symbolic links", path)
		} else if serr != nil && errors.Is(err, os.ErrExist) {
			if target, lerr := os.Readlink(path); lerr == nil {
				return fmt.Errorf("cannot create results folder %s: it is a symbolic link to %s, which does not exist", path, target)
			}
		}
		return fmt.Errorf("cannot create results folder: %w", err)
	}
	if err := checkFree(path); err != nil {
		return err
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		return fmt.Errorf("cannot read results folder: %w", err)
	}
	inUse := fmt.Errorf("results folder %s already exists and is not empty (another run's, or in use by one now): choose another --out", path)
	if len(entries) > 0 {
		return inUse
	}
	if err := os.Mkdir(filepath.Join(path, "logs"), 0o755); errors.Is(err, os.ErrExist) {
		return inUse
	} else if err != nil {
		return fmt.Errorf("cannot create results folder: %w", err)
	}
	return nil
}

// Manifest gives f the manifest to change under the folder's lock.
func (d *Dir) Manifest(f func(m *Manifest)) {
	d.mu.Lock()
	defer d.mu.Unlock()
	f(d.manifest)
}

// Add records samples and writes the folder if the last write is older than FlushEvery.
func (d *Dir) Add(s ...Sample) error {
	if d.Observe != nil {
		d.Observe(s)
	}
	d.mu.Lock()
	d.samples = append(d.samples, s...)
	due := time.Since(d.lastFlush) >= FlushEvery
	d.mu.Unlock()
	if due {
		return d.Flush()
	}
	return nil
}

// Flush writes samples.bench and manifest.json, each atomically. When samples.bench cannot
// be written (a full disk), the manifest is still written if it can be, counting only the
// samples that are on disk, run-wide and per case, so the folder stays consistent.
func (d *Dir) Flush() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.lastFlush = time.Now()
	var buf bytes.Buffer
	if err := EncodeSamples(&buf, d.config, d.samples); err != nil {
		return err
	}
	serr := WriteFileAtomic(filepath.Join(d.Path, "samples.bench"), buf.Bytes())
	if serr == nil {
		d.flushed = len(d.samples)
	} else {
		onDisk := map[*CaseState]int{}
		for _, s := range d.samples[:d.flushed] {
			onDisk[s.Case]++
		}
		for _, c := range d.manifest.Cases {
			c.Samples = onDisk[c]
		}
	}
	d.manifest.Samples = d.flushed
	js, err := json.MarshalIndent(d.manifest, "", "  ")
	if err != nil {
		return err
	}
	return errors.Join(serr, WriteFileAtomic(filepath.Join(d.Path, "manifest.json"), append(js, '\n')))
}

// Finish sets the run's final state and writes everything.
func (d *Dir) Finish(state, reason string) error {
	d.mu.Lock()
	now := time.Now().UTC()
	d.manifest.State, d.manifest.StateReason, d.manifest.Finished = state, reason, &now
	d.mu.Unlock()
	return d.Flush()
}

// EncodeSamples writes the configuration lines, the Unit lines and one benchmark line per sample.
func EncodeSamples(w *bytes.Buffer, config []benchfmt.Config, samples []Sample) error {
	bw := benchfmt.NewWriter(w)
	for _, u := range units.All() {
		if u.Derived {
			continue
		}
		for _, kv := range [][2]string{{"better", string(u.Better)}, {"assume", u.Assume}} {
			if kv[1] == "" {
				continue
			}
			m := &benchfmt.UnitMetadata{UnitMetadataKey: benchfmt.UnitMetadataKey{Unit: u.Name, Key: kv[0]}, OrigUnit: u.Name, Value: kv[1]}
			if err := bw.Write(m); err != nil {
				return err
			}
		}
	}
	for _, s := range samples {
		cfg := config
		if s.Case != nil && s.Case.State != CaseOK && s.Case.State != CasePending {
			cfg = append(config[:len(config):len(config)], benchfmt.Config{Key: CaseStateKey, Value: []byte(s.Case.State), File: true})
		}
		if s.Failed != "" {
			cfg = append(cfg[:len(cfg):len(cfg)], benchfmt.Config{Key: WindowStateKey, Value: []byte(WindowFailed), File: true})
		}
		r := &benchfmt.Result{Config: cfg, Name: benchfmt.Name(s.Key.String()), Iters: max(1, s.Iters), Values: s.Values}
		if err := bw.Write(r); err != nil {
			return err
		}
	}
	return nil
}

// Run is a run folder read back.
type Run struct {
	Path     string
	Manifest Manifest
	Results  []*benchfmt.Result // every sample line, in file order
	Units    benchfmt.UnitMetadataMap
	// Calibration is the instruments' check on the run's machine (calibration.json), nil if
	// the run was not calibrated; CalibrationErr says why a calibration.json could not be read.
	Calibration    *Calibration
	CalibrationErr string

	// endsMidLine is set by Load when samples.bench does not end with a newline: the harness
	// writes whole files atomically, so a last line without its end was cut (Check).
	endsMidLine bool
}

// Load reads a run folder. Its errors say which file is wrong and what is still usable.
func Load(path string) (*Run, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("no results folder at %s (give a folder under results/, e.g. results/latest)", path)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("%s is a file, not a results folder", path)
	}
	run := &Run{Path: path}
	mpath := filepath.Join(path, "manifest.json")
	data, err := os.ReadFile(mpath)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%s has no manifest.json: not a gorustbench run folder", path)
	} else if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(data, &run.Manifest); err != nil {
		return nil, fmt.Errorf("%s is corrupt (%v); samples.bench beside it can still be read with benchstat", mpath, err)
	}
	if run.Manifest.Schema != Schema {
		return nil, fmt.Errorf("%s has schema %d; this gorustbench reads schema %d", mpath, run.Manifest.Schema, Schema)
	}
	settleAbandoned(&run.Manifest)
	spath := filepath.Join(path, "samples.bench")
	data, err = os.ReadFile(spath)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	run.endsMidLine = len(data) > 0 && data[len(data)-1] != '\n'
	r := benchfmt.NewReader(bytes.NewReader(data), spath)
	for r.Scan() {
		switch rec := r.Result().(type) {
		case *benchfmt.Result:
			run.Results = append(run.Results, rec.Clone())
		case *benchfmt.SyntaxError:
			return nil, fmt.Errorf("%s is corrupt: %v", spath, rec)
		}
	}
	if err := r.Err(); err != nil {
		return nil, fmt.Errorf("reading %s: %w", spath, err)
	}
	run.Units = r.Units()
	if run.Calibration, err = ReadCalibration(path); err != nil {
		run.CalibrationErr = err.Error()
	}
	return run, nil
}

// Values returns every sample of the named benchmark in unit, in file order.
func (r *Run) Values(name, unit string) []float64 {
	var out []float64
	for _, res := range r.Results {
		if res.Name.String() != name {
			continue
		}
		for _, v := range res.Values {
			if v.OrigUnit == unit || (v.OrigUnit == "" && v.Unit == unit) {
				out = append(out, v.OrigValue)
				if v.OrigUnit == "" {
					out[len(out)-1] = v.Value
				}
			}
		}
	}
	return out
}

// LinkLatest points root/results/latest at the run folder out, when out is under
// root/results, replacing the link atomically. A "latest" that is a plain folder (made by
// someone, or by a tool that copied a run) is moved aside to latest.replaced-<time>, never
// deleted, and the link takes its place; the returned *MovedError says where it went.
func LinkLatest(root, out string) error {
	resultsDir := filepath.Join(root, "results")
	absResults, err1 := filepath.Abs(resultsDir)
	absOut, err2 := filepath.Abs(out)
	if err := errors.Join(err1, err2); err != nil {
		return err
	}
	rel, err := filepath.Rel(absResults, absOut)
	if err != nil || strings.HasPrefix(rel, "..") {
		return nil // a run outside results/ is not "the latest"
	}
	latest := filepath.Join(resultsDir, "latest")
	tmp := fmt.Sprintf("%s.tmp%d", latest, os.Getpid())
	_ = os.Remove(tmp)
	if err := os.Symlink(rel, tmp); err != nil {
		return err
	}
	var moved *MovedError
	if st, err := os.Lstat(latest); err == nil && st.Mode()&os.ModeSymlink == 0 {
		aside := fmt.Sprintf("%s.replaced-%s", latest, time.Now().UTC().Format("20060102-150405.000000000"))
		if err := os.Rename(latest, aside); err != nil {
			os.Remove(tmp)
			return fmt.Errorf("%s is not a symbolic link and could not be moved aside (%v), so it was not pointed at %s", latest, err, rel)
		}
		moved = &MovedError{Latest: latest, Aside: aside, Target: rel}
	}
	if err := os.Rename(tmp, latest); err != nil {
		os.Remove(tmp)
		return err
	}
	if moved != nil {
		return moved
	}
	return nil
}

// MovedError reports that LinkLatest found a plain folder at latest and moved it aside; the
// link was updated all the same.
type MovedError struct{ Latest, Aside, Target string }

func (e *MovedError) Error() string {
	return fmt.Sprintf("%s was a plain folder, not a link: moved it to %s and pointed latest at %s", e.Latest, e.Aside, e.Target)
}
