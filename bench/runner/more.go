package runner

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/gorustbench/gorustbench/bench/results"
)

// MoreFunc decides, at look number look (1: the planned samples are in), what gets more
// interleaved rounds, and how many rounds; none stops. What is named by a key: a case's name
// (its every measurement: a timed run; a server's timed start and round of load windows), or
// a server case's warm start-up key (its timed starts alone). cost is the cost of one round
// of each, measured on the case's runs so far. The folder holds every sample so far when it
// is called.
type MoreFunc func(look int, cost map[string]time.Duration) (cases []string, rounds int)

// Replanner is a Progress that hears that the planned total grew (extra rounds).
type Replanner interface {
	Replan(total int, why string)
}

// cost is the time a case's runs of one kind took, to price one more.
type cost struct {
	sum time.Duration
	n   int
}

func (c *cost) add(d time.Duration) { c.sum, c.n = c.sum+d, c.n+1 }

// mean is the average run; 0 when none ran.
func (c cost) mean() time.Duration {
	if c.n == 0 {
		return 0
	}
	return c.sum / time.Duration(c.n)
}

// roundCost is the cost of one more round of cr; false when nothing of it was timed.
func (cr *caseRun) roundCost() (time.Duration, bool) {
	if cr.timedCost.n == 0 {
		return 0, false
	}
	return cr.timedCost.mean() + cr.loadCost.mean(), true
}

// moreRounds is sequential sampling (see MoreFunc): it asks r.More, gives the cases it names
// one more interleaved round each, group by group, and asks again. Only cases that ended ok
// take part; each records its looks in the manifest (CaseState.Looks), which makes the
// intervals over its samples stricter (stats.LookConfidence). A case that fails in an extra
// round fails as in any other.
func (r *Runner) moreRounds(ctx context.Context, groups [][]*caseRun, done *int) error {
	if r.More == nil {
		return nil
	}
	for look := 1; ; look++ {
		if err := r.Dir.Flush(); err != nil {
			return fmt.Errorf("writing results: %w", err)
		}
		costs := map[string]time.Duration{}
		for _, g := range groups {
			for _, cr := range g {
				if c, ok := cr.roundCost(); ok && cr.st.State == results.CaseOK {
					costs[cr.st.Name] = c
					if cr.c.Workload.Server {
						costs[startKey(cr)] = cr.timedCost.mean()
					}
				}
			}
		}
		names, rounds := r.More(look, costs)
		if len(names) == 0 || rounds < 1 {
			return nil
		}
		var picked [][]*caseRun
		runs := 0
		for _, g := range groups {
			var sel []*caseRun
			for _, cr := range g {
				cr.startsOnly = !slices.Contains(names, cr.st.Name)
				if cr.st.State == results.CaseOK && (!cr.startsOnly || cr.c.Workload.Server && slices.Contains(names, startKey(cr))) {
					sel = append(sel, cr)
					runs += rounds * extraRuns(cr)
				}
			}
			if len(sel) > 0 {
				picked = append(picked, sel)
			}
		}
		if len(picked) == 0 {
			return nil
		}
		if p, ok := r.Progress.(Replanner); ok {
			p.Replan(*done+runs, fmt.Sprintf("sequential sampling, look %d: %d more round(s) of %d case(s), for verdicts still undecided", look, rounds, len(names)))
		}
		r.Dir.Manifest(func(*results.Manifest) {
			for _, sel := range picked {
				for _, cr := range sel {
					cr.st.Looks = look + 1
				}
			}
		})
		for _, sel := range picked {
			for i := range rounds {
				if err := r.extraRound(ctx, inState(sel, results.CaseOK), look*rounds+i, done); err != nil {
					return err
				}
			}
		}
	}
}

// startKey is the key of a server case's warm start-ups, which names its starts alone.
func startKey(cr *caseRun) string { return cr.c.Key().Startup(false).String() }

// extraRuns is how many peer runs one extra round of cr takes, for the progress total.
func extraRuns(cr *caseRun) int {
	if !cr.c.Workload.Server {
		return 1
	}
	n := 1
	if l := cr.c.Load; l != nil && cr.slowest > 0 && !cr.startsOnly {
		n += 1 + len(l.Fractions)
		if l.StallsFraction > 0 {
			n++
		}
	}
	return n
}

// extraRound is one more interleaved round of sel, cases of one group that ended ok, rotated
// by round: a timed run each (batch), or a timed start each and, unless startsOnly, a round
// of load windows (servers). They run as pending again, and end ok unless they failed.
func (r *Runner) extraRound(ctx context.Context, sel []*caseRun, round int, done *int) error {
	if len(sel) == 0 {
		return nil
	}
	for _, cr := range sel {
		cr.st.State = results.CasePending
	}
	if !sel[0].c.Workload.Server {
		restore, err := PinHarness(r.CPUs)
		if err != nil {
			return err
		}
		defer restore()
		err = r.batchRound(ctx, sel, round, done)
		r.endPending(sel)
		return err
	}
	defer r.endPending(sel)
	for _, cr := range rotated(sel, round) {
		began := time.Now()
		s, err := r.serverStart(ctx, cr, phaseTimed, false, done)
		if err != nil {
			return err
		}
		if s != nil {
			cr.timedCost.add(time.Since(began))
			if err := r.record(cr, *s); err != nil {
				return err
			}
		}
	}
	var loads []*caseRun
	for _, cr := range live(sel) {
		if !cr.startsOnly {
			loads = append(loads, cr)
		}
	}
	if sel[0].c.Load == nil || sel[0].slowest == 0 || len(loads) == 0 {
		return nil
	}
	return r.withLoad(ctx, loads, done, func(load loadWindow) error {
		return r.loadRound(ctx, loads, round, load)
	})
}
