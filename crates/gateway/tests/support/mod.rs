//! What the fault tests (`pg_outage.rs`, `sigterm.rs`, `killed_article.rs`) share: the real
//! `gazette` binary as a child process, a private PostgreSQL server the test may stop and start,
//! and a small HTTP/1.1 client over real sockets.
//!
//! Each test file is its own crate and uses part of this module, so unused items are allowed.

#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "shared by several test crates, each using part of it; a panic is a failed test"
)]

use std::io::{BufRead as _, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

/// The `gazette` binary with no `GAZETTE_*` variable of the test's environment.
pub fn gazette() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_gazette"));
    for (name, _) in std::env::vars() {
        if name.starts_with("GAZETTE_") {
            command.env_remove(name);
        }
    }
    command
}

/// `n` spelt with letters (person names take no digits).
pub fn letters(mut n: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(char::from(b'a' + u8::try_from(n % 26).unwrap()));
        n /= 26;
        if n == 0 {
            break;
        }
    }
    out.iter().rev().collect()
}

/// A generated meeting report in which `people` officials speak, each new ("Đồng chí Nguyễn
/// Văn X, Chủ tịch UBND xã Tân X, ..."): its apply writes, in one transaction, a person, an
/// administrative unit and its people's committee, a post, a holding and citations for each.
/// Articles of different `round`s name different people and places.
pub fn article(people: usize, round: usize) -> String {
    let mut text = String::from(
        "16/01/2021 - 05:59\n\nHội nghị tổng kết công tác dân vận năm 2020\n\n(CT) - Ngày \
         15-1-2021, Ban Thường vụ Thành ủy Cần Thơ tổ chức hội nghị tổng kết công tác dân vận \
         năm 2020.\n",
    );
    for i in 0..people {
        let mut name = letters(round * 100_000 + i + 30);
        name[..1].make_ascii_uppercase();
        text.push_str(&format!(
            "\nĐồng chí Nguyễn Văn {name}, Chủ tịch UBND xã Tân {name}, phát biểu tại hội nghị.\n"
        ));
    }
    text.push_str("\nTin, ảnh: THANH THY\n");
    text
}

