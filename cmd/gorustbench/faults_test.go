package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"net"
	"os"
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

// A negative --extra-budget is refused, not read as "the profile's".
func TestExtraBudgetMustNotBeNegative(t *testing.T) {
	var stdout, stderr bytes.Buffer
	out := filepath.Join(t.TempDir(), "out")
	code := cli(&stdout, &stderr, []string{"run", "--root", t.TempDir(), "--workloads", "hello", "--extra-budget", "-5s", "--out", out})
	if code != 2 || !strings.Contains(stderr.String(), "--extra-budget -5s: give 0") {
		t.Errorf("exit %d, stderr %q", code, stderr.String())
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("a refused flag left a results folder %s", out)
	}
}

// Issue 23, item 6: flags are checked before the run folder is made: a busy --metrics-addr
// and a malformed --pushgateway are usage errors that leave no folder behind.
func TestFlagsAreCheckedBeforeTheRunFolderIsMade(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	for _, tc := range []struct {
		flags []string
		msg   string
	}{
		{[]string{"--metrics-addr", busy.Addr().String()}, "gorustbench: --metrics-addr: listen tcp " + busy.Addr().String()},
		{[]string{"--pushgateway", "pushgateway:9091"}, `gorustbench: --pushgateway "pushgateway:9091" is not an http:// or https:// URL`},
		{[]string{"--pushgateway", "http//nohost"}, `gorustbench: --pushgateway "http//nohost" is not an http:// or https:// URL`},
	} {
		out := filepath.Join(t.TempDir(), "out")
		var stdout, stderr bytes.Buffer
		args := append([]string{"run", "--root", t.TempDir(), "--profile", "smoke", "--workloads", "hello", "--allow-missing", "--out", out}, tc.flags...)
		code := cli(&stdout, &stderr, args)
		if code != 2 || !strings.HasPrefix(stderr.String(), tc.msg) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and %q", tc.flags, code, stderr.String(), tc.msg)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("%v: the run folder %s was made", tc.flags, out)
		}
	}
}

// Issue 23, item 7: --out in a loop of symbolic links says so, not "file exists".
func TestOutInASymlinkLoopSaysSo(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	if err := errors.Join(os.Symlink(b, a), os.Symlink(a, b)); err != nil {
		t.Fatal(err)
	}
	for _, out := range []string{a, filepath.Join(a, "run")} {
		var stdout, stderr bytes.Buffer
		code := cli(&stdout, &stderr, []string{"run", "--root", t.TempDir(), "--profile", "smoke", "--workloads", "hello", "--out", out})
		want := "gorustbench: cannot create results folder " + out + ": its path is a loop of symbolic links\n"
		if code != 1 || stderr.String() != want {
			t.Errorf("--out %s: exit %d, stderr %q; want exit 1 and %q", out, code, stderr.String(), want)
		}
	}
}

// Issue 23, item 7: compare and gate warn when the runs were made with another profile or
// another build.
func TestCompareAndGateWarnWhenProfileOrBuildDiffer(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	for _, d := range []string{a, b} {
		os.MkdirAll(d, 0o755)
		for _, f := range []string{"manifest.json", "samples.bench"} {
			data, err := os.ReadFile(filepath.Join("..", "..", "results", "baseline", f))
			if err != nil {
				t.Fatal(err)
			}
			if d == b && f == "manifest.json" {
				var m map[string]any
				json.Unmarshal(data, &m)
				m["profile"], m["native"] = "full", true
				data, _ = json.Marshal(m)
			}
			os.WriteFile(filepath.Join(d, f), data, 0o644)
		}
	}
	for _, args := range [][]string{{"compare", a, b}, {"compare", "--format", "md", a, b}, {"gate", "--baseline", a, "--candidate", b}} {
		var stdout, stderr bytes.Buffer
		cli(&stdout, &stderr, args)
		out := stdout.String()
		for _, want := range []string{
			"warning: the runs differ in profile (" + a + ": smoke; " + b + ": full)",
			"warning: the runs differ in build (" + a + ": default; " + b + ": native)",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("%v: no %q in\n%s%s", args[0], want, out, stderr.String())
			}
		}
	}
}
