package doctor

import (
	"bytes"
	"testing"
)

func TestPrintAndMissing(t *testing.T) {
	cs := []Check{
		{Name: "go", OK: true, Required: true, Detail: "go version go1.26"},
		{Name: "openblas", Required: true, Detail: "cannot link", Fix: "apt-get install libopenblas-dev"},
		{Name: "perf counters", Detail: "perf_event_open: ENOENT", Fix: "optional"},
	}
	var b bytes.Buffer
	Print(&b, cs)
	want := `ok   go               go version go1.26
MISS openblas         cannot link
                      -> apt-get install libopenblas-dev
--   perf counters    perf_event_open: ENOENT
                      -> optional
`
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
	if m := Missing(cs); len(m) != 1 || m[0] != "openblas" {
		t.Errorf("missing %v: only required checks count", m)
	}
}
