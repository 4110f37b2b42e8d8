//! Runs the built echo peer, both variants, and checks it against the protocol ("Server peers")
//! and workloads/README.md ("echo"), with a small HTTP/1.1 client over std's TcpStream. Every
//! wait is bounded; a server left running by a failed test is killed when its guard drops.

#[path = "../../testsupport/peer.rs"]
mod peer;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use peer::{checksum, refused, result, Expect};

const BIN: &str = env!("CARGO_BIN_EXE_echo");
const VARIANTS: [&str; 2] = ["axum", "hyper"];
/// The bound of every single wait: READY, a response, an exit.
const TIMEOUT: Duration = Duration::from_secs(20);
const CHECKSUM: &str = "3000e56026044164";

/// A running server peer; killed (SIGKILL) if still running when dropped.
struct Server {
    child: Child,
    addr: String,
    variant: String,
    threads: u64,
    args: String,
    /// The rest of stdout after READY.
    stdout: Option<JoinHandle<Vec<u8>>>,
    stderr: Option<JoinHandle<Vec<u8>>>,
}

impl Server {
    /// Starts `echo --variant <variant> --addr 127.0.0.1:0 --threads 2 <extra>` and waits for
    /// its READY line.
    fn start(variant: &str, extra: &[&str]) -> Server {
        let mut args = vec![
            "--variant",
            variant,
            "--addr",
            "127.0.0.1:0",
            "--threads",
            "2",
        ];
        args.extend_from_slice(extra);
        Server::spawn(&args, variant, 2)
    }

    /// Starts `echo <args>`, which must run `variant` with `threads`, and waits for its READY
    /// line.
    fn spawn(args: &[&str], variant: &str, threads: u64) -> Server {
        let mut child = Command::new(BIN)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run {BIN}: {e}"));
        // The first line (READY) comes through the channel; the rest of stdout, byte for byte,
        // is what the thread returns once the peer closes it.
        let (tx, ready) = mpsc::channel();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let stdout = Some(thread::spawn(move || {
            let mut line = String::new();
            let _ = out.read_line(&mut line);
            let _ = tx.send(line);
            let mut rest = Vec::new();
            let _ = out.read_to_end(&mut rest);
            rest
        }));
        let mut err = child.stderr.take().unwrap();
        let stderr = Some(thread::spawn(move || {
            let mut b = Vec::new();
            let _ = err.read_to_end(&mut b);
            b
        }));
        let mut server = Server {
            child,
            addr: String::new(),
            variant: variant.to_string(),
            threads,
            args: args.join(" "),
            stdout,
            stderr,
        };
        let line = ready
            .recv_timeout(TIMEOUT)
            .unwrap_or_else(|e| panic!("{variant}: no READY line within {TIMEOUT:?}: {e}"));
        let addr = line
            .strip_prefix("READY ")
            .and_then(|a| a.strip_suffix('\n'))
            .unwrap_or_else(|| panic!("{variant}: first line {line:?} is not READY"));
        assert!(
            addr.starts_with("127.0.0.1:") && !addr.ends_with(":0"),
            "{line:?}"
        );
        server.addr = addr.to_string();
        server
    }

    fn connect(&self) -> Conn {
        Conn::new(&self.addr)
    }

