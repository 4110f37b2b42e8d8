package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/gorustbench/gorustbench/bench/suite"
	"golang.org/x/term"
)

// progress prints a run's progress: one live line on a terminal, plain lines otherwise
// (CI logs), at most one plain line per case and phase.
type progress struct {
	w        io.Writer
	live     bool
	total    int
	start    time.Time
	lastKey  string
	lastDraw time.Time
}

// newProgress draws a live line when w is a terminal and CI is unset.
func newProgress(w io.Writer) *progress {
	f, ok := w.(*os.File)
	return &progress{w: w, live: ok && term.IsTerminal(int(f.Fd())) && os.Getenv("CI") == ""}
}

func (p *progress) Start(total int) {
	p.total, p.start = total, time.Now()
	fmt.Fprintf(p.w, "%d peer runs planned\n", total)
}

func (p *progress) Step(done int, c *suite.Case, phase string) {
	key := c.Name() + " " + phase
	elapsed := time.Since(p.start).Round(time.Second)
	if p.live {
		if time.Since(p.lastDraw) < 50*time.Millisecond && done+1 < p.total {
			return
		}
		p.lastDraw = time.Now()
		fmt.Fprintf(p.w, "\r\033[K[%d/%d %v] %s", done+1, p.total, elapsed, key)
		return
	}
	if key != p.lastKey {
		fmt.Fprintf(p.w, "[%d/%d %v] %s\n", done+1, p.total, elapsed, key)
		p.lastKey = key
	}
}

// Replan says why the planned total grew (sequential sampling's extra rounds).
func (p *progress) Replan(total int, why string) {
	if p.live {
		fmt.Fprint(p.w, "\r\033[K")
	}
	p.total = total
	fmt.Fprintf(p.w, "%s: %d peer runs planned in all\n", why, total)
}

func (p *progress) Failed(c *suite.Case, reason string) {
	if p.live {
		fmt.Fprint(p.w, "\r\033[K")
	}
	fmt.Fprintf(p.w, "FAILED %s: %s\n", c.Name(), reason)
}

// Done ends the live line.
func (p *progress) Done() {
	if p.live {
		fmt.Fprint(p.w, "\r\033[K")
	}
}

// Skipped says, on its own line, that a case cannot run.
func (p *progress) Skipped(c *suite.Case, reason string) {
	if p.live {
		fmt.Fprint(p.w, "\r\033[K")
	}
	fmt.Fprintf(p.w, "SKIPPED %s: %s\n", c.Name(), reason)
}
