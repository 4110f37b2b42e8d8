//! What server peers share (PROTOCOL.md, "Server peers"): bind a loopback `--addr`, print
//! `READY <addr>` and begin the timed region, and the server checksum. Std only, like the rest
//! of this crate; waiting for SIGTERM is left to each server's own runtime.

use std::io::Write as _;
use std::net::{SocketAddr, TcpListener, ToSocketAddrs};

use crate::flags::{fail, usage, Params};
use crate::hash::fnv1a64_hex;
use crate::result::Region;

/// The address a server peer binds when `--addr` is not given: loopback, any free port.
pub const DEFAULT_ADDR: &str = "127.0.0.1:0";

/// Why [`try_listen`] did not give a listener, as the protocol classes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ListenError {
    /// A bad `--addr` (not host:port, or not loopback): a usage error, exit 2. Nothing was bound.
    Usage(String),
    /// The bind itself failed (address in use, ...): a failure while working, exit 1.
    Fail(String),
}

/// The socket addresses `addr` stands for, when it is a loopback `host:port`: an IP literal
/// (`127.0.0.0/8`, `[::1]`, or `::ffff:127.x.y.z`) or `localhost` (resolved, keeping only its
/// loopback addresses). Anything else is the message of a usage error; nothing is bound here.
pub fn loopback_addrs(addr: &str) -> Result<Vec<SocketAddr>, String> {
    let not_loopback = || {
        format!(
            "--addr {addr:?} is not a loopback address (server peers serve 127.0.0.0/8 or ::1 only)"
        )
    };
    if let Ok(sa) = addr.parse::<SocketAddr>() {
        return if sa.ip().to_canonical().is_loopback() {
            Ok(vec![sa])
        } else {
            Err(not_loopback())
        };
    }
    let Some((host, port)) = addr.rsplit_once(':') else {
        return Err(format!("--addr {addr:?} is not host:port"));
    };
    if port.parse::<u16>().is_err() || host.is_empty() || host.contains(':') {
        return Err(format!("--addr {addr:?} is not host:port"));
    }
    if !host.eq_ignore_ascii_case("localhost") {
        // A host name other than localhost, or an IP literal that is not loopback
        // ("10.0.0.1:80" parses as a SocketAddr above and is refused there).
        return Err(not_loopback());
    }
    let addrs: Vec<SocketAddr> = addr
        .to_socket_addrs()
        .map_err(|e| format!("--addr {addr:?}: {e}"))?
        .filter(|sa| sa.ip().to_canonical().is_loopback())
        .collect();
    if addrs.is_empty() {
        return Err(format!(
            "--addr {addr:?}: localhost has no loopback address here"
        ));
    }
    Ok(addrs)
}

/// Binds `addr` (which must be loopback, see [`loopback_addrs`]) and listens.
pub fn try_listen(addr: &str) -> Result<TcpListener, ListenError> {
    let addrs = loopback_addrs(addr).map_err(ListenError::Usage)?;
    TcpListener::bind(&addrs[..])
        .map_err(|e| ListenError::Fail(format!("cannot listen on {addr}: {e}")))
}

/// Binds `--addr` for a server peer, [`DEFAULT_ADDR`] when it was not given (and then sets
/// `p.addr` to it). A non-loopback or malformed address exits 2 before anything is bound; a
/// failed bind, such as a port in use, prints `<program>: cannot listen on <addr>: <error>`
/// and exits 1.
pub fn listen(p: &mut Params) -> TcpListener {
    if p.addr.is_empty() {
        p.addr = DEFAULT_ADDR.to_string();
    }
    match try_listen(&p.addr) {
        Ok(ln) => ln,
        Err(ListenError::Usage(msg)) => usage(&msg),
        Err(ListenError::Fail(msg)) => fail(&msg),
    }
}

/// The READY line for a listener bound to `addr`, newline included.
pub fn ready_line(addr: SocketAddr) -> String {
    format!("READY {addr}\n")
}

/// Begins the timed region (which lasts until the server is told to stop) and prints
/// `READY <addr>` to stdout, flushed. Call it once the listener bound to `addr` accepts
/// connections (and the server is ready for SIGTERM). An unwritable stdout is a failure (exit 1).
pub fn ready(p: &Params, addr: SocketAddr) -> Region {
    let region = Region::begin(p);
    let mut out = std::io::stdout().lock();
    if let Err(e) = out
        .write_all(ready_line(addr).as_bytes())
        .and_then(|()| out.flush())
    {
        fail(&format!("writing the READY line: {e}"));
    }
    region
}

