package units

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"testing"
)

// Every unit constant of units.go has a row, and every row's name is a constant.
func TestEveryUnitHasARow(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "units.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	consts := map[string]bool{}
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			vs := s.(*ast.ValueSpec)
			if len(vs.Values) != 1 {
				continue
			}
			lit, ok := vs.Values[0].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING || vs.Type != nil {
				continue // typed constants (Better) are not units
			}
			v, _ := strconv.Unquote(lit.Value)
			consts[v] = true
			if _, ok := Lookup(v); !ok {
				t.Errorf("unit %s (%q) has no row in the table", vs.Names[0], v)
			}
		}
	}
	seen := map[string]bool{}
	for _, u := range All() {
		if !consts[u.Name] {
			t.Errorf("row %q is not a unit constant", u.Name)
		}
		if seen[u.Name] {
			t.Errorf("row %q appears twice", u.Name)
		}
		seen[u.Name] = true
		if u.Format == nil || u.Doc == "" || (u.Better != Lower && u.Better != Higher) {
			t.Errorf("row %q is incomplete: %+v", u.Name, u)
		}
	}
}

func TestFormat(t *testing.T) {
	for _, tc := range []struct {
		unit string
		v    float64
		want string
	}{
		{Exec, 1.34e6, "1.34 ms"},
		{Exec, 812e3, "812 µs"},
		{PeakRSS, 7.9 * (1 << 20), "7.9 MiB"},
		{Throughput, 60300, "60.3k req/s"},
		{Throughput, 950, "950 req/s"},
		{Throughput, 2e6, "2M req/s"},
		{GCPauses, 12, "12"},
		{GFLOPS, 35.24, "35.2"},
		{"widgets", 3, "3 widgets"},
	} {
		if got := Format(tc.unit, tc.v); got != tc.want {
			t.Errorf("Format(%s, %g) = %q, want %q", tc.unit, tc.v, got, tc.want)
		}
	}
}