/// Makes a token with the command line; returns its text.
pub fn token(url: &str, role: &str, name: &str) -> String {
    let output = gazette()
        .args(["token", "create", "--role", role, "--name", name])
        .args(["--database-url", url])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "token create: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

/// Whether the suite was told to run the PostgreSQL tests (CI sets the variable).
pub fn postgres_required() -> bool {
    std::env::var("GAZETTE_TEST_DATABASE_URL").is_ok_and(|url| !url.is_empty())
}

// ---------------------------------------------------------------------------------------------
// A private PostgreSQL server.

/// A PostgreSQL server of this test's own, in a temporary directory on a free port, which the
/// test may stop and start again (the shared server other tests use is never touched). Stopped
/// and removed on drop.
pub struct PrivatePostgres {
    bindir: PathBuf,
    dir: PathBuf,
    port: u16,
    /// When running as root: the user the server runs as (initdb refuses root).
    run_as: Option<String>,
}

impl PrivatePostgres {
    /// Starts one. When PostgreSQL's server programs cannot be found or run: panics if the
    /// suite runs the PostgreSQL tests (`GAZETTE_TEST_DATABASE_URL` set), else returns `None`
    /// and the test is skipped with a message.
    pub fn start_or_skip(test: &str) -> Option<Self> {
        match Self::start() {
            Ok(server) => Some(server),
            Err(reason) if postgres_required() => panic!(
                "{test} needs a private PostgreSQL server (initdb and pg_ctl) and \
                 GAZETTE_TEST_DATABASE_URL is set, but one cannot be started: {reason}"
            ),
            Err(reason) => {
                eprintln!("skipping {test}: no private PostgreSQL server ({reason})");
                None
            }
        }
    }

    fn start() -> Result<Self, String> {
        let bindir = find_bindir()?;
        let run_as = if is_root()? {
            // initdb refuses to run as root: run the server as the `postgres` user.
            let user = "postgres";
            let exists = Command::new("id")
                .arg("-u")
                .arg(user)
                .output()
                .is_ok_and(|o| o.status.success());
            if !exists {
                return Err("running as root and there is no `postgres` user to run it as".into());
            }
            Some(user.to_owned())
        } else {
            None
        };
        let dir =
            std::env::temp_dir().join(format!("gazette_pg_{}", uuid::Uuid::now_v7().simple()));
        let mut server = Self {
            bindir,
            dir,
            port: 0,
            run_as,
        };
        // The directory is made by the user the server runs as, so it owns it.
        server.run("mkdir", &["-p", &server.dir.display().to_string()], false)?;
        let data = server.data().display().to_string();
        let initdb = server.tool("initdb");
        server.run(
            &initdb,
            &[
                "-D",
                &data,
                "-A",
                "trust",
                "-U",
                "postgres",
                "-E",
                "UTF8",
                "--no-locale",
                "--no-sync",
            ],
            true,
        )?;
        // A free port: bind, read it, let it go. Another process may take it in between, so
        // a failed start tries another.
        let mut last = String::new();
        for _ in 0..5 {
            server.port = free_port();
            match server.start_server() {
                Ok(()) => return Ok(server),
                Err(error) => last = error,
            }
        }
        Err(last)
    }

    fn data(&self) -> PathBuf {
        self.dir.join("data")
    }

    fn tool(&self, name: &str) -> String {
        self.bindir.join(name).display().to_string()
    }

    /// Runs a program as the server's user; `quiet` discards its output unless it fails.
    fn run(&self, program: &str, args: &[&str], quiet: bool) -> Result<(), String> {
        let mut command = match &self.run_as {
            Some(user) if has_runuser() => {
                let mut command = Command::new("runuser");
                command.args(["-u", user, "--", program]).args(args);
                command
            }
            Some(user) => {
                let line: Vec<String> = std::iter::once(program)
                    .chain(args.iter().copied())
                    .map(|word| format!("'{}'", word.replace('\'', "'\\''")))
                    .collect();
                let mut command = Command::new("su");
                command.args(["-s", "/bin/sh", user, "-c", &line.join(" ")]);
                command
            }
            None => {
                let mut command = Command::new(program);
                command.args(args);
                command
            }
        };
        command.stdin(Stdio::null());
        let output = command
            .output()
            .map_err(|error| format!("cannot run {program}: {error}"))?;
        if output.status.success() {
            if !quiet {
                let _ = std::io::Write::write_all(&mut std::io::stderr(), &output.stderr);
            }
            Ok(())
        } else {
            Err(format!(
                "{program} {args:?} failed ({}): {}{}",
                output.status,
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            ))
        }
    }

    /// Starts the server on its port and waits until it accepts connections.
    pub fn start_server(&self) -> Result<(), String> {
        let options = format!(
            "-c listen_addresses=127.0.0.1 -c port={} -c unix_socket_directories={}",
            self.port,
            self.dir.display()
        );
        let data = self.data().display().to_string();
        let log = self.dir.join("server.log").display().to_string();
        let pg_ctl = self.tool("pg_ctl");
        self.run(
            &pg_ctl,
            &[
                "start", "-D", &data, "-l", &log, "-w", "-t", "60", "-o", &options,
            ],
            true,
        )
        .map_err(|error| format!("{error}\nserver log:\n{}", self.log()))
    }

    /// Stops the server: `fast` (clients are disconnected, a checkpoint is written) or
    /// `immediate` (every server process quits at once, as in a crash; the next start recovers
    /// from the write-ahead log). Waits until it is down.
    pub fn stop_server(&self, mode: &str) {
        let data = self.data().display().to_string();
        let pg_ctl = self.tool("pg_ctl");
        self.run(
            &pg_ctl,
            &["stop", "-D", &data, "-m", mode, "-w", "-t", "60"],
            true,
        )
        .unwrap();
    }

    /// The server's log.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("server.log")).unwrap_or_default()
    }

    /// The URL of its `postgres` database.
    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }
}

