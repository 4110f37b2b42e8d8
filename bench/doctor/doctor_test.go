package doctor

import (
	"bytes"
	"strings"
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

// Fault 6: without a C compiler, doctor names the compiler, not OpenBLAS.
func TestNoCompilerIsNotBlamedOnOpenBLAS(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	c := openBLAS()
	if c.Required || !strings.Contains(c.Detail, "no C compiler") || strings.Contains(c.Fix, "libopenblas") {
		t.Errorf("openblas check without cc: %+v", c)
	}
	for _, m := range Missing([]Check{c}) {
		t.Errorf("%s counted missing: the compiler is what is missing", m)
	}
}
