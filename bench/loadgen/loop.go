package loadgen

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"net"
	"os"
	"strconv"
	"time"

	"golang.org/x/sys/unix"
)

// The engine drives every connection from one goroutine, as wrk does from one thread. It has
// two epoll sets: the sockets' (sp), and its own (ep), which holds a timerfd and, while answers
// must wake the engine (answersWake), sp itself. Go's netpoller watches ep, so the goroutine
// parks like any other; the timerfd wakes it with µs precision, where Go's timers have ms.
//
// An answer is timed by the kernel's receive timestamp (SO_TIMESTAMPNS), not when the engine
// reads it, so the open loop reads answers when it wakes to send and wakes for them only in
// the cases answersWake lists. Without a plausible stamp an answer is timed when read.
//
// Open loop: the schedule says when request k is due; each round sends every request due
// within the slack, each on the connection idle longest, and a request due while every
// connection waits for an answer goes to the first one freed, its latency still counted from
// its due time. The connections share one queue, rather than each having its share of the
// schedule (wrk2), so that no request waits behind a slow answer while a connection is idle.
//
// Engine time: every int64 time in this file is ns since engine.base, read from Go's
// monotonic clock (engine.now). Durations (timeout, slack, period) are ns too.

// testSendDelay, set by tests only, burns this much CPU before every send: a starved generator.
var testSendDelay time.Duration

// lconn is one connection and its request in flight. Times are engine time (ns since
// engine.base).
type lconn struct {
	fd       int    // -1 while disconnected
	retryAt  int64  // engine ns: after a failed dial, when it is dialled again
	busy     bool   // a request is in flight
	out      []byte // the unsent rest of the request in flight
	idle     bool   // open loop: in the engine's queue of idle connections
	due      int64  // engine ns: when the request in flight was due (closed loop: when sent)
	sent     int64  // engine ns: when its first write began
	free     int64  // engine ns: when the previous request ended (its answer arrived, or it failed)
	rec      bool   // the request in flight is in the recorded window
	buf      []byte // receive buffer, 64 KiB: buf[:n] is received and not yet parsed
	n        int    // bytes of buf received and not yet parsed
	bodyLeft int    // bytes of the answer's body still to come; -1 until the headers are parsed
	status   int    // the answer's status code
	closing  bool   // the server said Connection: close
}

// largeAnswer: once an answer has been seen with more than this many bytes still to come,
// answers always wake the engine (one larger than the socket's receive buffer would hold the
// server up until the engine read it). Until then only a partly read answer does.
const largeAnswer = 64 << 10

// Tags of the engine set's members other than sockets (whose tag is their index).
const (
	timerTag   = -1
	socketsTag = -2
)

// engine runs one load run's connections (see the top of this file).
type engine struct {
	cfg      Config
	sa       unix.Sockaddr
	domain   int
	req      []byte
	base     time.Time // time 0 of engine time (see now)
	baseMono int64     // base on CLOCK_MONOTONIC, ns: the timerfd's clock
	wallOff  int64     // CLOCK_REALTIME minus engine time, ns, as of this round: for receive timestamps
	ep, tfd  int
	sp       int  // the sockets' epoll set
	watching bool // sp is in ep: an answer wakes the engine
	stamped  bool // the last answer came with a receive timestamp
	large    bool // an answer was seen with more than largeAnswer bytes still to come
	rx       receiver
	armed    int64 // engine ns: when the timerfd fires; 0 when disarmed
	conns    []*lconn
	rec      *recorder
	sched    schedule // open loop: when requests are due; zero in the closed loop
	k        int64    // open loop: the next request of the schedule to send
	idle     []int    // open loop: connected connections with nothing in flight, longest idle first
	noConn   bool     // open loop: the last round left a due request for want of an idle connection
	start    int64    // engine ns: the first request goes out (warm-up begins)
	record   int64    // engine ns: requests sent (closed loop) or due (open loop) from here on are recorded
	end      int64    // engine ns: no request goes out from here on; the recorded window ends
	timeout  int64    // ns a request waits for its answer before it fails (Config.Timeout)
	events   []unix.EpollEvent
	answered int64 // every answer, warm-up included: the denominator of CPU per request
	fatal    error // the loop could not go on (epoll or timerfd refused)
}