impl Drop for PrivatePostgres {
    fn drop(&mut self) {
        let data = self.data().display().to_string();
        let pg_ctl = self.tool("pg_ctl");
        let _ = self.run(
            &pg_ctl,
            &["stop", "-D", &data, "-m", "immediate", "-w"],
            true,
        );
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Where PostgreSQL's server programs are: `pg_config --bindir`, else `initdb` on the `PATH`,
/// else the newest Debian-style `/usr/lib/postgresql/<version>/bin`.
fn find_bindir() -> Result<PathBuf, String> {
    let has_tools = |dir: &Path| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file();
    if let Ok(output) = Command::new("pg_config").arg("--bindir").output()
        && output.status.success()
    {
        let dir = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
        if has_tools(&dir) {
            return Ok(dir);
        }
    }
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path) {
            if has_tools(&dir) {
                return Ok(dir);
            }
        }
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse().ok()?;
            Some((version, entry.path().join("bin")))
        })
        .filter(|(_, dir)| has_tools(dir))
        .collect();
    versions.sort();
    versions.pop().map(|(_, dir)| dir).ok_or_else(|| {
        "initdb and pg_ctl were not found (pg_config --bindir, PATH, /usr/lib/postgresql); \
         install PostgreSQL's server package"
            .to_owned()
    })
}

fn has_runuser() -> bool {
    Command::new("runuser")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
}

fn is_root() -> Result<bool, String> {
    let output = Command::new("id")
        .arg("-u")
        .output()
        .map_err(|error| format!("cannot run `id -u`: {error}"))?;
    Ok(String::from_utf8_lossy(&output.stdout).trim() == "0")
}

/// A TCP port nothing listens on just now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

// ---------------------------------------------------------------------------------------------
// The gateway as a child process.

/// `gazette serve` on an ephemeral port; its standard error is collected.
pub struct Server {
    pub child: Child,
    pub address: SocketAddr,
    log: Arc<Mutex<Vec<u8>>>,
    reader: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    /// Starts `gazette serve --database-url URL --listen 127.0.0.1:0 EXTRA...`.
    pub fn start(url: &str, extra: &[&str]) -> Self {
        Self::start_with(url, extra, &[])
    }

    /// [`Self::start`] with these environment variables set too (`GAZETTE_LOG`, say).
    pub fn start_with(url: &str, extra: &[&str], env: &[(&str, &str)]) -> Self {
        let mut child = gazette()
            .args(["serve", "--database-url", url, "--listen", "127.0.0.1:0"])
            .args(extra)
            .envs(env.iter().copied())
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let log = Arc::new(Mutex::new(Vec::new()));
        let (address_sender, address_receiver) = std::sync::mpsc::channel();
        let sink = Arc::clone(&log);
        let reader = std::thread::spawn(move || {
            let mut lines = BufReader::new(stderr);
            let mut line = Vec::new();
            while lines.read_until(b'\n', &mut line).unwrap_or(0) > 0 {
                let text = String::from_utf8_lossy(&line);
                if let Some(rest) = text.split("GraphQL at http://").nth(1)
                    && let Some(address) = rest.split('/').next()
                    && let Ok(address) = address.parse::<SocketAddr>()
                {
                    let _ = address_sender.send(address);
                }
                sink.lock().unwrap().extend_from_slice(&line);
                line.clear();
            }
        });
        let address = address_receiver
            .recv_timeout(Duration::from_secs(120))
            .unwrap_or_else(|_| {
                panic!(
                    "gazette serve did not start: {}",
                    String::from_utf8_lossy(&log.lock().unwrap())
                )
            });
        Self {
            child,
            address,
            log,
            reader: Some(reader),
        }
    }

    /// What it logged so far.
    pub fn log(&self) -> String {
        String::from_utf8_lossy(&self.log.lock().unwrap()).into_owned()
    }

