// Package jsondoc generates the json workload's input documents (workloads/README.md, "json"):
// three shapes, social, catalog and geo, from the workloads' one generator (splitmix64), so
// that a seed and a size always give the same bytes. The harness calls Generate and caches
// the files; cmd/jsongen writes one for tests and for humans.
//
// std only: the harness imports this package.
package jsondoc

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"github.com/gorustbench/gorustbench/workloads/peerkit"
)

// Version changes whenever Generate's output for some arguments changes: a cache of
// generated documents keys on it (with shape, size and seed) and regenerates on a change.
const Version = 1

// Shapes are the document shapes Generate knows, in the order the suite lists them.
var Shapes = []string{"social", "catalog", "geo"}

// Generate writes one document of shape to w: records are appended until at least
// approxBytes bytes are written (at least one record), then the document is closed, so the
// file is approxBytes plus less than one record. The same arguments give the same bytes.
func Generate(w io.Writer, shape string, approxBytes int64, seed uint64) error {
	g := &gen{rng: peerkit.NewSplitMix64(seed)}
	bw := bufio.NewWriterSize(w, 1<<16)
	cw := &countWriter{w: bw}
	var err error
	switch shape {
	case "social":
		err = g.social(cw, approxBytes)
	case "catalog":
		err = g.catalog(cw, approxBytes)
	case "geo":
		err = g.geo(cw, approxBytes)
	default:
		return fmt.Errorf("jsondoc: unknown shape %q (have social, catalog, geo)", shape)
	}
	if err != nil {
		return err
	}
	if cw.err != nil {
		return cw.err
	}
	return bw.Flush()
}

type countWriter struct {
	w   *bufio.Writer
	n   int64
	err error
}

func (c *countWriter) Write(b []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.w.Write(b)
	c.n += int64(n)
	c.err = err
	return n, err
}

type gen struct {
	rng *peerkit.SplitMix64
	b   []byte // the record being built
}

// below returns a value in [0, n).
func (g *gen) below(n uint64) uint64 { return g.rng.Next() % n }

func (g *gen) pick(list []string) string { return list[g.below(uint64(len(list)))] }

func (g *gen) raw(s string) { g.b = append(g.b, s...) }
func (g *gen) key(k string) {
	g.b = append(g.b, '"')
	g.b = append(g.b, k...)
	g.b = append(g.b, `":`...)
}
func (g *gen) str(s string)   { g.b = append(g.b, '"'); g.b = append(g.b, s...); g.b = append(g.b, '"') }
func (g *gen) u64(v uint64)   { g.b = strconv.AppendUint(g.b, v, 10) }
func (g *gen) i64(v int64)    { g.b = strconv.AppendInt(g.b, v, 10) }
func (g *gen) boolean(v bool) { g.b = strconv.AppendBool(g.b, v) }

// fixed appends v with d decimals: at most ~10 significant digits, which every parser in
// the workload rounds exactly (see README), so checksums can be compared exactly.
func (g *gen) fixed(v float64, d int) { g.b = strconv.AppendFloat(g.b, v, 'f', d, 64) }

// Fragments of JSON string content, written as they are (already escaped where they must be):
// ASCII words, CJK, Hangul, emoji raw and as surrogate-pair escapes, and the common escapes.
var (
	asciiWords = []string{"the", "fast", "benchmark", "go", "rust", "serde", "gopher", "crab", "json",
		"parser", "latency", "memory", "throughput", "garbage", "collector", "zero", "copy", "release"}
	unicodeWords = []string{"東京", "数据", "性能测试", "日本語のテキスト", "서울", "高速", "零拷贝", "Ünïcödé",
		"😀", "🚀", "🎉", "👩‍💻", "café", "naïve", "Ελληνικά", "кириллица"}
	escapeWords = []string{`\"quoted\"`, `back\\slash`, `line\nbreak`, `tab\there`, `caf\u00e9`,
		`\ud83d\ude80`, `\u6771\u4eac`, `a\/b`, `\r\n`, `\u0001ctl`}
	langs = []string{"en", "ja", "zh", "ko", "fr", "de", "ru", "el"}
	sizes = []string{"XS", "S", "M", "L", "XL"}
)

