package runner

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/gorustbench/gorustbench/bench/peer"
	"github.com/gorustbench/gorustbench/bench/results"
)

// KnownAnswers is the table of the CPU kernels' checksums by size (workload size checksum, a
// line each; # comments), relative to Runner.Root unless absolute. The peers' own tests
// check against it; the harness uses it to verify an implementation that has no other to
// agree with.
var KnownAnswers = "workloads/testdata/kernels.txt"

// answers reads the known checksums of workload by size; nil when the table has none.
func (r *Runner) answers(workload string) map[int64]string {
	path := KnownAnswers
	if !filepath.IsAbs(path) {
		path = filepath.Join(r.Root, path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	var out map[int64]string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) != 3 || fs[0] != workload {
			continue
		}
		if n, err := strconv.ParseInt(fs[1], 10, 64); err == nil {
			if out == nil {
				out = map[int64]string{}
			}
			out[n] = fs[2]
		}
	}
	return out
}

// verifyAlone checks the one implementation of a group whose workload fixes no answer, whose
// size the known-answer table lacks (runGroup checks every case against the table where it
// has the size), and that has no other implementation to agree with (the others were not
// selected, or failed). Where the table has the workload at other sizes, the peer runs once
// more at the smallest of them (cheap) and must compute that answer. Otherwise its output
// cannot be checked: the case is marked unverified, in the manifest and the report.
func (r *Runner) verifyAlone(ctx context.Context, cr *caseRun) error {
	size, answer, source := r.smallAnswer(cr)
	tol := cr.c.Workload.Tolerance
	if answer == "" {
		r.Dir.Manifest(func(*results.Manifest) {
			cr.st.Unverified = fmt.Sprintf("no other implementation computed %s with these parameters and the harness knows no answer for it: its output is not checked", cr.c.Workload.Name)
		})
		return nil
	}
	table := map[int64]string{size: answer}
	small := *cr.c
	small.Params.Size = size
	_, err1 := fmt.Fprintf(cr.out, "=== reference run at size %d (known answer %s)\n", size, table[size])
	_, err2 := fmt.Fprintf(cr.err, "=== reference run at size %d (known answer %s)\n", size, table[size])
	if err1 != nil || err2 != nil {
		return &WriteError{fmt.Errorf("writing logs: %v", firstErr(err1, err2))}
	}
	smallPath, smallArgs := small.Argv(r.Root)
	o, err := Exec(ctx, Spec{Path: smallPath, Args: smallArgs, Env: cr.st.Env, CPUs: cr.st.CPUs,
		Timeout: small.Timeout, Stdout: cr.out, Stderr: cr.err})
	r.noteEscaped(cr, o)
	var we *WriteError
	if errors.Is(err, ErrInterrupted) || errors.As(err, &we) {
		return err
	}
	if err != nil {
		r.fail(cr, fmt.Sprintf("reference run at size %d: %v", size, err))
		return nil
	}
	if why := o.Failure(small.Timeout); why != "" {
		r.fail(cr, fmt.Sprintf("reference run at size %d %s", size, why))
		return nil
	}
	res, err := parseResult(o, small.Expect())
	if err == nil {
		err = peer.SameChecksum(res.Checksum, table[size], tol)
	}
	if err != nil {
		r.fail(cr, fmt.Sprintf("wrong output: at size %d, where the answer is known (%s): %v", size, source, err))
		return nil
	}
	r.note(cr, fmt.Sprintf("output verified at size %d against its known answer (%s): no other implementation ran at size %d", size, source, cr.c.Params.Size))
	return nil
}

// smallAnswer picks a small size at which cr's answer is known, the answer, and where it is
// from: the smallest size of the known-answer table, or, for a workload whose answer the
// harness computes only up to some size (matmul), the largest of 64, 32, ... 4 it computes.
// size 0 and "" when there is none.
func (r *Runner) smallAnswer(cr *caseRun) (size int64, answer, source string) {
	if table := r.answers(cr.c.Workload.PeerName()); len(table) > 0 {
		size = -1
		for n := range table {
			if size < 0 || n < size {
				size = n
			}
		}
		return size, table[size], KnownAnswers
	}
	if cr.c.Workload.Answer != nil {
		for n := int64(64); n >= 4; n /= 2 {
			p := cr.c.Params
			p.Size = n
			if a := cr.c.Workload.Answer(p); a != "" {
				return n, a, "computed by the harness"
			}
		}
	}
	return 0, "", ""
}

func (r *Runner) note(cr *caseRun, note string) {
	r.Dir.Manifest(func(*results.Manifest) { cr.st.Notes = append(cr.st.Notes, note) })
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}