    /// Sends it SIGTERM (as a service manager does to stop it).
    pub fn terminate(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success(), "kill -TERM failed");
    }

    /// Waits up to `limit` for it to exit; `None` if it is still running.
    pub fn wait_for_exit(&mut self, limit: Duration) -> Option<ExitStatus> {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                if let Some(reader) = self.reader.take() {
                    let _ = reader.join();
                }
                return Some(status);
            }
            if started.elapsed() > limit {
                return None;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Whether it is still running.
    pub fn running(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// ---------------------------------------------------------------------------------------------
// HTTP.

/// An HTTP response.
#[derive(Debug, Clone)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// The body.
    pub body: Vec<u8>,
}

impl Response {
    /// The body as JSON (`Null` when it is not JSON).
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }

    /// The first error's `extensions.code`, if any.
    pub fn error_code(&self) -> Option<String> {
        self.json()["errors"][0]["extensions"]["code"]
            .as_str()
            .map(str::to_owned)
    }
}

/// Sends one request over a fresh connection (`Connection: close`) and reads the whole
/// response; an error when the connection fails or `limit` passes.
pub async fn request(
    address: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
    limit: Duration,
) -> Result<Response, String> {
    let exchange = async {
        let mut stream = TcpStream::connect(address)
            .await
            .map_err(|error| format!("connect: {error}"))?;
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\nContent-Length: {}\r\n",
            body.len()
        );
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        stream
            .write_all(head.as_bytes())
            .await
            .map_err(|error| format!("write: {error}"))?;
        stream
            .write_all(body)
            .await
            .map_err(|error| format!("write: {error}"))?;
        let mut raw = Vec::new();
        stream
            .read_to_end(&mut raw)
            .await
            .map_err(|error| format!("read: {error}"))?;
        parse(&raw)
    };
    tokio::time::timeout(limit, exchange)
        .await
        .unwrap_or_else(|_| Err(format!("no response within {limit:?}")))
}

/// A GraphQL POST.
pub async fn graphql(
    address: SocketAddr,
    query: &str,
    variables: Value,
    token: Option<&str>,
    limit: Duration,
) -> Result<Response, String> {
    let body = json!({ "query": query, "variables": variables }).to_string();
    let authorization = token.map(|token| format!("Bearer {token}"));
    let mut headers = vec![("Content-Type", "application/json")];
    if let Some(value) = &authorization {
        headers.push(("Authorization", value.as_str()));
    }
    request(
        address,
        "POST",
        "/graphql",
        &headers,
        body.as_bytes(),
        limit,
    )
    .await
}

fn parse(raw: &[u8]) -> Result<Response, String> {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| format!("no complete response head in {} bytes", raw.len()))?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("no status in {head:?}"))?;
    let header = |name: &str| {
        head.split("\r\n").skip(1).find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.trim()
                .eq_ignore_ascii_case(name)
                .then(|| value.trim().to_owned())
        })
    };
    let mut body = raw[split + 4..].to_vec();
    if header("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
        body = dechunk(&body)?;
    } else if let Some(length) = header("content-length").and_then(|v| v.parse::<usize>().ok())
        && body.len() != length
    {
        return Err(format!(
            "the body has {} bytes; Content-Length says {length}",
            body.len()
        ));
    }
    Ok(Response { status, body })
}

fn dechunk(mut data: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    loop {
        let line_end = data
            .windows(2)
            .position(|w| w == b"\r\n")
            .ok_or("a chunked body cut short")?;
        let size = usize::from_str_radix(String::from_utf8_lossy(&data[..line_end]).trim(), 16)
            .map_err(|_| "a malformed chunk size")?;
        if size == 0 {
            return Ok(out);
        }
        let start = line_end + 2;
        let chunk = data
            .get(start..start + size)
            .ok_or("a chunked body cut short")?;
        out.extend_from_slice(chunk);
        data = data
            .get(start + size + 2..)
            .ok_or("a chunked body cut short")?;
    }
}