// now is engine time: ns since e.base, on Go's monotonic clock.
func (e *engine) now() int64 { return int64(time.Since(e.base)) }

// open says whether the engine runs the open loop (a schedule) rather than the closed one.
func (e *engine) open() bool { return e.sched.period > 0 }

// newEngine opens the connections. It fails if one cannot be opened.
func newEngine(cfg Config, req []byte) (*engine, error) {
	a, err := net.ResolveTCPAddr("tcp", cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("cannot connect to %s: %w", cfg.Addr, err)
	}
	e := &engine{cfg: cfg, req: req, ep: -1, tfd: -1, sp: -1, timeout: cfg.Timeout.Nanoseconds(), rec: newRecorder()}
	if ip4 := a.IP.To4(); ip4 != nil {
		sa := &unix.SockaddrInet4{Port: a.Port}
		copy(sa.Addr[:], ip4)
		e.sa, e.domain = sa, unix.AF_INET
	} else {
		sa := &unix.SockaddrInet6{Port: a.Port}
		copy(sa.Addr[:], a.IP.To16())
		e.sa, e.domain = sa, unix.AF_INET6
	}
	if e.ep, err = unix.EpollCreate1(unix.EPOLL_CLOEXEC); err != nil {
		return nil, fmt.Errorf("epoll_create1: %w", err)
	}
	if e.sp, err = unix.EpollCreate1(unix.EPOLL_CLOEXEC); err != nil {
		e.close()
		return nil, fmt.Errorf("epoll_create1: %w", err)
	}
	if e.tfd, err = unix.TimerfdCreate(unix.CLOCK_MONOTONIC, unix.TFD_NONBLOCK|unix.TFD_CLOEXEC); err != nil {
		e.close()
		return nil, fmt.Errorf("timerfd_create: %w", err)
	}
	// Edge-triggered: re-arming clears the expiry count, so the timerfd is never read.
	if err := unix.EpollCtl(e.ep, unix.EPOLL_CTL_ADD, e.tfd, &unix.EpollEvent{Events: unix.EPOLLIN | unix.EPOLLET, Fd: timerTag}); err != nil {
		e.close()
		return nil, fmt.Errorf("epoll_ctl: %w", err)
	}
	var ts unix.Timespec
	e.base = time.Now()
	if err := unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts); err != nil {
		e.close()
		return nil, err
	}
	e.baseMono = ts.Nano()
	e.events = make([]unix.EpollEvent, 128)
	e.conns = make([]*lconn, cfg.Conns)
	for i := range e.conns {
		c := &lconn{fd: -1, buf: make([]byte, 64<<10), bodyLeft: -1}
		e.conns[i] = c
		if err := e.dial(i); err != nil {
			e.close()
			return nil, fmt.Errorf("cannot connect to %s: %w", cfg.Addr, err)
		}
	}
	return e, nil
}

// dial connects connection i (loopback: a blocking connect returns at once).
func (e *engine) dial(i int) error {
	c := e.conns[i]
	fd, err := unix.Socket(e.domain, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return err
	}
	if err := unix.Connect(fd, e.sa); err != nil {
		unix.Close(fd)
		return err
	}
	unix.SetsockoptInt(fd, unix.IPPROTO_TCP, unix.TCP_NODELAY, 1)
	unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_TIMESTAMPNS, 1) // if refused, answers are timed when read
	if err := unix.SetNonblock(fd, true); err != nil {
		unix.Close(fd)
		return err
	}
	if err := unix.EpollCtl(e.sp, unix.EPOLL_CTL_ADD, fd, &unix.EpollEvent{Events: unix.EPOLLIN, Fd: int32(i)}); err != nil {
		unix.Close(fd)
		return err
	}
	c.fd, c.n, c.bodyLeft, c.closing = fd, 0, -1, false
	return nil
}

