package claims

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gorustbench/gorustbench/bench/key"
	"github.com/gorustbench/gorustbench/bench/stats"
	"github.com/gorustbench/gorustbench/bench/suite"
	"github.com/gorustbench/gorustbench/bench/units"
)

// jsonGoFast are the Go libraries that generate code or are built for speed, against which
// encoding/json is "average".
var jsonGoFast = []string{suite.GoEasyJSON, suite.GoSonic, suite.GoSonicCopy, suite.GoGoJSON, suite.GoJSONv2}

// jsonKey names one json case: implementation, shape and size in MiB.
func jsonKey(impl, shape string, mib int64) key.Key {
	return key.Key{Bench: suite.JSON.Title, Impl: impl, Shape: shape, Size: key.N(mib)}
}

// jsonGrid lists the shapes and sizes the run has json samples for, sizes ascending.
func (e *Evidence) jsonGrid() (shapes []string, sizes []int64) {
	for _, k := range e.T.Keys(func(k key.Key) bool { return k.Bench == suite.JSON.Title }) {
		if !slices.Contains(shapes, k.Shape) {
			shapes = append(shapes, k.Shape)
		}
		if !slices.Contains(sizes, k.Size.V) {
			sizes = append(sizes, k.Size.V)
		}
	}
	slices.Sort(sizes)
	return shapes, sizes
}

// jsonPick is the implementation standing for one side of a pairing at (shape, size): its only
// one, or the best of several by unit (the fastest, the leanest). false if none has samples.
func (e *Evidence) jsonPick(ids []string, shape string, mib int64, unit string) (string, bool) {
	return e.bestOf(ids, func(id string) key.Key { return jsonKey(id, shape, mib) }, unit, false)
}

// sides names a pairing's implementations, for its verdict: "go-std vs rust-serde", "go-chan
// vs the best of rust-crossbeam, rust-flume" (the best by the measure judged, at each shape
// and size).
func sides(p Pairing) string {
	side := func(ids []string) string {
		if len(ids) == 1 {
			return ids[0]
		}
		return "the best of " + strings.Join(ids, ", ")
	}
	return side(p.Go) + " vs " + side(p.Rust)
}

// perShape judges a part at every shape and combines them by majority.
func perShape(shapes []string, label string, judge func(shape string) Part) Part {
	var parts []Part
	for _, shape := range shapes {
		p := judge(shape)
		p.Name = shape + ": " + p.Name
		parts = append(parts, p)
	}
	v := majority("shapes", parts)
	out := Part{Name: label, Verdict: v.Verdict, Basis: v.Basis}
	// Shapes that already hold and contradict cannot both be reversed by more samples.
	opposed := slices.ContainsFunc(parts, func(p Part) bool { return p.Verdict == Holds }) &&
		slices.ContainsFunc(parts, func(p Part) bool { return p.Verdict == Contradicted })
	for _, p := range parts {
		for _, c := range p.Cases {
			if !slices.Contains(out.Cases, c) {
				out.Cases = append(out.Cases, c)
			}
		}
		out.Undecided = out.Undecided || (v.Verdict == Inconclusive && !opposed && p.Undecided)
	}
	return out
}

// evalSerialization (lines 307, 319), at every shape of the largest size run, by decode time
// per document: encoding/json is slower than the fastest code-generating or fast Go library;
// and on each pairing, the Rust side decodes faster than the Go side, the more so at the
// largest size than at the smallest. Each part is decided by a majority of shapes.
func evalSerialization(e *Evidence, c *Claim) Verdict {
	shapes, sizes := e.jsonGrid()
	if len(sizes) == 0 {
		return Verdict{Verdict: NotMeasured, Basis: "the json workload did not run"}
	}
	big, small := sizes[len(sizes)-1], sizes[0]
	std := perShape(shapes, fmt.Sprintf("encoding/json is slower than the fastest other Go library (%d MiB)", big), func(shape string) Part {
		fast, ok := e.jsonPick(jsonGoFast, shape, big, units.DecodeNs)
		if !ok {
			return notMeasured("decode", "no fast Go library ended ok")
		}
		return e.orderKeys(fast+" vs go-std, decode time", jsonKey(fast, shape, big), jsonKey(suite.GoStd, shape, big), units.DecodeNs)
	})
	return acrossPairings(c, func(p Pairing) (Verdict, string) {
		wins := perShape(shapes, fmt.Sprintf("Rust decodes faster (%d MiB)", big), func(shape string) Part {
			return e.decodeFaster(p, shape, big)
		})
		if wins.Verdict == NotMeasured {
			return Verdict{Verdict: NotMeasured, Basis: wins.Basis}, sides(p)
		}
		large := notMeasured("above all on large data", "the run has one document size; the full and quick profiles have two or more")
		if big != small {
			large = perShape(shapes, fmt.Sprintf("above all on large data (%d MiB vs %d MiB)", big, small), func(shape string) Part {
				return e.growsWithSize(p, shape, big, small)
			})
		}
		return combine(std, wins, large), sides(p)
	})
}

