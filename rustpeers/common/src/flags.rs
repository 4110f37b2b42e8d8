//! The protocol's command line: long flags only, `--name value` or `--name=value`.

use std::ffi::OsString;
use std::io::Write;
use std::path::Path;
use std::process;

/// The protocol's common flags. A workload starts from [`Params::defaults`], sets its own
/// defaults, then calls [`Params::parse`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Params {
    /// `--size`, >= 0 (and <= i64::MAX, as every kit reads it as a signed 64-bit integer).
    pub size: u64,
    /// `--iters`, >= 1.
    pub iters: u64,
    /// `--threads`, >= 1.
    pub threads: u64,
    /// `--seed`, any u64.
    pub seed: u64,
    /// `--variant`.
    pub variant: String,
    /// `--input`.
    pub input: String,
    /// `--addr`.
    pub addr: String,
    /// `--hiccup`.
    pub hiccup: bool,
    /// `--workers`, >= 0; `None` when the workload does not use it (then not echoed).
    pub workers: Option<u64>,
    /// `--capacity`, >= 0; `None` when the workload does not use it (then not echoed).
    pub capacity: Option<u64>,
}

impl Params {
    /// The protocol's fallback values: size 0, iters 1, threads 1, seed 1, and the workload's
    /// default variant.
    pub fn defaults(variant: &str) -> Params {
        Params {
            size: 0,
            iters: 1,
            threads: 1,
            seed: 1,
            variant: variant.to_string(),
            input: String::new(),
            addr: String::new(),
            hiccup: false,
            workers: None,
            capacity: None,
        }
    }

    /// Reads the process's arguments into `self`. On a bad command line it prints one line
    /// `<program>: <what is wrong>` to stderr and exits with status 2.
    pub fn parse(&mut self) {
        if let Err(msg) = self.parse_args(std::env::args_os().skip(1)) {
            usage(&msg);
        }
    }

    /// Reads `args` (without the program name) into `self`; the error is the message for
    /// [`usage`].
    pub fn parse_args<I, S>(&mut self, args: I) -> Result<(), String>
    where
        I: IntoIterator<Item = S>,
        S: Into<OsString>,
    {
        let mut args = args.into_iter().map(Into::into);
        while let Some(arg) = args.next() {
            let arg = arg
                .into_string()
                .map_err(|a| format!("argument {a:?} is not valid UTF-8"))?;
            let flag = match arg.strip_prefix("--") {
                Some(flag) if !flag.is_empty() => flag,
                _ => {
                    return Err(format!(
                        "unexpected argument {arg:?} (flags are --name value)"
                    ))
                }
            };
            let (name, inline) = match flag.split_once('=') {
                Some((name, value)) => (name, Some(value.to_string())),
                None => (flag, None),
            };
            if name == "hiccup" {
                if inline.is_some() {
                    return Err("--hiccup takes no value".to_string());
                }
                self.hiccup = true;
                continue;
            }
            if !KNOWN_FLAGS.contains(&name) {
                return Err(format!("unknown flag --{name}"));
            }
            let value = match inline {
                Some(value) => value,
                None => args
                    .next()
                    .ok_or_else(|| format!("--{name} needs a value"))?
                    .into_string()
                    .map_err(|v| format!("--{name}: {v:?} is not valid UTF-8"))?,
            };
            match name {
                "size" => self.size = parse_int(name, &value, 0)?,
                "iters" => self.iters = parse_int(name, &value, 1)?,
                "threads" => self.threads = parse_int(name, &value, 1)?,
                "seed" => self.seed = parse_seed(&value)?,
                "variant" => self.variant = value,
                "input" => self.input = value,
                "addr" => self.addr = value,
                "workers" => self.workers = Some(parse_int(name, &value, 0)?),
                "capacity" => self.capacity = Some(parse_int(name, &value, 0)?),
                _ => unreachable!("flag --{name} is in KNOWN_FLAGS but not handled"),
            }
        }
        Ok(())
    }

    /// Exits with status 2 (see [`usage`]) unless the variant is one of `known`.
    pub fn require_variant(&self, known: &[&str]) {
        if let Err(msg) = self.check_variant(known) {
            usage(&msg);
        }
    }

    /// The check behind [`Params::require_variant`], without exiting.
    pub fn check_variant(&self, known: &[&str]) -> Result<(), String> {
        if known.contains(&self.variant.as_str()) {
            Ok(())
        } else {
            Err(format!(
                "unknown variant {:?} (have {})",
                self.variant,
                known.join(", ")
            ))
        }
    }
}

const KNOWN_FLAGS: [&str; 9] = [
    "size", "iters", "threads", "seed", "variant", "input", "addr", "workers", "capacity",
];

/// An integer >= `min` that fits in an i64, like the other kits read it.
fn parse_int(name: &str, value: &str, min: i64) -> Result<u64, String> {
    match value.parse::<i64>() {
        Ok(v) if v >= min => Ok(v as u64),
        _ => Err(format!("--{name}: {value:?} is not an integer >= {min}")),
    }
}

/// A u64 in decimal. Rust's parser alone would also take a leading '+'; the other kits don't.
fn parse_seed(value: &str) -> Result<u64, String> {
    match value.parse::<u64>() {
        Ok(v) if !value.starts_with('+') => Ok(v),
        _ => Err(format!("--seed: {value:?} is not an unsigned integer")),
    }
}

