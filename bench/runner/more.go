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
// a server case's warm start-up key (its timed starts alone). A round is always a round of
// the named case's whole group (every implementation of it that ended ok), so that samples
// paired by round stay paired: Costs prices it so. The folder holds every sample so far when
// it is called.
type MoreFunc func(look int, costs Costs) (names []string, rounds int)

// Costs are what one more round costs, measured on the rounds so far.
type Costs struct {
	// Round is, per name a MoreFunc may give, the cost of one round of its group.
	Round map[string]time.Duration
	// Group is, per name, its group: names of one group share one round (and its cost).
	Group map[string]string
}

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
// take part; each records its looks in the manifest (CaseState.Looks, or StartLooks for a
// server's starts alone), which makes the intervals over the samples it adds stricter
// (stats.LookConfidence). A case that fails in an extra round fails as in any other.
func (r *Runner) moreRounds(ctx context.Context, groups [][]*caseRun, done *int) error {
	if r.More == nil {
		return nil
	}
	for look := 1; ; look++ {
		if err := r.Dir.Flush(); err != nil {
			return fmt.Errorf("writing results: %w", err)
		}
		names, rounds := r.More(look, r.costs(groups))
		if len(names) == 0 || rounds < 1 {
			return nil
		}
		var picked [][]*caseRun
		runs := 0
		for _, g := range groups {
			sel := picks(g, names)
			for _, cr := range sel {
				runs += rounds * extraRuns(cr)
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
					if cr.startsOnly {
						cr.st.StartLooks = look + 1
					} else {
						cr.st.Looks = look + 1
					}
				}
			}
		})
		for _, sel := range picked {
			for i := range rounds {
				if err := r.extraRound(ctx, takers(sel), look*rounds+i, done); err != nil {
					return err
				}
			}
		}
	}
}

// costs prices one more round of each group, under every name a MoreFunc may give for one of
// its cases: the sum of its ok cases' round costs (a server group's starts alone, under a
// start-up key, cost its starts).
func (r *Runner) costs(groups [][]*caseRun) Costs {
	c := Costs{Round: map[string]time.Duration{}, Group: map[string]string{}}
	for _, g := range groups {
		var full, starts time.Duration
		known := true
		ok := inState(g, results.CaseOK)
		for _, cr := range ok {
			d, measured := cr.roundCost()
			known = known && measured
			full, starts = full+d, starts+cr.timedCost.mean()
		}
		if !known {
			continue
		}
		for _, cr := range ok {
			c.Round[cr.st.Name], c.Group[cr.st.Name] = full, cr.st.Group
			if cr.c.Workload.Server {
				c.Round[startKey(cr)], c.Group[startKey(cr)] = starts, cr.st.Group+" starts"
			}
		}
	}
	return c
}

// picks are the cases of group g that a round for names takes: every case of g that ended ok
// (and has not failed an extra round), when any of them is named; a server group's rounds are
// timed starts alone (startsOnly) unless a case of it is named by its name.
func picks(g []*caseRun, names []string) []*caseRun {
	named, full := false, false
	for _, cr := range g {
		if slices.Contains(names, cr.st.Name) {
			named, full = true, true
		}
		if cr.c.Workload.Server && slices.Contains(names, startKey(cr)) {
			named = true
		}
	}
	if !named {
		return nil
	}
	sel := takers(g)
	for _, cr := range sel {
		cr.startsOnly = cr.c.Workload.Server && !full
	}
	return sel
}

// takers are the cases of g that take extra rounds: ended ok, and no extra round failed.
func takers(g []*caseRun) []*caseRun {
	var out []*caseRun
	for _, cr := range inState(g, results.CaseOK) {
		if cr.extraFailed == "" {
			out = append(out, cr)
		}
	}
	return out
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

// keepPlanned undoes a failure in an extra round: the case's planned rounds ended ok, so it
// stays ok with every sample it has, a note says what failed, and it takes no more rounds
// (its group's later rounds pair with it no further). A case the round left pending (an
// interruption) is ok: its planned rounds are whole.
func (r *Runner) keepPlanned(sel []*caseRun) {
	r.Dir.Manifest(func(*results.Manifest) {
		for _, cr := range sel {
			switch cr.st.State {
			case results.CaseFailed:
				cr.extraFailed = cr.st.Reason
				cr.st.Notes = append(cr.st.Notes, "an extra round (sequential sampling) failed: "+cr.st.Reason+"; its planned samples and the extra ones before stand, and it took no more rounds")
				cr.st.State, cr.st.Reason = results.CaseOK, cr.reason
			case results.CasePending:
				cr.st.State = results.CaseOK
			}
		}
	})
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
		cr.reason = cr.st.Reason
	}
	defer r.keepPlanned(sel)
	if !sel[0].c.Workload.Server {
		restore, err := PinHarness(r.CPUs)
		if err != nil {
			return err
		}
		defer restore()
		return r.batchRound(ctx, sel, round, done)
	}
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
