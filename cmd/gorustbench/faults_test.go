package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

// Fault 6: a run whose peers are not built says so, case by case, and fails unless
// --allow-missing is given.
func TestMissingPeersAreVisibleAndFailTheRun(t *testing.T) {
	root := t.TempDir() // no peer is built here
	for _, tc := range []struct {
		extra []string
		code  int
	}{{nil, 1}, {[]string{"--allow-missing"}, 0}} {
		var stdout, stderr bytes.Buffer
		args := append([]string{"run", "--root", root, "--profile", "smoke", "--workloads", "hello", "--out", filepath.Join(t.TempDir(), "out")}, tc.extra...)
		code := cli(&stdout, &stderr, args)
		if code != tc.code {
			t.Errorf("%v: exit %d, want %d\n%s%s", tc.extra, code, tc.code, stdout.String(), stderr.String())
		}
		if !strings.Contains(stderr.String(), "SKIPPED Hello/impl=go-std: not built") {
			t.Errorf("%v: no skipped case in the progress:\n%s", tc.extra, stderr.String())
		}
		if !strings.Contains(stdout.String(), "cases: 0 ok, 0 failed, 3 skipped") {
			t.Errorf("%v: no summary of skipped cases:\n%s", tc.extra, stdout.String())
		}
		if tc.code == 1 && !strings.Contains(stderr.String(), "3 case(s) could not run because their peer is not built") {
			t.Errorf("no reason for exit 1:\n%s", stderr.String())
		}
	}
}

// --repeat 0 and negative values are refused, not replaced by the profile's default.
func TestRepeatMustBePositive(t *testing.T) {
	for _, n := range []string{"0", "-3"} {
		var stdout, stderr bytes.Buffer
		code := cli(&stdout, &stderr, []string{"run", "--root", t.TempDir(), "--workloads", "hello", "--repeat", n, "--out", filepath.Join(t.TempDir(), "out")})
		if code != 2 || !strings.Contains(stderr.String(), "--repeat "+n+": give at least 1") {
			t.Errorf("--repeat %s: exit %d, stderr %q", n, code, stderr.String())
		}
	}
}