    /// Sends SIGTERM and waits (bounded) for the exit; returns what the peer did, READY line
    /// included, and how long it took to exit.
    fn terminate(mut self) -> (Output, Duration) {
        let pid = i32::try_from(self.child.id()).unwrap();
        // SAFETY: kill(2) on our own child's pid, which has not been reaped yet.
        let rc = unsafe { libc::kill(pid, libc::SIGTERM) };
        assert_eq!(rc, 0, "kill -TERM {pid}");
        let sent = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            assert!(
                sent.elapsed() < TIMEOUT,
                "{}: still running {TIMEOUT:?} after SIGTERM",
                self.variant
            );
            thread::sleep(Duration::from_millis(5));
        };
        let took = sent.elapsed();
        // The peer has exited and closed both pipes: these threads are done or about to be.
        let stderr = self.stderr.take().unwrap().join().unwrap();
        let mut stdout = format!("READY {}\n", self.addr).into_bytes();
        stdout.extend(self.stdout.take().unwrap().join().unwrap());
        let out = Output {
            status,
            stdout,
            stderr,
        };
        (out, took)
    }

    /// Stops the server and checks its result line: exit 0, a valid line, the echo checksum,
    /// and `ops` between the requests surely answered and all the requests sent. Returns the
    /// line and how long the peer took to exit after SIGTERM.
    fn stop_and_check(
        self,
        answered: u64,
        sent: u64,
        hiccup: bool,
    ) -> (serde_json::Value, Duration) {
        let (variant, threads, args) = (self.variant.clone(), self.threads, self.args.clone());
        let (out, took) = self.terminate();
        let v = result(
            &out,
            &Expect {
                workload: "echo",
                variant: &variant,
                params: [0, 1, threads, 1],
                hiccup,
            },
        );
        assert_eq!(checksum(&v), CHECKSUM, "{args}");
        let ops = v["ops"].as_u64().unwrap();
        assert!(
            (answered..=sent).contains(&ops),
            "{args}: ops {ops}, want {answered}..={sent}"
        );
        assert!(v["elapsed_ns"].as_u64().unwrap() > 0, "{args}");
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert_eq!(
            stdout.lines().count(),
            2,
            "{args}: READY and the result line only: {stdout:?}"
        );
        (v, took)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// One client connection, HTTP/1.1 with keep-alive.
struct Conn {
    w: TcpStream,
    r: BufReader<TcpStream>,
}

#[derive(Debug)]
struct Resp {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Resp {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

impl Conn {
    fn new(addr: &str) -> Conn {
        let sa = addr.parse().expect("a socket address");
        let w = TcpStream::connect_timeout(&sa, TIMEOUT)
            .unwrap_or_else(|e| panic!("connect {addr}: {e}"));
        w.set_read_timeout(Some(TIMEOUT)).unwrap();
        w.set_write_timeout(Some(TIMEOUT)).unwrap();
        w.set_nodelay(true).unwrap();
        let r = BufReader::new(w.try_clone().unwrap());
        Conn { w, r }
    }

    fn send(&mut self, bytes: &[u8]) {
        self.w.write_all(bytes).expect("send");
    }

    /// Sends one request; `body` gets a Content-Length (always, for POST).
    fn request(
        &mut self,
        method: &str,
        path: &str,
        content_type: Option<&str>,
        body: &[u8],
    ) -> Resp {
        let mut head = format!("{method} {path} HTTP/1.1\r\nHost: test\r\n");
        if let Some(ct) = content_type {
            head.push_str(&format!("Content-Type: {ct}\r\n"));
        }
        if method == "POST" || !body.is_empty() {
            head.push_str(&format!("Content-Length: {}\r\n", body.len()));
        }
        head.push_str("\r\n");
        let mut req = head.into_bytes();
        req.extend_from_slice(body);
        self.send(&req);
        self.response(method == "HEAD")
    }

    /// Reads one response; its body by Content-Length (none for HEAD).
    fn response(&mut self, head_only: bool) -> Resp {
        let status_line = self.line();
        let mut parts = status_line.splitn(3, ' ');
        assert_eq!(parts.next(), Some("HTTP/1.1"), "{status_line:?}");
        let status: u16 = parts
            .next()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("status line {status_line:?}"));
        let mut headers = Vec::new();
        loop {
            let line = self.line();
            if line.is_empty() {
                break;
            }
            let (n, v) = line
                .split_once(':')
                .unwrap_or_else(|| panic!("header {line:?}"));
            headers.push((n.trim().to_string(), v.trim().to_string()));
        }
        let mut res = Resp {
            status,
            headers,
            body: Vec::new(),
        };
        assert!(
            res.header("transfer-encoding").is_none(),
            "unexpected chunked answer: {res:?}"
        );
        if !head_only {
            let len: usize = res
                .header("content-length")
                .unwrap_or_else(|| panic!("no Content-Length in {res:?}"))
                .parse()
                .unwrap();
            res.body = vec![0; len];
            self.r.read_exact(&mut res.body).expect("read the body");
        }
        res
    }

    fn line(&mut self) -> String {
        let mut line = String::new();
        let n = self.r.read_line(&mut line).expect("read a line");
        assert!(n > 0, "connection closed instead of answering");
        assert!(line.ends_with("\r\n"), "{line:?}");
        line.truncate(line.len() - 2);
        line
    }

    /// Everything until the server closes the connection (bounded by the read timeout); an
    /// error such as a reset ends it too.
    fn rest(mut self) -> Vec<u8> {
        let mut b = Vec::new();
        let _ = self.r.read_to_end(&mut b);
        b
    }
}

/// Deterministic payload bytes.
fn payload(len: usize, seed: u64) -> Vec<u8> {
    let mut rng = common::SplitMix64::new(seed);
    (0..len).map(|_| rng.next() as u8).collect()
}

fn health(s: &Server) {
    let res = s.connect().request("GET", "/health", None, b"");
    assert_eq!(
        (res.status, res.body.as_slice()),
        (200, &b"ok"[..]),
        "{res:?}"
    );
}

#[test]
fn echoes_bodies_over_one_keep_alive_connection() {
    for variant in VARIANTS {
        let s = Server::start(variant, &[]);
        let mut c = s.connect();
        let mut answered = 0;
        for (i, len) in [0usize, 64, 1024, 16384, 1 << 20].into_iter().enumerate() {
            let body = payload(len, i as u64);
            // With a Content-Type it is copied, parameters and all; without, octet-stream.
            let ct = (i % 2 == 0).then_some("text/x-test; charset=latin1");
            let res = c.request("POST", "/echo", ct, &body);
            answered += 1;
            assert_eq!(res.status, 200, "{variant} {len}");
            assert_eq!(
                res.header("content-length"),
                Some(len.to_string().as_str()),
                "{variant} {len}"
            );
            assert_eq!(
                res.header("content-type"),
                Some(ct.unwrap_or("application/octet-stream")),
                "{variant} {len}"
            );
            assert!(res.body == body, "{variant}: body of {len} bytes differs");
            assert_ne!(res.header("connection"), Some("close"), "{variant}");
        }
        // Still the same connection: other routes on it too.
        let res = c.request("GET", "/health", None, b"");
        answered += 1;
        assert_eq!((res.status, res.body.as_slice()), (200, &b"ok"[..]));
        let res = c.request("POST", "/echo", Some("application/json"), b"{\"a\":1}");
        answered += 1;
        assert_eq!(res.body, b"{\"a\":1}");
        assert_eq!(res.header("content-type"), Some("application/json"));

        // The limit is 16 MiB: exactly that is echoed, one byte more announced is 413.
        let big = payload(16 << 20, 99);
        let mut c2 = s.connect();
        let res = c2.request("POST", "/echo", None, &big);
        answered += 1;
        assert_eq!(res.status, 200, "{variant}: 16 MiB");
        assert!(res.body == big, "{variant}: the 16 MiB body differs");
        drop(big);
        let mut c3 = s.connect();
        c3.send(b"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 16777217\r\n\r\n");
        let res = c3.response(false);
        answered += 1;
        assert_eq!(res.status, 413, "{variant}: {res:?}");

        // The first connection is still good.
        let res = c.request("POST", "/echo", None, b"again");
        answered += 1;
        assert_eq!((res.status, res.body.as_slice()), (200, &b"again"[..]));
        s.stop_and_check(answered, answered, false);
    }
}

#[test]
fn everything_else_is_404() {
    for variant in VARIANTS {
        let s = Server::start(variant, &[]);
        let mut c = s.connect();
        let mut answered = 0;
        for (method, path) in [
            ("GET", "/nope"),
            ("GET", "/"),
            ("POST", "/nope"),
            ("GET", "/echo"),
            ("PUT", "/echo"),
            ("POST", "/health"),
            ("DELETE", "/health"),
            ("GET", "/echo/"),
            ("GET", "/healthz"),
            ("HEAD", "/health"),
            ("HEAD", "/echo"),
        ] {
            let body: &[u8] = if method == "POST" || method == "PUT" {
                b"x"
            } else {
                b""
            };
            let res = c.request(method, path, None, body);
            answered += 1;
            assert_eq!(res.status, 404, "{variant}: {method} {path}: {res:?}");
        }
        let res = c.request("GET", "/health?probe=1", None, b"");
        answered += 1;
        assert_eq!(
            (res.status, res.body.as_slice()),
            (200, &b"ok"[..]),
            "{variant}"
        );
        s.stop_and_check(answered, answered, false);
    }
}

#[test]
fn survives_bad_clients_and_stops_within_bounds() {
    for variant in VARIANTS {
        let s = Server::start(variant, &["--hiccup"]);
        let (mut answered, mut sent) = (0, 0);

        // A malformed request line: 400 or a closed connection, nothing else.
        let mut bad = s.connect();
        bad.send(b"THIS IS NOT HTTP\r\n\r\n");
        sent += 1;
        let rest = bad.rest();
        assert!(
            rest.is_empty() || rest.starts_with(b"HTTP/1.1 400"),
            "{variant}: {:?}",
            String::from_utf8_lossy(&rest)
        );
        health(&s);
        (answered, sent) = (answered + 1, sent + 1);

        // A body cut short: the client stops writing after 10 of 100 bytes.
        let mut cut = s.connect();
        cut.send(b"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\n0123456789");
        sent += 1;
        cut.w.shutdown(Shutdown::Write).unwrap();
        let rest = cut.rest();
        assert!(
            rest.is_empty() || rest.starts_with(b"HTTP/1.1 400"),
            "{variant}: {:?}",
            String::from_utf8_lossy(&rest)
        );
        health(&s);
        (answered, sent) = (answered + 1, sent + 1);

        // Garbage after a good request on a keep-alive connection.
        let mut c = s.connect();
        let res = c.request("POST", "/echo", None, b"fine");
        (answered, sent) = (answered + 1, sent + 1);
        assert_eq!(res.body, b"fine");
        c.send(b"\x00\x01\x02 garbage\r\n\r\n");
        sent += 1;
        let _ = c.rest();
        health(&s);
        (answered, sent) = (answered + 1, sent + 1);

        // At SIGTERM: one idle keep-alive connection and one stuck in the middle of a body.
        // Neither may keep the server from stopping for long.
        let mut idle = s.connect();
        let res = idle.request("GET", "/health", None, b"");
        (answered, sent) = (answered + 1, sent + 1);
        assert_eq!(res.status, 200);
        let mut stuck = s.connect();
        stuck.send(b"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\nabc");
        sent += 1;
        // Let the server start on it, so that it is in flight at SIGTERM.
        thread::sleep(Duration::from_millis(50));

        let (v, took) = s.stop_and_check(answered, sent, true);
        // The drain is bounded (1 s in the peer); allow for a slow machine.
        assert!(
            took < Duration::from_secs(8),
            "{variant}: took {took:?} to stop"
        );
        assert!(v["hiccup"]["count"].as_u64().is_some(), "{variant}");
        drop((idle, stuck));
    }
}

/// Runs the peer with `args`, expecting it to exit by itself (bounded), and returns its output.
fn run_bounded(args: &[&str]) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            panic!(
                "echo {args:?} still running after {TIMEOUT:?}; stdout {:?}",
                String::from_utf8_lossy(&out.stdout)
            );
        }
        thread::sleep(Duration::from_millis(5));
    }
    child.wait_with_output().unwrap()
}