/// The program's name as the protocol's messages start with it: the base name of argv\[0\].
pub fn program_name() -> String {
    std::env::args_os()
        .next()
        .and_then(|a| {
            Path::new(&a)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
        })
        .unwrap_or_else(|| "peer".to_string())
}

fn die(msg: &str, status: i32) -> ! {
    let line = format!("{}: {}\n", program_name(), msg);
    // Nothing more can be said if stderr is gone; the exit status still tells.
    let _ = std::io::stderr().lock().write_all(line.as_bytes());
    process::exit(status)
}

/// Prints one line `<program>: <msg>` to stderr and exits 2: the answer to a bad command line.
pub fn usage(msg: &str) -> ! {
    die(msg, 2)
}

/// Prints one line `<program>: <msg>` to stderr and exits 1: the peer failed while working.
pub fn fail(msg: &str) -> ! {
    die(msg, 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &str) -> Result<Params, String> {
        let mut p = Params::defaults("std");
        p.parse_args(args.split_whitespace()).map(|()| p)
    }

    #[test]
    fn defaults() {
        let p = Params::defaults("naive");
        assert_eq!((p.size, p.iters, p.threads, p.seed), (0, 1, 1, 1));
        assert_eq!(p.variant, "naive");
        assert!(!p.hiccup && p.input.is_empty() && p.addr.is_empty());
        // A workload overrides what it documents.
        let p = Params {
            size: 256,
            seed: 42,
            ..Params::defaults("naive")
        };
        assert_eq!(
            p.parse_args_ok("--size=8"),
            Params {
                size: 8,
                ..p.clone()
            }
        );
    }

    impl Params {
        fn parse_args_ok(&self, args: &str) -> Params {
            let mut p = self.clone();
            p.parse_args(args.split_whitespace()).unwrap();
            p
        }
    }

    #[test]
    fn parses_both_forms() {
        let p = parse(
            "--size 512 --iters=3 --threads 2 --seed 18446744073709551615 --variant faer \
             --hiccup --addr 127.0.0.1:0 --input=/tmp/x=y",
        )
        .unwrap();
        let want = Params {
            size: 512,
            iters: 3,
            threads: 2,
            seed: u64::MAX,
            variant: "faer".into(),
            input: "/tmp/x=y".into(),
            addr: "127.0.0.1:0".into(),
            hiccup: true,
            workers: None,
            capacity: None,
        };
        assert_eq!(p, want);
        let p = parse("--workers 64 --capacity=0").unwrap();
        assert_eq!((p.workers, p.capacity), (Some(64), Some(0)));
        assert_eq!(parse("").unwrap(), Params::defaults("std"));
        // A value may look like a flag; it is still the value.
        assert_eq!(parse("--variant --size").unwrap().variant, "--size");
        assert_eq!(parse("--variant=").unwrap().variant, "");
        assert_eq!(parse("--size 0 --seed 0").unwrap().size, 0);
    }

    #[test]
    fn rejects_bad_command_lines() {
        for (args, want) in [
            ("--bogus 1", "unknown flag --bogus"),
            ("--bogus", "unknown flag --bogus"),
            ("--bogus=1", "unknown flag --bogus"),
            ("--size", "--size needs a value"),
            ("--iters 2 --threads", "--threads needs a value"),
            ("--size -1", r#"--size: "-1" is not an integer >= 0"#),
            ("--size=", r#"--size: "" is not an integer >= 0"#),
            (
                "--size 9223372036854775808",
                r#"--size: "9223372036854775808" is not an integer >= 0"#,
            ),
            ("--iters 0", r#"--iters: "0" is not an integer >= 1"#),
            ("--threads=2x", r#"--threads: "2x" is not an integer >= 1"#),
            (
                "--threads 1.5",
                r#"--threads: "1.5" is not an integer >= 1"#,
            ),
            ("--seed x", r#"--seed: "x" is not an unsigned integer"#),
            ("--seed -1", r#"--seed: "-1" is not an unsigned integer"#),
            ("--seed +1", r#"--seed: "+1" is not an unsigned integer"#),
            (
                "--seed 18446744073709551616",
                r#"--seed: "18446744073709551616" is not an unsigned integer"#,
            ),
            ("--hiccup=1", "--hiccup takes no value"),
            ("--workers -1", r#"--workers: "-1" is not an integer >= 0"#),
            (
                "size 3",
                r#"unexpected argument "size" (flags are --name value)"#,
            ),
            (
                "-size 3",
                r#"unexpected argument "-size" (flags are --name value)"#,
            ),
            ("--", r#"unexpected argument "--" (flags are --name value)"#),
        ] {
            assert_eq!(parse(args), Err(want.to_string()), "args {args:?}");
        }
    }

    #[test]
    fn variants() {
        let p = Params::defaults("naive");
        assert_eq!(p.check_variant(&["naive", "faer"]), Ok(()));
        let p = Params {
            variant: "blas".into(),
            ..p
        };
        assert_eq!(
            p.check_variant(&["naive", "faer"]),
            Err(r#"unknown variant "blas" (have naive, faer)"#.to_string())
        );
    }
}
