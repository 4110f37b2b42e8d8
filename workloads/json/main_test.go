package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorustbench/gorustbench/bench/peer"
)

var variants = []string{"std", "easyjson", "sonic", "sonic-copy", "gojson"}

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

func build(t *testing.T) string {
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "jsonpeer")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "json")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = errors.New(string(out))
		}
	})
	if buildErr != nil {
		t.Fatalf("go build: %v", buildErr)
	}
	return binPath
}

// fixtures reads workloads/testdata/json/checksums.txt: file name -> expected checksum.
func fixtures(t *testing.T) map[string]string {
	f, err := os.Open("../testdata/json/checksums.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, sum, _ := strings.Cut(line, " ")
		m[name] = sum
	}
	if len(m) != 3 {
		t.Fatalf("checksums.txt has %d fixtures", len(m))
	}
	return m
}

func run(t *testing.T, args ...string) (stdout, stderr string, code int) {
	return runBin(t, build(t), args...)
}

func runBin(t *testing.T, bin string, args ...string) (stdout, stderr string, code int) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	if ee, ok := errors.AsType[*exec.ExitError](err); ok {
		return o.String(), e.String(), ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return o.String(), e.String(), 0
}

// Every variant speaks the protocol, reports both phases, and gives the fixture's checksum.
func TestFixturesEveryVariant(t *testing.T) {
	for name, want := range fixtures(t) {
		for _, v := range variants {
			out, errOut, code := run(t, "--input", "../testdata/json/"+name, "--variant", v, "--iters", "2", "--size", "4000", "--hiccup")
			if code != 0 || errOut != "" {
				t.Fatalf("%s %s: exit %d, stderr %q", name, v, code, errOut)
			}
			r, err := peer.ParseResult([]byte(out), peer.Expect{Workload: "json", Lang: "go", Variant: v,
				Params: peer.Params{Size: 4000, Iters: 2, Threads: 1, Seed: 1}, Hiccup: true})
			if err != nil {
				t.Fatalf("%s %s: %v", name, v, err)
			}
			if r.Checksum != want {
				t.Errorf("%s %s: checksum %q, want %q", name, v, r.Checksum, want)
			}
			if r.Phases["decode"] == nil || r.Phases["encode"] == nil || r.AllocBytes == nil || r.Ops != 2 {
				t.Errorf("%s %s: phases %v alloc_bytes %v ops %d", name, v, r.Phases, r.AllocBytes, r.Ops)
			}
		}
	}
}

func TestBadCommandLine(t *testing.T) {
	for _, args := range [][]string{
		{"--input", "../testdata/json/geo.json", "--variant", "nope"},
		{"--variant", "std"},
		{"--input"},
	} {
		out, errOut, code := run(t, args...)
		if code != 2 || out != "" || strings.Count(errOut, "\n") != 1 || !strings.HasPrefix(errOut, "json: ") {
			t.Errorf("%q: exit %d, stdout %q, stderr %q", args, code, out, errOut)
		}
	}
}

// A truncated, corrupt or non-UTF-8 document fails every variant with one line naming the
// byte offset.
func TestBadInputs(t *testing.T) {
	good, err := os.ReadFile("../testdata/json/social.json")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// Cut after an ASCII byte (a cut inside a character is a UTF-8 error, tested apart).
	cut := bytes.LastIndex(good[:len(good)/2], []byte(`"tags":`)) + 3
	colon := bytes.Index(good, []byte(`,"score":`)) + len(`,"score"`)
	corrupt := bytes.Clone(good)
	corrupt[colon] = '@'
	notUTF8 := bytes.Clone(good)
	notUTF8[1500] = 0xff
	cases := []struct{ path, want string }{
		{write("truncated.json", good[:cut]), fmt.Sprintf(`invalid JSON at byte %d:`, cut)},
		{write("corrupt.json", corrupt), fmt.Sprintf(`invalid JSON at byte %d:`, colon)},
		{write("utf8.json", notUTF8), `invalid UTF-8 at byte 1500\n`},
		{write("empty.json", nil), `invalid JSON at byte 0:`},
		{filepath.Join(dir, "missing.json"), `no such file`},
	}
	for _, c := range cases {
		for _, v := range variants {
			out, errOut, code := run(t, "--input", c.path, "--variant", v)
			if code != 1 || out != "" || strings.Count(errOut, "\n") != 1 || !regexp.MustCompile(c.want).MatchString(errOut) {
				t.Errorf("%s %s: exit %d, stdout %q, stderr %q, want /%s/", filepath.Base(c.path), v, code, out, errOut, c.want)
			}
		}
	}
}

// The encoding/json/v2 peer (its own binary, GOEXPERIMENT=jsonv2) gives the same checksums
// and names the offset of a corrupt input.
func TestJSONv2(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "jsonv2")
	cmd := exec.Command("go", "build", "-o", bin, "../jsonv2")
	cmd.Env = append(os.Environ(), "GOEXPERIMENT=jsonv2")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("GOEXPERIMENT=jsonv2 go build: %v\n%s", err, out)
	}
	for name, want := range fixtures(t) {
		out, errOut, code := runBin(t, bin, "--input", "../testdata/json/"+name, "--variant", "v2")
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", name, code, errOut)
		}
		r, err := peer.ParseResult([]byte(out), peer.Expect{Workload: "json", Lang: "go", Variant: "v2",
			Params: peer.Params{Iters: 1, Threads: 1, Seed: 1}})
		if err != nil || r.Checksum != want {
			t.Errorf("%s: %v, checksum %q, want %q", name, err, r.Checksum, want)
		}
	}
	good, err := os.ReadFile("../testdata/json/social.json")
	if err != nil {
		t.Fatal(err)
	}
	colon := bytes.Index(good, []byte(`,"score":`)) + len(`,"score"`)
	good[colon] = '@'
	path := filepath.Join(t.TempDir(), "corrupt.json")
	if err := os.WriteFile(path, good, 0o644); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := runBin(t, bin, "--input", path)
	if want := fmt.Sprintf("invalid JSON at byte %d:", colon); code != 1 || !strings.Contains(errOut, want) || strings.Count(errOut, "\n") != 1 {
		t.Errorf("exit %d, stderr %q, want %q", code, errOut, want)
	}
}