// text appends words separated by spaces: mostly ASCII, a quarter Unicode, a tenth escapes.
func (g *gen) text(minWords, maxWords uint64) {
	n := minWords + g.below(maxWords-minWords+1)
	g.b = append(g.b, '"')
	for i := range n {
		if i > 0 {
			g.b = append(g.b, ' ')
		}
		switch r := g.below(20); {
		case r < 2:
			g.raw(g.pick(escapeWords))
		case r < 7:
			g.raw(g.pick(unicodeWords))
		default:
			g.raw(g.pick(asciiWords))
		}
	}
	g.b = append(g.b, '"')
}

// handle appends an ASCII identifier like "gopher_4821".
func (g *gen) handle() {
	g.b = append(g.b, '"')
	g.raw(g.pick(asciiWords))
	g.b = append(g.b, '_')
	g.u64(g.below(100000))
	g.b = append(g.b, '"')
}

func (g *gen) flush(w *countWriter) {
	w.Write(g.b)
	g.b = g.b[:0]
}

func (g *gen) social(w *countWriter, approx int64) error {
	w.Write([]byte(`{"posts":[`))
	for i := 0; ; i++ {
		if i > 0 {
			g.raw(",\n")
		}
		g.raw(`{"id":`)
		g.u64(g.rng.Next()) // full 64-bit range: above 2^53 and above i64
		g.raw(`,"user":{"id":`)
		g.u64(g.rng.Next())
		g.raw(`,"name":`)
		g.text(1, 3)
		g.raw(`,"screen_name":`)
		g.handle()
		g.raw(`,"verified":`)
		g.boolean(g.below(4) == 0)
		g.raw(`,"followers":`)
		g.i64(int64(g.below(10_000_000)))
		g.raw(`,"bio":`)
		if g.below(3) == 0 {
			g.raw("null")
		} else {
			g.text(3, 12)
		}
		g.raw(`},"text":`)
		g.text(5, 40)
		g.raw(`,"created_at":"2026-`)
		g.b = fmt.Appendf(g.b, "%02d-%02dT%02d:%02d:%02dZ\"", 1+g.below(12), 1+g.below(28), g.below(24), g.below(60), g.below(60))
		g.raw(`,"score":`)
		g.i64(int64(g.below(2_000_001)) - 1_000_000)
		g.raw(`,"sensitive":`)
		g.boolean(g.below(10) == 0)
		g.raw(`,"reply_to":`)
		if g.below(2) == 0 {
			g.raw("null")
		} else {
			g.u64(g.rng.Next())
		}
		if g.below(3) != 0 { // "lang" is absent from a third of the posts
			g.raw(`,"lang":`)
			g.str(g.pick(langs))
		}
		g.raw(`,"tags":[`)
		for t := range g.below(5) {
			if t > 0 {
				g.raw(",")
			}
			g.str(g.pick(asciiWords))
		}
		g.raw("]}")
		g.flush(w)
		if w.n >= approx {
			break
		}
	}
	w.Write([]byte("]}\n"))
	return nil
}

