package results

import (
	"fmt"
	"path/filepath"

	"github.com/gorustbench/gorustbench/bench/key"
)

// Check reports whether a loaded folder's two files agree, so that a reader never judges a
// broken folder as if it were a run: samples.bench cut mid-line, or holding fewer sample
// lines than manifest.json counts (run-wide, or for a case), is truncated; holding more lines
// than counted run-wide is another run's samples or an edit. The one disagreement a working harness can leave is a
// folder it was killed in between writing samples.bench and manifest.json (Flush writes them
// in that order): a run still in state running whose samples.bench holds more lines than the
// manifest counts. Check says nothing about the run's state: an interrupted run that agrees
// with itself passes (see Finished).
func (r *Run) Check() error {
	spath := filepath.Join(r.Path, "samples.bench")
	if r.endsMidLine {
		return fmt.Errorf("%s ends in the middle of a line: the file was truncated", spath)
	}
	lenient := r.Manifest.State == StateRunning // killed between the two writes
	disagree := func(what string, manifest, lines int) error {
		if lines == manifest || (lenient && lines > manifest) {
			return nil
		}
		why := "the file was truncated"
		if lines > manifest {
			why = "the folder holds samples of another run, or was edited"
		}
		return fmt.Errorf("manifest.json counts %d sample(s)%s but %s holds %d: %s", manifest, what, spath, lines, why)
	}
	if err := disagree("", r.Manifest.Samples, len(r.Results)); err != nil {
		return err
	}
	perCase := map[string]int{}
	for _, res := range r.Results {
		if k, err := key.Parse(res.Name.String()); err == nil {
			perCase[k.Case().String()]++
		}
	}
	// Per case, only fewer lines than counted is a disagreement: a server case's samples are
	// counted under the case, its phases and levels alike, and hand-made fixtures count less.
	for _, c := range r.Manifest.Cases {
		if n := perCase[c.Name]; n < c.Samples {
			return fmt.Errorf("manifest.json counts %d sample(s) of %s but %s holds %d: the file was truncated", c.Samples, c.Name, spath, n)
		}
	}
	return nil
}

// Finished reports why the run cannot stand for a whole run, or "" when it ended: a run
// interrupted by a signal, or one still in state running (in progress, or its harness was
// killed).
func (r *Run) Finished() string {
	switch r.Manifest.State {
	case StateComplete:
		return ""
	case StateInterrupted:
		why := "the run was interrupted"
		if r.Manifest.StateReason != "" {
			why += " (" + r.Manifest.StateReason + ")"
		}
		return why
	case StateRunning:
		return "the run never finished: it is still running, or its harness was killed"
	}
	return fmt.Sprintf("the run is in state %q", r.Manifest.State)
}
