//! The gateway killed with SIGKILL in the middle of a Popolo import: after a restart the
//! database holds all of the file or none of it, and the audit chain is intact.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests unwrap: a panic is a failed test"
)]

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use gazette_storage::{Database, PageRequest, PersonFilter, StorageOptions};

const PEOPLE: usize = 20_000;

fn gazette() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_gazette"));
    for (name, _) in std::env::vars() {
        if name.starts_with("GAZETTE_") {
            command.env_remove(name);
        }
    }
    command
}

/// `n` spelt with letters (names take no digits).
fn letters(mut n: usize) -> String {
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

async fn people_count(url: &str) -> usize {
    let db = Database::connect_and_migrate(&StorageOptions::new(url))
        .await
        .unwrap();
    let mut count = 0;
    let mut page = PageRequest::first(100);
    loop {
        let result = db.people(&PersonFilter::default(), &page).await.unwrap();
        count += result.edges.len();
        match (result.has_next_page, result.edges.last()) {
            (true, Some(last)) => page = PageRequest::after(100, last.cursor.clone()),
            _ => break,
        }
    }
    count
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_killed_midway_leaves_all_of_the_file_or_none_of_it() {
    let stem =
        std::env::temp_dir().join(format!("gazette_killed_{}", uuid::Uuid::now_v7().simple()));
    let database: PathBuf = stem.with_extension("db");
    let file: PathBuf = stem.with_extension("json");
    let url = format!("sqlite://{}?mode=rwc", database.display());
    let persons: Vec<serde_json::Value> = (0..PEOPLE)
        .map(|i| serde_json::json!({ "id": format!("person-{i}"), "name": format!("Nguyễn Văn Thử {}", letters(i)) }))
        .collect();
    std::fs::write(&file, serde_json::json!({ "persons": persons }).to_string()).unwrap();
    // Migrate first, so the kill lands in the import, not in the migrations.
    assert_eq!(people_count(&url).await, 0);

    // The write-ahead log as the migrations left it: the import's writes grow it beyond this.
    let wal = PathBuf::from(format!("{}-wal", database.display()));
    let baseline = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
    let mut import = gazette()
        .args(["import", "popolo"])
        .arg(&file)
        .args(["--database-url", &url])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait until the import is writing: the SQLite write-ahead log grows as rows go in.
    let started = Instant::now();
    let mut writing = false;
    while started.elapsed() < Duration::from_secs(60) {
        if import.try_wait().unwrap().is_some() {
            break;
        }
        if std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0) > baseline + 1024 * 1024 {
            writing = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(
        writing,
        "the import finished or never started writing before it could be killed"
    );
    assert!(
        import.try_wait().unwrap().is_none(),
        "the import finished before the kill"
    );
    import.kill().unwrap();
    import.wait().unwrap();
    eprintln!("killed after {:?}", started.elapsed());

    // After a "restart" (a fresh connection, which recovers the journal), all or nothing.
    let count = people_count(&url).await;
    assert!(
        count == 0 || count == PEOPLE,
        "{count} of {PEOPLE} people after the kill"
    );
    let verify = gazette()
        .args(["audit", "verify", "--database-url", &url])
        .output()
        .unwrap();
    assert!(
        verify.status.success(),
        "{}",
        String::from_utf8_lossy(&verify.stdout)
    );
    for path in [
        file,
        database.clone(),
        wal,
        PathBuf::from(format!("{}-shm", database.display())),
    ] {
        let _ = std::fs::remove_file(path);
    }
}
