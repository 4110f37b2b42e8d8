package results

import (
	"regexp"
	"testing"
	"time"
)

// TestNewRunID: ids start with the time, so they sort by when, and two runs started in the
// same second differ.
func TestNewRunID(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	a, b := NewRunID(at), NewRunID(at)
	if !regexp.MustCompile(`^20260102-030405-[0-9a-f]{6}$`).MatchString(a) {
		t.Errorf("run id %q", a)
	}
	if a == b {
		t.Errorf("two runs in the same second share the id %s", a)
	}
}