#[test]
fn address_in_use_is_exit_1() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    for variant in VARIANTS {
        let out = run_bounded(&["--variant", variant, "--addr", &addr]);
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(1), "{variant}: {stderr:?}");
        assert!(out.stdout.is_empty(), "{variant}: no READY");
        assert!(
            stderr.starts_with(&format!("echo: cannot listen on {addr}: "))
                && stderr.ends_with('\n')
                && stderr.matches('\n').count() == 1,
            "{variant}: {stderr:?}"
        );
    }
}

#[test]
fn refuses_bad_command_lines() {
    for variant in VARIANTS {
        for addr in ["10.0.0.1:80", "0.0.0.0:0", "[::]:0", "example.com:80"] {
            let line = refused(
                &run_bounded(&["--variant", variant, "--addr", addr]),
                "echo",
            );
            assert_eq!(
                line,
                format!(
                    "echo: --addr {addr:?} is not a loopback address \
                     (server peers serve 127.0.0.0/8 or ::1 only)"
                )
            );
        }
        let line = refused(
            &run_bounded(&["--variant", variant, "--addr", "127.0.0.1"]),
            "echo",
        );
        assert_eq!(line, r#"echo: --addr "127.0.0.1" is not host:port"#);
        refused(
            &run_bounded(&["--variant", variant, "--threads", "0"]),
            "echo",
        );
    }
    let line = refused(&run_bounded(&["--variant", "actix"]), "echo");
    assert_eq!(line, r#"echo: unknown variant "actix" (have axum, hyper)"#);
    refused(&run_bounded(&["--bogus"]), "echo");
}

#[test]
fn defaults_to_axum_on_a_loopback_port() {
    // No flags at all: variant axum, 127.0.0.1:0, one thread.
    let s = Server::spawn(&[], "axum", 1);
    health(&s);
    s.stop_and_check(1, 1, false);
}