func (e *engine) hangup(c *lconn) {
	if c.fd >= 0 {
		unix.Close(c.fd) // leaves the epoll set with it
		c.fd = -1
	}
	c.busy, c.out = false, nil
}

func (e *engine) close() {
	for _, c := range e.conns {
		if c != nil {
			e.hangup(c)
		}
	}
	if e.tfd >= 0 {
		unix.Close(e.tfd)
	}
	if e.sp >= 0 {
		unix.Close(e.sp)
	}
	if e.ep >= 0 {
		unix.Close(e.ep)
	}
}

// fail ends connection i's request in flight with err (counted if recorded) and reconnects.
func (e *engine) fail(i int, err error) {
	c := e.conns[i]
	if c.busy {
		e.rec.note(0, err, c.rec)
		c.free = e.now()
	}
	if !e.reconnect(i) {
		c.retryAt = e.now() + redialPause
	}
}

// reconnect hangs up connection i and dials it again; false if the dial failed.
func (e *engine) reconnect(i int) bool {
	e.hangup(e.conns[i])
	return e.dial(i) == nil
}

// send writes connection i's next request, due at due (engine ns; in the closed loop, now).
func (e *engine) send(i int, due int64) {
	c := e.conns[i]
	if testSendDelay > 0 {
		for t := time.Now(); time.Since(t) < testSendDelay; {
		}
	}
	c.sent = e.now()
	c.due, c.busy = due, true
	c.rec = due >= e.record && due < e.end
	if c.rec && e.open() {
		// The generator's own lateness: from when it could have sent (due, or when this
		// connection came free if every connection was busy at the due time) to when it did.
		e.rec.lag.RecordValue(max(0, c.sent-max(due, c.free)))
	}
	c.out = e.req
	e.flush(i)
}

// flush writes what is left of connection i's request; the rest waits for EPOLLOUT.
func (e *engine) flush(i int) {
	c := e.conns[i]
	for len(c.out) > 0 {
		n, err := rawWrite(c.fd, c.out)
		if err == unix.EAGAIN {
			unix.EpollCtl(e.sp, unix.EPOLL_CTL_MOD, c.fd, &unix.EpollEvent{Events: unix.EPOLLIN | unix.EPOLLOUT, Fd: int32(i)})
			return
		}
		if err != nil {
			e.fail(i, err)
			return
		}
		if n == len(c.out) {
			if len(e.req) > len(c.out) { // it had waited for EPOLLOUT
				unix.EpollCtl(e.sp, unix.EPOLL_CTL_MOD, c.fd, &unix.EpollEvent{Events: unix.EPOLLIN, Fd: int32(i)})
			}
			c.out = nil
			return
		}
		c.out = c.out[n:]
	}
}

var errUnexpected = errors.New("bytes from the server with no request in flight")

// readable reads what connection i received and completes its request when the answer is
// whole. It reads until then or until the socket is drained: the netpoller reports the epoll
// set only on a new event, so a socket left readable would not wake the loop again.
func (e *engine) readable(i int) {
	for e.readOnce(i) {
	}
}

// readOnce does one read; true when it read something and the answer is not yet whole.
func (e *engine) readOnce(i int) bool {
	c := e.conns[i]
	if c.n == len(c.buf) {
		e.fail(i, errors.New("response headers larger than 64 KiB"))
		return false
	}
	n, stamp, err := e.rx.recv(c.fd, c.buf[c.n:])
	if err == unix.EAGAIN {
		return false
	}
	if n == 0 && err == nil {
		err = errors.New("EOF: the server closed the connection")
		if !c.busy { // an idle keep-alive connection closed: not a request's failure
			if !e.reconnect(i) {
				c.retryAt = e.now() + redialPause
			}
			return false
		}
	}
	if err != nil {
		e.fail(i, err)
		return false
	}
	if !c.busy {
		e.fail(i, errUnexpected)
		return false
	}
	c.n += n
	done, err := c.consume()
	if err != nil {
		e.fail(i, err)
		return false
	}
	if done {
		e.complete(i, stamp)
	}
	return !done
}

