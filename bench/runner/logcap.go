package runner

import (
	"bytes"
	"fmt"
	"os"
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// Every read of a peer's output is bounded, and so is what reaches its log: a peer that
// prints without end costs the harness at most MaxOutput of memory and its log LogHead +
// MaxOutput bytes per run.

// LogHead is how much of one run's output its log keeps from the start; past it, only the
// last MaxOutput bytes are kept, after a line saying how much was dropped.
var LogHead int64 = 1 << 20

// drainGrace bounds the wait for a peer's output to end once its process group is dead: a
// descendant that escaped the group can keep the pipe open for ever.
const drainGrace = time.Second

// capture copies one output stream of a peer from a pipe to its log, capped, keeping the
// last MaxOutput bytes in memory.
type capture struct {
	r    *os.File // the read end, or nil for a quiet capture (rfd)
	log  *os.File
	done chan struct{}

	// A quiet capture's read end, polled; exited is closed once the peer has exited, stop
	// once finish gives up on the pipe.
	rfd          int
	exited, stop chan struct{}

	mu      sync.Mutex
	n       int64  // bytes read
	last    []byte // the last MaxOutput bytes read
	werr    error  // the first failed write to the log
	onChunk func(chunk []byte)
}

// newCapture returns the write end for the child and starts copying the read end into log.
// onChunk, if set, sees every chunk read (from the copying goroutine).
func newCapture(log *os.File, onChunk func([]byte)) (*capture, *os.File, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, nil, err
	}
	c := &capture{r: r, log: log, done: make(chan struct{}), onChunk: onChunk}
	go c.copy()
	return c, w, nil
}

// newQuietCapture is newCapture for a batch peer whose timing counts: nothing waits on the
// pipe while the peer runs, so its writes wake no thread of the harness. (A harness thread
// woken on another CPU costs the writer an interrupt across CPUs, which a VM delivers
// slowly: the Go hello's two writes and its exit cost it 40-60 µs that way.) A goroutine
// looks at the pipe every 1-16 ms instead, and the pipe holds 1 MiB meanwhile where the
// kernel allows it; once the peer has exited (finish), it drains the pipe at once.
func newQuietCapture(log *os.File) (*capture, *os.File, error) {
	var fds [2]int
	if err := unix.Pipe2(fds[:], unix.O_CLOEXEC); err != nil {
		return nil, nil, err
	}
	if err := unix.SetNonblock(fds[0], true); err != nil {
		unix.Close(fds[0])
		unix.Close(fds[1])
		return nil, nil, err
	}
	_, _ = unix.FcntlInt(uintptr(fds[0]), unix.F_SETPIPE_SZ, 1<<20) // best effort: 64 KiB otherwise
	c := &capture{rfd: fds[0], log: log, done: make(chan struct{}), exited: make(chan struct{}), stop: make(chan struct{})}
	go c.poll()
	return c, os.NewFile(uintptr(fds[1]), "|1"), nil
}

func (c *capture) poll() {
	defer close(c.done)
	buf := make([]byte, 32<<10)
	const first, most = time.Millisecond, 16 * time.Millisecond
	wait := first
	timer := time.NewTimer(wait)
	defer timer.Stop()
	exited := c.exited
	for {
		k, err := unix.Read(c.rfd, buf)
		switch {
		case k > 0:
			c.add(buf[:k])
			wait = first
			continue
		case err == nil: // end of file: every writer has closed it
			return
		case err != unix.EAGAIN && err != unix.EINTR:
			return
		}
		timer.Reset(wait)
		select {
		case <-exited:
			exited = nil
			wait = 100 * time.Microsecond // the peer is gone: drain now
		case <-timer.C:
			if exited != nil {
				wait = min(2*wait, most)
			}
		case <-c.stop:
			return
		}
	}
}

func (c *capture) copy() {
	defer close(c.done)
	buf := make([]byte, 32<<10)
	for {
		k, err := c.r.Read(buf)
		if k > 0 {
			c.add(buf[:k])
			if c.onChunk != nil {
				c.onChunk(buf[:k])
			}
		}
		if err != nil {
			return
		}
	}
}

func (c *capture) add(p []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n < LogHead && c.werr == nil {
		head := p[:min(int64(len(p)), LogHead-c.n)]
		if _, err := c.log.Write(head); err != nil {
			c.werr = err
		}
	}
	c.n += int64(len(p))
	if len(p) > MaxOutput {
		p = p[len(p)-MaxOutput:]
	}
	if c.last == nil {
		c.last = make([]byte, 0, 2*MaxOutput)
	}
	if len(c.last)+len(p) > cap(c.last) { // shift the kept tail down, in place
		c.last = c.last[:copy(c.last, c.last[len(c.last)-(MaxOutput-len(p)):])]
	}
	c.last = append(c.last, p...)
}

// tail is the last MaxOutput bytes read so far.
func (c *capture) tail() []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := c.last
	if len(t) > MaxOutput {
		t = t[len(t)-MaxOutput:]
	}
	return append([]byte(nil), t...)
}

// finish waits for the output to end (the peer's group is dead by now), at most drainGrace,
// then writes what the cap left out of the log. held reports that something still held the
// pipe open: a descendant that escaped the process group.
func (c *capture) finish() (out []byte, held bool, err error) {
	if c.exited != nil {
		close(c.exited)
	}
	select {
	case <-c.done:
	case <-time.After(drainGrace):
		held = true
		if c.r != nil {
			c.r.Close() // unblocks the copy
		} else {
			close(c.stop)
		}
		<-c.done
	}
	if c.r != nil {
		c.r.Close()
	} else {
		unix.Close(c.rfd)
	}
	c.mu.Lock()
	n, werr := c.n, c.werr
	c.mu.Unlock()
	t := c.tail()
	if n > LogHead && werr == nil {
		rest := n - LogHead
		keep := t[max(0, int64(len(t))-rest):]
		if _, err := fmt.Fprintf(c.log, "\n[gorustbench: %d bytes of output dropped here; the log keeps the first %d and the last %d]\n", rest-int64(len(keep)), LogHead, len(keep)); err != nil {
			werr = err
		} else if _, err := c.log.Write(keep); err != nil {
			werr = err
		}
	}
	if werr != nil {
		werr = &WriteError{fmt.Errorf("writing log %s: %w", c.log.Name(), werr)}
	}
	return t, held, werr
}

// lineScanner finds whole lines in chunks of output, keeping at most maxLine bytes of the
// current line: a line longer than that is skipped, not accumulated.
type lineScanner struct {
	line     []byte
	overlong bool
	onLine   func(line string)
}

const maxLine = 4 << 10

func (l *lineScanner) feed(p []byte) {
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		part := p
		if i >= 0 {
			part = p[:i+1]
		}
		if !l.overlong {
			if len(l.line)+len(part) > maxLine {
				l.overlong, l.line = true, l.line[:0]
			} else {
				l.line = append(l.line, part...)
			}
		}
		if i < 0 {
			return
		}
		if !l.overlong {
			l.onLine(string(l.line))
		}
		l.line, l.overlong = l.line[:0], false
		p = p[i+1:]
	}
}

// WriteError is a failure to write the run's own files (a full disk): the run stops, keeping
// what it wrote.
type WriteError struct{ Err error }

func (e *WriteError) Error() string { return e.Err.Error() }
func (e *WriteError) Unwrap() error { return e.Err }
