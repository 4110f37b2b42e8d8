package peer

import (
	"strings"
	"testing"
)

const helloLine = `{"protocol":1,"workload":"hello","lang":"c","variant":"std","params":{"size":0,"iters":1,"threads":1,"seed":1},"ops":1,"elapsed_ns":2104,"checksum":"e60e7ee648829675","vmhwm_kib":1084}`

var helloWant = Expect{Workload: "hello", Lang: "c", Variant: "std", Params: Params{Iters: 1, Threads: 1, Seed: 1}}

func TestParseResult(t *testing.T) {
	r, err := ParseResult([]byte("hello, world\n"+helloLine+"\n"), helloWant)
	if err != nil {
		t.Fatal(err)
	}
	if r.Checksum != "e60e7ee648829675" || r.VmHWMKiB != 1084 || r.ElapsedNs != 2104 || r.Ops != 1 {
		t.Errorf("parsed %+v", r)
	}
}

func TestParseResultErrors(t *testing.T) {
	goWant := helloWant
	goWant.Lang = "go"
	hiccupWant := helloWant
	hiccupWant.Hiccup = true
	for _, tc := range []struct {
		name, stdout string
		want         Expect
		err          string
	}{
		{"empty", "", helloWant, "no result line: stdout is empty"},
		{"not json", "hello, world\n", helloWant, `result line is not a JSON object: "hello, world"`},
		{"truncated", helloLine[:40], helloWant, "result line is not a JSON object"},
		{"missing field", strings.Replace(helloLine, `"ops":1,`, "", 1), helloWant, `result line lacks "ops"`},
		{"wrong type", strings.Replace(helloLine, `"ops":1`, `"ops":"1"`, 1), helloWant, "result line has a field of the wrong type"},
		{"protocol", strings.Replace(helloLine, `"protocol":1`, `"protocol":2`, 1), helloWant, "speaks protocol 2, want 1"},
		{"workload", helloLine, Expect{Workload: "matmul", Lang: "c", Variant: "std", Params: helloWant.Params}, `names workload "hello", want "matmul"`},
		{"lang", helloLine, goWant, `names lang "c", want "go"`},
		{"variant", strings.Replace(helloLine, `"std"`, `"fast"`, 1), helloWant, `names variant "fast", want "std"`},
		{"params", strings.Replace(helloLine, `"seed":1`, `"seed":2`, 1), helloWant, "echoes params {Size:0 Iters:1 Threads:1 Seed:2 Workers:0 Capacity:0}, want {Size:0 Iters:1 Threads:1 Seed:1 Workers:0 Capacity:0}"},
		{"ops", strings.Replace(helloLine, `"ops":1`, `"ops":0`, 1), helloWant, "has ops 0, want >= 1"},
		{"elapsed", strings.Replace(helloLine, `"elapsed_ns":2104`, `"elapsed_ns":-5`, 1), helloWant, "has negative elapsed_ns -5"},
		{"checksum", strings.Replace(helloLine, `"e60e7ee648829675"`, `""`, 1), helloWant, "has an empty checksum"},
		{"vmhwm", strings.Replace(helloLine, `"vmhwm_kib":1084`, `"vmhwm_kib":0`, 1), helloWant, "has vmhwm_kib 0, want > 0"},
		{"vmhwm unavailable", strings.Replace(helloLine, `"vmhwm_kib":1084`, `"vmhwm_kib":-1`, 1), helloWant, "has vmhwm_kib -1, want > 0"},
		{"vmhwm of a wasm peer", helloLine, Expect{Workload: "hello", Lang: "c", Variant: "std", Params: helloWant.Params, NoPeak: true}, "has vmhwm_kib 1084, want -1"},
		{"hiccup", helloLine, hiccupWant, "lacks the hiccup object"},
		{"workers", strings.Replace(helloLine, `"seed":1}`, `"seed":1,"workers":4,"capacity":0}`, 1), helloWant, "echoes params"},
		{"extra negative", helloLine[:len(helloLine)-1] + `,"extra":{"spawn_ns":-1}}`, helloWant, "result line has a field of the wrong type"},
		{"extra string", helloLine[:len(helloLine)-1] + `,"extra":{"spawn_ns":"1"}}`, helloWant, "result line has a field of the wrong type"},
		{"extra fraction", helloLine[:len(helloLine)-1] + `,"extra":{"spawn_ns":1.5}}`, helloWant, "result line has a field of the wrong type"},
		{"alloc type", withPhases(`"alloc_bytes":-1`), helloWant, "result line has a field of the wrong type"},
		{"phase type", withPhases(`"phases":{"decode":{"ns":-1,"alloc_bytes":0}}`), helloWant, "result line has a field of the wrong type"},
		{"phases empty", withPhases(`"phases":{}`), helloWant, "has an empty phases object"},
		{"phases ns", withPhases(`"alloc_bytes":9,"phases":{"decode":{"ns":2000,"alloc_bytes":1},"encode":{"ns":105,"alloc_bytes":1}}`), helloWant, "more than elapsed_ns 2104"},
		{"phases alloc", withPhases(`"alloc_bytes":9,"phases":{"decode":{"ns":2,"alloc_bytes":5},"encode":{"ns":1,"alloc_bytes":5}}`), helloWant, "more than alloc_bytes 9"},
	} {
		_, err := ParseResult([]byte(tc.stdout), tc.want)
		if err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("%s: got %v, want an error containing %q", tc.name, err, tc.err)
		}
	}
}