// complete ends connection i's request with the answer just parsed. The answer's time is when
// its last bytes reached the socket, if the kernel's stamp (CLOCK_REALTIME ns) says so
// plausibly, or else now; it is counted, and its latencies recorded if in the window.
func (e *engine) complete(i int, stamp int64) {
	c := e.conns[i]
	t := e.now()
	at := stamp - e.wallOff
	if e.stamped = stamp != 0 && at >= c.sent && at <= t; e.stamped {
		t = at
	}
	c.busy, c.free = false, t
	e.answered++
	e.rec.note(c.status, nil, c.rec)
	if c.rec {
		if e.open() {
			// From the due time, or from the send if it went out early (within the slack).
			e.rec.corrected.RecordValue(t - min(c.due, c.sent))
		}
		e.rec.uncorrected.RecordValue(t - c.sent)
	}
	if c.closing && !e.reconnect(i) {
		c.retryAt = t + redialPause
	}
}

var crlf2 = []byte("\r\n\r\n")

// consume parses the bytes received so far; done when a whole response is in.
func (c *lconn) consume() (done bool, err error) {
	if c.bodyLeft < 0 {
		h := bytes.Index(c.buf[:c.n], crlf2)
		if h < 0 {
			return false, nil
		}
		status, length, closing, err := parseHead(c.buf[:h+2])
		if err != nil {
			return false, err
		}
		c.status, c.bodyLeft, c.closing = status, length, closing
		c.n = copy(c.buf, c.buf[h+4:c.n])
	}
	take := min(c.n, c.bodyLeft)
	c.bodyLeft -= take
	c.n = copy(c.buf, c.buf[take:c.n])
	if c.bodyLeft > 0 {
		return false, nil
	}
	c.bodyLeft = -1
	if c.n > 0 {
		return false, errUnexpected
	}
	return true, nil
}

// parseHead parses a status line and headers, each line ending in CRLF.
func parseHead(b []byte) (status, length int, closing bool, err error) {
	line, rest, _ := bytes.Cut(b, []byte("\r\n"))
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.")) {
		return 0, 0, false, fmt.Errorf("malformed status line %q", line)
	}
	if status, err = strconv.Atoi(string(line[9:12])); err != nil {
		return 0, 0, false, fmt.Errorf("malformed status line %q", line)
	}
	hd := head{length: -1}
	for len(rest) > 0 {
		var h []byte
		h, rest, _ = bytes.Cut(rest, []byte("\r\n"))
		if err := hd.header(h); err != nil {
			return 0, 0, false, err
		}
	}
	if hd.length < 0 {
		return 0, 0, false, errNoLength
	}
	return status, hd.length, hd.closing, nil
}

// arm sets the timerfd to fire at t (engine time), unless it already does.
func (e *engine) arm(t int64) error {
	if t == e.armed {
		return nil
	}
	spec := unix.ItimerSpec{Value: unix.NsecToTimespec(e.baseMono + t)}
	if err := rawTimerfdSettime(e.tfd, unix.TFD_TIMER_ABSTIME, &spec); err != nil {
		return fmt.Errorf("timerfd_settime: %w", err)
	}
	e.armed = t
	return nil
}

