// Package jsonpeer is the body of the Go json peers (workloads/json, and workloads/jsonv2
// under GOEXPERIMENT=jsonv2): read the input, recognise its shape, warm up, time decode and
// encode separately, check the round trip, report. Each binary supplies its codecs.
package jsonpeer

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gorustbench/gorustbench/workloads/json/schema"
	"github.com/gorustbench/gorustbench/workloads/peerkit"
)

// Doc is a decoded document of any shape.
type Doc interface{ Checksum() string }

// Codec is one variant: a library's decode into a typed Doc (a pointer) and encode of it.
type Codec struct {
	Decode func(data []byte, v Doc) error
	Encode func(v Doc) ([]byte, error)
	// Offset extracts the byte offset from the library's error, if it carries one.
	Offset func(err error) (int64, bool)
}

// Main runs the peer: variants by name, the first name being the default.
func Main(names []string, codecs map[string]Codec) {
	p := peerkit.Defaults(names[0])
	p.Parse(os.Args[1:])
	p.RequireVariant(names...)
	if p.Input == "" {
		peerkit.Usage("--input PATH is required (a json workload document)")
	}
	c := codecs[p.Variant]
	data, err := os.ReadFile(p.Input)
	if err != nil {
		peerkit.Fail(err)
	}
	newDoc, err := Shape(data)
	if err != nil {
		peerkit.Fail(fmt.Errorf("%s: %v", p.Input, err))
	}
	decode := func(in []byte, what string) Doc {
		d := newDoc()
		if err := c.Decode(in, d); err != nil {
			peerkit.Fail(fmt.Errorf("%s: %s", what, Describe(err, in, newDoc, c.Offset)))
		}
		return d
	}
	encode := func(d Doc) []byte {
		out, err := c.Encode(d)
		if err != nil {
			peerkit.Fail(fmt.Errorf("encode: %s", oneLine(err.Error())))
		}
		return out
	}

	// Warm-up, untimed: one decode and one encode; its checksum is the one to match.
	doc := decode(data, p.Input)
	want := doc.Checksum()
	out := encode(doc)

	var dec, enc peerkit.Phase
	dec.Name, enc.Name = "decode", "encode"
	r := peerkit.Begin(&p)
	for range p.Iters {
		a0, t0 := peerkit.HeapAllocBytes(), time.Now()
		doc = decode(data, p.Input)
		t1 := time.Now()
		a1 := peerkit.HeapAllocBytes()
		t2 := time.Now()
		out = encode(doc)
		t3 := time.Now()
		a2 := peerkit.HeapAllocBytes()
		dec.Ns += uint64(t1.Sub(t0))
		enc.Ns += uint64(t3.Sub(t2))
		dec.AllocBytes += a1 - a0
		enc.AllocBytes += a2 - a1
	}
	r.End()
	r.SetPhases(dec, enc)

	if got := doc.Checksum(); got != want {
		peerkit.Fail(fmt.Errorf("checksum changed between decodes: %s, then %s", want, got))
	}
	if got := decode(out, "round trip").Checksum(); got != want {
		peerkit.Fail(fmt.Errorf("round trip: re-encoded document has checksum %s, want %s", got, want))
	}
	r.Report("json", &p, p.Iters, want)
}

// Shape checks that data is UTF-8 and recognises the document's shape by its first key
// (posts: social, products: catalog, type: geo). Errors name the byte offset.
func Shape(data []byte) (func() Doc, error) {
	if off := InvalidUTF8(data); off >= 0 {
		return nil, fmt.Errorf("invalid UTF-8 at byte %d", off)
	}
	i := skipSpace(data, 0)
	if i >= len(data) || data[i] != '{' {
		return nil, fmt.Errorf("invalid JSON at byte %d: a document is an object", i)
	}
	i = skipSpace(data, i+1)
	if i >= len(data) || data[i] != '"' {
		return nil, fmt.Errorf("invalid JSON at byte %d: expected the first key", i)
	}
	end := strings.IndexByte(string(data[i+1:min(len(data), i+64)]), '"')
	if end < 0 {
		return nil, fmt.Errorf("invalid JSON at byte %d: unterminated first key", i)
	}
	switch key := string(data[i+1 : i+1+end]); key {
	case "posts":
		return func() Doc { return new(schema.Social) }, nil
	case "products":
		return func() Doc { return new(schema.Catalog) }, nil
	case "type":
		return func() Doc { return new(schema.Geo) }, nil
	default:
		return nil, fmt.Errorf("byte %d: first key %q is none of posts (social), products (catalog), type (geo)", i, key)
	}
}

func skipSpace(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\n' || data[i] == '\r' || data[i] == '\t') {
		i++
	}
	return i
}

// InvalidUTF8 returns the offset of the first byte that is not valid UTF-8, or -1.
func InvalidUTF8(data []byte) int {
	if utf8.Valid(data) {
		return -1
	}
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return -1
}

// Describe turns a decode error into one line naming the byte offset: the library's own
// offset where its error carries one, otherwise the one encoding/json finds decoding the
// same bytes into the same type.
func Describe(err error, data []byte, newDoc func() Doc, offset func(error) (int64, bool)) string {
	off, ok := int64(-1), false
	if offset != nil {
		off, ok = offset(err)
	}
	if !ok {
		off, ok = StdOffset(json.Unmarshal(data, newDoc()))
	}
	if !ok {
		off = int64(len(data))
	}
	return fmt.Sprintf("invalid JSON at byte %d: %s", off, oneLine(err.Error()))
}

// StdOffset is the offset an encoding/json error carries.
func StdOffset(err error) (int64, bool) {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return AfterOffset(se.Offset, se.Error()), true
	case errors.As(err, &te):
		return te.Offset, true
	}
	return 0, false
}

// AfterOffset turns "the error occurred after reading n bytes" (encoding/json's and
// go-json's SyntaxError.Offset) into the offset of the offending byte: n-1, or n at the end
// of the input.
func AfterOffset(n int64, msg string) int64 {
	if n > 0 && !strings.Contains(msg, "unexpected end") {
		return n - 1
	}
	return n
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 200 {
		s = s[:200] + "..."
	}
	return s
}