// Workloads that use --workers and --capacity echo them; an extra map of integers is kept.
func TestParseResultWorkersAndExtra(t *testing.T) {
	line := helloLine[:len(helloLine)-1] + `,"extra":{"rss_before_kib":1200,"spawn_ns":0}}`
	line = strings.Replace(line, `"seed":1}`, `"seed":1,"workers":64,"capacity":0}`, 1)
	want := helloWant
	want.Params.Workers = 64
	r, err := ParseResult([]byte(line+"\n"), want)
	if err != nil {
		t.Fatal(err)
	}
	if r.Params.Workers != 64 || r.Params.Capacity != 0 || r.Extra["rss_before_kib"] != 1200 || len(r.Extra) != 2 {
		t.Errorf("parsed %+v", r)
	}
	// Capacity 1 asked for, 0 echoed: a mismatch.
	want.Params.Capacity = 1
	if _, err := ParseResult([]byte(line), want); err == nil || !strings.Contains(err.Error(), "echoes params") {
		t.Errorf("got %v", err)
	}
}

// withPhases appends optional fields to the hello line.
func withPhases(fields string) string { return helloLine[:len(helloLine)-1] + "," + fields + "}" }

func TestParseResultPhases(t *testing.T) {
	line := withPhases(`"alloc_bytes":9,"phases":{"decode":{"ns":2000,"alloc_bytes":4},"encode":{"ns":104,"alloc_bytes":5}}`)
	r, err := ParseResult([]byte(line), helloWant)
	if err != nil {
		t.Fatal(err)
	}
	if *r.AllocBytes != 9 || r.Phases["decode"].Ns != 2000 || r.Phases["encode"].AllocBytes != 5 {
		t.Errorf("parsed %+v", r)
	}
}

func TestQuoteShortens(t *testing.T) {
	q := Quote([]byte(strings.Repeat("x", 500)))
	if len(q) != 2+200+3 {
		t.Errorf("len %d: %s", len(q), q)
	}
}

func TestParseReady(t *testing.T) {
	for line, want := range map[string]string{
		"READY 127.0.0.1:8080\n": "127.0.0.1:8080",
		"READY [::1]:1":          "[::1]:1",
		"READY":                  "",
		"READY ":                 "",
		"listening on :80":       "",
		"READY a b":              "",
	} {
		got, ok := ParseReady(line)
		if got != want || ok != (want != "") {
			t.Errorf("ParseReady(%q) = %q, %v", line, got, ok)
		}
	}
}

func TestSameChecksum(t *testing.T) {
	tol := Tolerance{Rel: 1e-9, Abs: 1e-6}
	for _, tc := range []struct {
		a, b string
		tol  Tolerance
		ok   bool
	}{
		{"abc", "abc", Tolerance{}, true},
		{"abc", "abd", Tolerance{}, false},
		{"1.5 2", "1.5 2", tol, true},
		{"1.5 2", "1.5000000001 2.0000000001", tol, true},
		{"31415.9 2", "31415.90001 2", tol, true}, // within rel
		{"1.5 2", "1.5 2.01", tol, false},
		{"1.5 2", "1.5", tol, false},
		{"1.5 x", "1.5 2", tol, false},
		{"NaN", "NaN", tol, false},
		{"", "", tol, false},
	} {
		err := SameChecksum(tc.a, tc.b, tc.tol)
		if (err == nil) != tc.ok {
			t.Errorf("SameChecksum(%q, %q) = %v, want ok=%v", tc.a, tc.b, err, tc.ok)
		}
	}
}
