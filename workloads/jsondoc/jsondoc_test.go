package jsondoc

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// Every shape is valid JSON, deterministic, at least the size asked, and less than one
// record over it.
func TestGenerate(t *testing.T) {
	for _, shape := range Shapes {
		var a, b bytes.Buffer
		if err := Generate(&a, shape, 50_000, 3); err != nil {
			t.Fatal(err)
		}
		if err := Generate(&b, shape, 50_000, 3); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Errorf("%s: two runs differ", shape)
		}
		if n := a.Len(); n < 50_000 || n > 70_000 {
			t.Errorf("%s: %d bytes for 50000 asked", shape, n)
		}
		if !json.Valid(a.Bytes()) {
			t.Errorf("%s: not valid JSON", shape)
		}
		var c bytes.Buffer
		if err := Generate(&c, shape, 50_000, 4); err != nil || bytes.Equal(a.Bytes(), c.Bytes()) {
			t.Errorf("%s: another seed gives the same document (%v)", shape, err)
		}
	}
	if err := Generate(&bytes.Buffer{}, "tree", 10, 1); err == nil {
		t.Error("an unknown shape must fail")
	}
}

// The committed fixtures are what the generator writes today (else regenerate them and their
// checksums, see checksums.txt).
func TestFixturesAreGenerated(t *testing.T) {
	for _, shape := range Shapes {
		want, err := os.ReadFile(filepath.Join("..", "testdata", "json", shape+".json"))
		if err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		if err := Generate(&got, shape, 4000, 7); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want) {
			t.Errorf("%s.json differs from Generate(%s, 4000, 7)", shape, shape)
		}
	}
}