// watch makes answers wake the engine (sp in ep), or not.
func (e *engine) watch(on bool) error {
	if on == e.watching {
		return nil
	}
	op := unix.EPOLL_CTL_DEL
	if on {
		op = unix.EPOLL_CTL_ADD
	}
	if err := unix.EpollCtl(e.ep, op, e.sp, &unix.EpollEvent{Events: unix.EPOLLIN, Fd: socketsTag}); err != nil {
		return fmt.Errorf("epoll_ctl: %w", err)
	}
	e.watching = on
	return nil
}

// A round's deadlines, in ns.
const (
	redialPause = int64(time.Millisecond)       // after a failed connect, before the next
	maxPark     = int64(100 * time.Millisecond) // the longest the engine parks, to notice a cancelled context
)

// round is what one step decides besides what it sends: when the engine must wake next and
// whether the run goes on.
type round struct {
	now    int64 // engine time (ns) of the round, taken after the sockets were handled
	wake   int64 // engine time (ns) by which the engine must wake; math.MaxInt64: no need
	active bool  // a request is in flight or still to be sent: the run goes on
}

// need says the run goes on and the engine must wake by t (engine ns).
func (r *round) need(t int64) {
	r.active = true
	r.wake = min(r.wake, t)
}

// step does one round: handle what the sockets reported, expire and redial, send what is due,
// and say when the next round is needed (wake, engine time) or that the run is over.
func (e *engine) step(ctx context.Context) (wake int64, over bool) {
	again := e.poll()
	if ctx.Err() != nil {
		return 0, true
	}
	r := round{now: e.now(), wake: math.MaxInt64}
	if again {
		r.wake = r.now
	}
	for i := range e.conns {
		e.tend(i, &r)
	}
	if r.now < e.start {
		r.need(e.start)
	}
	if e.open() && r.now < e.end {
		e.sendDue(&r)
	}
	if !r.active {
		return 0, true
	}
	if err := e.watch(e.answersWake()); err != nil {
		e.fatal = err
		return 0, true
	}
	return min(r.wake, r.now+maxPark), false
}

// poll takes what the timer and the sockets reported, and reads the answers and writes the
// requests' rest that the sockets are ready for. again: come straight back rather than park.
func (e *engine) poll() (again bool) {
	// The engine set first, so that the timer and the socket set report afresh next time.
	n, err := rawPoll(e.ep, e.events)
	again = err != nil
	for _, ev := range e.events[:max(n, 0)] {
		if ev.Fd == timerTag {
			e.armed = 0 // the timer fired
		}
	}
	n, err = rawPoll(e.sp, e.events)
	// A full batch may leave events that will not be reported again, and a failed poll (EINTR)
	// took none: either way, come straight back rather than park.
	again = again || err != nil || n == len(e.events)
	if err != nil {
		n = 0
	}
	t := time.Now()
	e.wallOff = t.UnixNano() - int64(t.Sub(e.base))
	for _, ev := range e.events[:n] {
		i := int(ev.Fd)
		c := e.conns[i]
		if c.fd < 0 {
			continue
		}
		if ev.Events&(unix.EPOLLIN|unix.EPOLLERR|unix.EPOLLHUP) != 0 {
			e.readable(i)
		}
		if ev.Events&unix.EPOLLOUT != 0 && c.fd >= 0 && len(c.out) > 0 {
			e.flush(i)
		}
	}
	return again
}

// tend does what connection i needs this round: expire its request, redial it, and inside the
// window send the closed loop's next request at once, or queue the connection as idle for the
// open loop's schedule.
func (e *engine) tend(i int, r *round) {
	c := e.conns[i]
	if e.inFlight(i, r) || r.now >= e.end || r.now < e.start || !e.connected(i, r) {
		return
	}
	if e.open() {
		if !c.idle {
			c.idle = true
			e.idle = append(e.idle, i)
		}
		return
	}
	r.active = true
	e.send(i, r.now)
	if c.busy {
		r.need(c.sent + e.timeout)
	}
}

