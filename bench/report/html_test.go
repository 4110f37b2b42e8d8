package report

import (
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/image/font/sfnt"
)

// TestCJKFontCoversTheQuotes: report.html embeds only the CJK glyphs the registry quotes.
// After changing a quote in bench/claims, run scripts/cjk-font.sh.
func TestCJKFontCoversTheQuotes(t *testing.T) {
	f, err := sfnt.Parse(cjkTTF)
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join("..", "claims", "*.go"))
	var buf sfnt.Buffer
	missing := map[rune]bool{}
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range string(src) {
			if r < 0x2E80 {
				continue
			}
			if g, err := f.GlyphIndex(&buf, r); err != nil || g == 0 {
				missing[r] = true
			}
		}
	}
	if len(missing) > 0 {
		var s []rune
		for r := range missing {
			s = append(s, r)
		}
		t.Errorf("bench/report/cjk.ttf lacks %d characters the claims quote (%q...): run scripts/cjk-font.sh", len(s), string(s[:min(10, len(s))]))
	}
}