func (g *gen) catalog(w *countWriter, approx int64) error {
	w.Write([]byte("{\n  \"products\": {"))
	var ids []uint64
	var ind bytes.Buffer
	for i := uint64(0); ; i++ {
		id := 100000 + i*1000 + g.below(1000) // unique, increasing, numeric
		ids = append(ids, id)
		g.raw(`{"name":`)
		g.text(2, 6)
		g.raw(`,"price":`)
		g.fixed(float64(g.below(100000))/100, 2)
		g.raw(`,"stock":`)
		g.i64(int64(g.below(5000)))
		g.raw(`,"available":`)
		g.boolean(g.below(5) != 0)
		g.raw(`,"tags":[`)
		for t := range 1 + g.below(4) {
			if t > 0 {
				g.raw(",")
			}
			g.str(g.pick(asciiWords))
		}
		g.raw(`],"variants":[`)
		for v := range 1 + g.below(4) {
			if v > 0 {
				g.raw(",")
			}
			g.raw(`{"sku":"SKU-`)
			g.u64(g.rng.Next() >> 20)
			g.raw(`","size":`)
			g.str(g.pick(sizes))
			g.raw(`,"weight":`)
			g.fixed(float64(g.below(1_000_000))/1000, 3)
			g.raw(`}`)
		}
		g.raw(`],"attributes":{`)
		for a := range g.below(4) {
			if a > 0 {
				g.raw(",")
			}
			g.str(strconv.FormatUint(10+a*7+g.below(7), 10))
			g.raw(":")
			g.text(1, 3)
		}
		g.raw("}}")
		ind.Reset()
		if err := json.Indent(&ind, g.b, "    ", "  "); err != nil {
			return fmt.Errorf("jsondoc: catalog record: %v", err)
		}
		g.b = g.b[:0]
		if i > 0 {
			g.raw(",")
		}
		g.raw("\n    \"")
		g.u64(id)
		g.raw(`": `)
		g.b = append(g.b, ind.Bytes()...)
		g.flush(w)
		if w.n >= approx {
			break
		}
	}
	w.Write([]byte("\n  },\n  \"categories\": ["))
	// One category per 50 products, each listing up to 50 product ids.
	for c := 0; c*50 < len(ids); c++ {
		g.raw(`{"id":`)
		g.u64(uint64(c + 1))
		g.raw(`,"name":`)
		g.text(1, 2)
		g.raw(`,"product_ids":[`)
		for k, id := range ids[c*50 : min(len(ids), c*50+50)] {
			if k > 0 {
				g.raw(",")
			}
			g.u64(id)
		}
		g.raw("]}")
		ind.Reset()
		if err := json.Indent(&ind, g.b, "    ", "  "); err != nil {
			return fmt.Errorf("jsondoc: catalog category: %v", err)
		}
		g.b = g.b[:0]
		if c > 0 {
			g.raw(",")
		}
		g.raw("\n    ")
		g.b = append(g.b, ind.Bytes()...)
		g.flush(w)
	}
	w.Write([]byte("\n  ]\n}\n"))
	return nil
}

func (g *gen) geo(w *countWriter, approx int64) error {
	w.Write([]byte(`{"type":"FeatureCollection","features":[`))
	for i := uint64(0); ; i++ {
		if i > 0 {
			g.raw(",\n")
		}
		g.raw(`{"type":"Feature","properties":{"name":`)
		g.text(1, 3)
		g.raw(`,"id":`)
		g.u64(i + 1)
		g.raw(`},"geometry":{"type":"MultiPolygon","coordinates":[`)
		// A multipolygon of 1-3 polygons, each of 1-2 rings of 8-200 points: a random walk
		// around a centre, 7 decimals (GPS precision, about 1 cm).
		lon, lat := g.rng.Float()*180, g.rng.Float()*90
		for p := range 1 + g.below(3) {
			if p > 0 {
				g.raw(",")
			}
			g.raw("[")
			for r := range 1 + g.below(2) {
				if r > 0 {
					g.raw(",")
				}
				g.raw("[")
				for k := range 8 + g.below(193) {
					if k > 0 {
						g.raw(",")
					}
					lon += g.rng.Float() * 0.01
					lat += g.rng.Float() * 0.01
					g.raw("[")
					g.fixed(lon, 7)
					g.raw(",")
					g.fixed(lat, 7)
					g.raw("]")
				}
				g.raw("]")
			}
			g.raw("]")
		}
		g.raw("]}}")
		g.flush(w)
		if w.n >= approx {
			break
		}
	}
	w.Write([]byte("]}\n"))
	return nil
}