// inFlight says whether connection i still waits for an answer, and wakes the round when it
// times out; a request that waited e.timeout fails here.
func (e *engine) inFlight(i int, r *round) bool {
	c := e.conns[i]
	if !c.busy {
		return false
	}
	if r.now-c.sent < e.timeout {
		r.need(c.sent + e.timeout)
		return true
	}
	e.fail(i, fmt.Errorf("no answer within %v", e.cfg.Timeout))
	return false
}

// connected says whether connection i is connected, redialling it once its retry time has
// come; while it is not, the round wakes at the retry time.
func (e *engine) connected(i int, r *round) bool {
	c := e.conns[i]
	if c.fd >= 0 {
		return true
	}
	if r.now >= c.retryAt {
		if e.dial(i) == nil {
			return true
		}
		c.retryAt = r.now + redialPause
	}
	r.need(c.retryAt)
	return false
}

// sendDue sends every request of the schedule that a round at r.now sends (due by now+slack),
// each on the connection idle longest, and wakes the round when the next request is due or a
// request sent times out. A request due by now that finds no idle connection waits for the
// next answer (noConn).
func (e *engine) sendDue(r *round) {
	if _, ok := e.sched.due(e.k); !ok {
		return
	}
	r.active = true
	for n := e.sched.ready(e.k, r.now); n > 0 && len(e.idle) > 0; {
		i := e.idle[0]
		e.idle = e.idle[1:]
		c := e.conns[i]
		if c.idle = false; c.fd < 0 || c.busy {
			continue // lost its connection while idle: back in the queue once redialled
		}
		due, _ := e.sched.due(e.k)
		e.k++
		n--
		e.send(i, due)
		if c.busy {
			r.need(c.sent + e.timeout)
		}
	}
	if due, ok := e.sched.due(e.k); ok {
		// Due and no idle connection: it waits for the next answer. Not yet due: come back
		// when it is.
		if e.noConn = due <= r.now; !e.noConn {
			r.need(due)
		}
	}
}

// answersWake says whether answers must wake the engine: in the closed loop (it sends on
// each), and in the open loop when a due request waits for a connection, a request waits to
// be written, an answer is partly read, answers are large, nothing is left to send, or answers
// come unstamped (the kernel turns stamping on in deferred work, so the first may be).
// Otherwise they are read when the timer wakes it.
func (e *engine) answersWake() bool {
	_, left := e.sched.due(e.k)
	writing, reading := false, false
	for _, c := range e.conns {
		writing = writing || len(c.out) > 0
		reading = reading || c.busy && (c.n > 0 || c.bodyLeft >= 0)
		e.large = e.large || c.bodyLeft > largeAnswer
	}
	return !e.open() || e.noConn || writing || reading || e.large || !left || !e.stamped
}

// run drives the engine until every scheduled request is sent and answered (or timed out).
func (e *engine) run(ctx context.Context) error {
	if err := unix.SetNonblock(e.ep, true); err != nil {
		return err
	}
	// os.File takes the epoll descriptor; it is closed through f below, not e.close.
	f := os.NewFile(uintptr(e.ep), "epoll")
	defer func() { f.Close(); e.ep = -1 }()
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	err = rc.Read(func(uintptr) bool {
		for {
			wake, over := e.step(ctx)
			if over {
				return true
			}
			if wake <= e.now() {
				continue
			}
			if e.fatal = e.arm(wake); e.fatal != nil {
				return true
			}
			// Park until the timer or a socket reports; anything that reported since the
			// EpollWait in step has already made the netpoller mark the epoll fd ready.
			return false
		}
	})
	if err != nil {
		return err
	}
	return e.fatal
}

// unsent counts the open loop's requests due in the recorded window that were never sent,
// and of them those left because every connection was waiting for the server's answer.
func (e *engine) unsent() (n, waiting int64) {
	n = e.sched.dueBy(e.k, e.end) - e.sched.dueBy(e.k, e.record-1)
	if e.noConn {
		waiting = n
	}
	return n, waiting
}
