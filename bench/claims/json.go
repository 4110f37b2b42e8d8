package claims

import (
	"fmt"
	"slices"

	"github.com/gorustbench/gorustbench/bench/key"
	"github.com/gorustbench/gorustbench/bench/stats"
	"github.com/gorustbench/gorustbench/bench/suite"
	"github.com/gorustbench/gorustbench/bench/units"
)

// jsonGoFast are the Go libraries that generate code or are built for speed, against which
// encoding/json is "average".
var jsonGoFast = []string{"go-easyjson", "go-sonic", "go-gojson", "go-v2"}

// jsonCell names one json case: implementation, shape and size in MiB.
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

// fastest is the implementation among impls with the lowest median in unit at (shape, size).
func (e *Evidence) fastest(impls []string, shape string, mib int64, unit string) (string, bool) {
	best, bestV := "", 0.0
	for _, impl := range impls {
		if s, ok := e.Summary(jsonKey(impl, shape, mib), unit); ok && (best == "" || s.Center < bestV) {
			best, bestV = impl, s.Center
		}
	}
	return best, best != ""
}

// evalSerialization (lines 307, 319), at every shape of the largest size run, by decode time
// per document: encoding/json is slower than the fastest code-generating or fast Go library;
// serde_json (owned) is faster than that fastest Go library; borrowing (zero copy) makes serde
// faster still; and "above all on large data": the fastest Go / serde time ratio is larger at
// the largest size than at the smallest. Each part is decided by a majority of shapes.
func evalSerialization(e *Evidence, c *Claim) Verdict {
	shapes, sizes := e.jsonGrid()
	if len(sizes) == 0 {
		return Verdict{Verdict: NotMeasured, Basis: "the json workload did not run"}
	}
	big, small := sizes[len(sizes)-1], sizes[0]
	perShape := func(label string, judge func(shape string) Part) Part {
		var parts []Part
		for _, shape := range shapes {
			p := judge(shape)
			p.Name = shape + ": " + p.Name
			parts = append(parts, p)
		}
		v := majority("shapes", parts)
		return Part{Name: label, Verdict: v.Verdict, Basis: v.Basis}
	}
	std := perShape(fmt.Sprintf("encoding/json is slower than the fastest other Go library (%d MiB)", big), func(shape string) Part {
		fast, ok := e.fastest(jsonGoFast, shape, big, units.DecodeNs)
		if !ok {
			return notMeasured("decode", "no fast Go library ended ok")
		}
		return e.orderKeys(fast+" vs go-std, decode time", jsonKey(fast, shape, big), jsonKey("go-std", shape, big), units.DecodeNs)
	})
	serde := perShape(fmt.Sprintf("serde_json beats the fastest Go library (%d MiB)", big), func(shape string) Part {
		fast, ok := e.fastest(append([]string{"go-std"}, jsonGoFast...), shape, big, units.DecodeNs)
		if !ok {
			return notMeasured("decode", "no Go library ended ok")
		}
		return e.orderKeys("rust-serde vs "+fast+", decode time", jsonKey("rust-serde", shape, big), jsonKey(fast, shape, big), units.DecodeNs)
	})
	borrow := perShape(fmt.Sprintf("zero copy: borrowing beats owned serde (%d MiB)", big), func(shape string) Part {
		return e.orderKeys("rust-serde-borrow vs rust-serde, decode time", jsonKey("rust-serde-borrow", shape, big), jsonKey("rust-serde", shape, big), units.DecodeNs)
	})
	large := notMeasured("above all on large data", "the run has one document size; the full and quick profiles have two or more")
	if big != small {
		large = perShape(fmt.Sprintf("above all on large data (%d MiB vs %d MiB)", big, small), func(shape string) Part {
			ratio := func(mib int64) (stats.Ratio, bool) {
				fast, ok := e.fastest(append([]string{"go-std"}, jsonGoFast...), shape, mib, units.DecodeNs)
				if !ok {
					return stats.Ratio{}, false
				}
				return stats.PairedRatio(e.T.Values(jsonKey(fast, shape, mib), units.DecodeNs), e.T.Values(jsonKey("rust-serde", shape, mib), units.DecodeNs)), true
			}
			rb, ok1 := ratio(big)
			rs, ok2 := ratio(small)
			if !ok1 || !ok2 || !rb.HasInterval() || !rs.HasInterval() {
				return notMeasured("fastest Go / serde", "no interval for the ratio at both sizes")
			}
			v := Inconclusive
			switch {
			case rb.Lo > rs.Hi:
				v = Holds
			case rb.Hi < rs.Lo:
				v = Contradicted
			}
			return Part{Name: "fastest Go / serde decode time", Verdict: v, Basis: fmt.Sprintf("%d MiB %s; %d MiB %s", big, ratioText(rb), small, ratioText(rs))}
		})
	}
	return combine(std, serde, informs(borrow), large)
}

// evalDataPipelineMemory (lines 2027-2029): with large data Rust is more memory efficient:
// peak RSS per input byte at the largest size, serde_json (owned) against encoding/json and
// against the Go library with the least, by a majority of shapes; the trend over sizes is shown.
func evalDataPipelineMemory(e *Evidence, c *Claim) Verdict {
	shapes, sizes := e.jsonGrid()
	if len(sizes) == 0 {
		return Verdict{Verdict: NotMeasured, Basis: "the json workload did not run"}
	}
	big := sizes[len(sizes)-1]
	var vsStd, vsBest []Part
	var trend []Part
	goImpls := append([]string{"go-std"}, jsonGoFast...)
	for _, shape := range shapes {
		p := e.orderKeys(shape+": rust-serde vs go-std", jsonKey("rust-serde", shape, big), jsonKey("go-std", shape, big), units.RSSPerInput)
		vsStd = append(vsStd, p)
		if best, ok := e.fastest(goImpls, shape, big, units.RSSPerInput); ok {
			vsBest = append(vsBest, e.orderKeys(shape+": rust-serde vs "+best+" (the Go library with the least)", jsonKey("rust-serde", shape, big), jsonKey(best, shape, big), units.RSSPerInput))
		}
		line := ""
		for _, mib := range sizes {
			g, ok1 := e.Summary(jsonKey("go-std", shape, mib), units.RSSPerInput)
			r, ok2 := e.Summary(jsonKey("rust-serde", shape, mib), units.RSSPerInput)
			if ok1 && ok2 {
				line += fmt.Sprintf(" %d MiB: go-std %.3g, serde %.3g;", mib, g.Center, r.Center)
			}
		}
		if line != "" {
			trend = append(trend, informs(Part{Name: shape + ": peak RSS per input byte by size", Verdict: Inconclusive, Basis: line}))
		}
	}
	a, b := majority("shapes", vsStd), majority("shapes", vsBest)
	parts := []Part{
		{Name: fmt.Sprintf("serde uses less memory per input byte than encoding/json at %d MiB", big), Verdict: a.Verdict, Basis: a.Basis},
		{Name: fmt.Sprintf("serde uses less than the leanest Go library at %d MiB", big), Verdict: b.Verdict, Basis: b.Basis},
	}
	return combine(append(parts, trend...)...)
}