// jsonPair picks the pairing's fastest Go and Rust libraries (decode time) at a shape and
// size; false when either side has none that ended ok.
func (e *Evidence) jsonPair(p Pairing, shape string, mib int64) (goImpl, rustImpl string, ok bool) {
	g, ok1 := e.jsonPick(p.Go, shape, mib, units.DecodeNs)
	r, ok2 := e.jsonPick(p.Rust, shape, mib, units.DecodeNs)
	return g, r, ok1 && ok2
}

// decodeFaster is the part "Rust decodes faster" at one shape and size, on pairing p.
func (e *Evidence) decodeFaster(p Pairing, shape string, mib int64) Part {
	g, r, ok := e.jsonPair(p, shape, mib)
	if !ok {
		return notMeasured("decode", "no implementation of one side ended ok")
	}
	return e.orderKeys(r+" vs "+g+", decode time", jsonKey(r, shape, mib), jsonKey(g, shape, mib), units.DecodeNs)
}

// growsWithSize is the part "above all on large data" at one shape: Go's decode time over
// Rust's (the pairing's fastest at each size) is larger at the big size than at the small one.
func (e *Evidence) growsWithSize(p Pairing, shape string, big, small int64) Part {
	ratio := func(mib int64) (stats.Ratio, string, bool) {
		g, r, ok := e.jsonPair(p, shape, mib)
		if !ok {
			return stats.Ratio{}, "", false
		}
		gk, rk := jsonKey(g, shape, mib), jsonKey(r, shape, mib)
		return stats.PairedRatioAt(e.T.Values(gk, units.DecodeNs), e.T.Values(rk, units.DecodeNs), e.T.Level(gk, rk)), g + "/" + r, true
	}
	rb, wb, ok1 := ratio(big)
	rs, ws, ok2 := ratio(small)
	if !ok1 || !ok2 || !rb.HasInterval() || !rs.HasInterval() {
		return notMeasured("Go / Rust decode time", "no interval for the ratio at both sizes")
	}
	v := Inconclusive
	switch {
	case rb.Lo > rs.Hi:
		v = Holds
	case rb.Hi < rs.Lo:
		v = Contradicted
	}
	return Part{Name: "Go / Rust decode time", Verdict: v, Basis: fmt.Sprintf("%d MiB %s %s; %d MiB %s %s", big, wb, ratioText(rb), small, ws, ratioText(rs))}
}

// evalDataPipelineMemory (lines 2027-2029): with large data Rust is more memory efficient: on
// each pairing, peak RSS per input byte at the largest size, the Rust side against the Go
// side, by a majority of shapes; the smallest size and the trend over sizes are shown.
func evalDataPipelineMemory(e *Evidence, c *Claim) Verdict {
	shapes, sizes := e.jsonGrid()
	if len(sizes) == 0 {
		return Verdict{Verdict: NotMeasured, Basis: "the json workload did not run"}
	}
	big, small := sizes[len(sizes)-1], sizes[0]
	return acrossPairings(c, func(p Pairing) (Verdict, string) {
		at := func(mib int64) func(shape string) Part {
			return func(shape string) Part {
				g, ok1 := e.jsonPick(p.Go, shape, mib, units.RSSPerInput)
				r, ok2 := e.jsonPick(p.Rust, shape, mib, units.RSSPerInput)
				if !ok1 || !ok2 {
					return notMeasured("peak RSS per input byte", "no implementation of one side ended ok")
				}
				return e.orderKeys(r+" vs "+g+", peak RSS per input byte", jsonKey(r, shape, mib), jsonKey(g, shape, mib), units.RSSPerInput)
			}
		}
		parts := []Part{perShape(shapes, fmt.Sprintf("Rust uses less memory per input byte at %d MiB", big), at(big))}
		if small != big {
			s := perShape(shapes, fmt.Sprintf("small data (%d MiB), shown: the report's small-data half names no resource to judge", small), at(small))
			parts = append(parts, informs(s))
		}
		return combine(parts...), sides(p)
	})
}