/// The address a listener is bound to, for [`ready`]; a listener without one is a failure
/// (exit 1).
pub fn bound_addr(ln: &TcpListener) -> SocketAddr {
    ln.local_addr()
        .unwrap_or_else(|e| fail(&format!("the listener has no address: {e}")))
}

/// A server peer's checksum: FNV-1a 64 of its workload's name. A server's output is checked by
/// the harness request by request, not summarised by the peer.
pub fn server_checksum(workload: &str) -> String {
    fnv1a64_hex(workload.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read as _;
    use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, TcpStream};

    #[test]
    fn checksum_of_echo() {
        assert_eq!(server_checksum("echo"), "3000e56026044164");
    }

    #[test]
    fn loopback_literals_pass() {
        for (addr, ip, port) in [
            ("127.0.0.1:0", IpAddr::V4(Ipv4Addr::LOCALHOST), 0),
            (
                "127.1.2.3:8080",
                IpAddr::V4(Ipv4Addr::new(127, 1, 2, 3)),
                8080,
            ),
            ("[::1]:0", IpAddr::V6(Ipv6Addr::LOCALHOST), 0),
            (
                "[::ffff:127.0.0.1]:9",
                IpAddr::V6(Ipv4Addr::LOCALHOST.to_ipv6_mapped()),
                9,
            ),
        ] {
            assert_eq!(
                loopback_addrs(addr),
                Ok(vec![SocketAddr::new(ip, port)]),
                "{addr}"
            );
        }
    }

    #[test]
    fn localhost_resolves_to_loopback_only() {
        let addrs = loopback_addrs("localhost:0").expect("localhost resolves");
        assert!(!addrs.is_empty());
        assert!(addrs.iter().all(|a| a.ip().is_loopback() && a.port() == 0));
    }

    #[test]
    fn refuses_other_addresses() {
        for addr in [
            "10.0.0.1:80",
            "0.0.0.0:0",
            "192.168.1.1:0",
            "[::]:0",
            "[2001:db8::1]:0",
            "example.com:80",
        ] {
            let err = loopback_addrs(addr).unwrap_err();
            assert_eq!(
                err,
                format!(
                    "--addr {addr:?} is not a loopback address \
                     (server peers serve 127.0.0.0/8 or ::1 only)"
                )
            );
            assert_eq!(try_listen(addr).unwrap_err(), ListenError::Usage(err));
        }
        for addr in [
            "",
            "127.0.0.1",
            "127.0.0.1:",
            "127.0.0.1:x",
            ":80",
            "::1:0",
            "127.0.0.1:65536",
        ] {
            assert_eq!(
                loopback_addrs(addr),
                Err(format!("--addr {addr:?} is not host:port")),
                "{addr:?}"
            );
        }
    }

    #[test]
    fn listens_and_reports_address_in_use() {
        let ln = try_listen(DEFAULT_ADDR).expect("bind a free loopback port");
        let addr = bound_addr(&ln);
        assert!(addr.ip().is_loopback() && addr.port() != 0);
        assert_eq!(
            ready_line(addr),
            format!("READY 127.0.0.1:{}\n", addr.port())
        );
        // It accepts.
        let mut client = TcpStream::connect(addr).unwrap();
        let (mut server, _) = ln.accept().unwrap();
        std::io::Write::write_all(&mut client, b"x").unwrap();
        let mut b = [0u8; 1];
        server.read_exact(&mut b).unwrap();
        assert_eq!(&b, b"x");
        // A second bind of the same port fails, naming the address.
        let again = addr.to_string();
        match try_listen(&again) {
            Err(ListenError::Fail(msg)) => assert!(
                msg.starts_with(&format!("cannot listen on {again}: ")) && !msg.contains('\n'),
                "{msg}"
            ),
            other => panic!("second bind of {again}: {other:?}"),
        }
    }

    #[test]
    fn listen_defaults_the_address() {
        let mut p = Params::defaults("axum");
        let ln = listen(&mut p);
        assert_eq!(p.addr, DEFAULT_ADDR);
        assert!(ln.local_addr().unwrap().ip().is_loopback());
    }
}
