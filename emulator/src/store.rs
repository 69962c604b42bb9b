//! SQLite storage. This is the only module that runs SQL.
//!
//! Records are stored as JSON documents with a few indexed columns. Schema
//! changes are migrations keyed by `PRAGMA user_version`.
//!
//! [`Db`] owns the connections: one writer (behind a mutex: SQLite has one
//! writer at a time anyway) and a pool of readers, so reads never wait for
//! the write lock. A file database runs in WAL mode (readers see the last
//! committed state while a write is in progress); `--memory` uses SQLite's
//! `memdb` VFS under a private name, shared by this process's connections.
//! A file database is checkpointed by a background thread (`PASSIVE`, every
//! 200 ms), not by the committing writer: the copy back into the database
//! file and its fsync never run under the write lock.
//! Every write runs in one `BEGIN IMMEDIATE` transaction that commits, or
//! rolls back when the caller says so (an internal error) or when the
//! closure panics; a panic never leaves the writer inside a transaction nor
//! poisons a lock.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

use rusqlite::{params, Connection, OpenFlags, OptionalExtension};
use serde::{de::DeserializeOwned, Serialize};

use crate::model::{Client, LinkToken, Session, SignIn, SignUp, User};

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("stored record: {0}")]
    Json(#[from] serde_json::Error),
    #[error("database directory: {0}")]
    Io(#[from] std::io::Error),
    #[error("a store operation panicked: {0}")]
    Panicked(String),
}

pub type Result<T> = std::result::Result<T, StoreError>;

const MIGRATIONS: &[&str] = &[
    // 1: initial schema
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
     CREATE TABLE users (id TEXT PRIMARY KEY, data TEXT NOT NULL);
     CREATE TABLE identifiers (value TEXT PRIMARY KEY, kind TEXT NOT NULL, user_id TEXT NOT NULL);
     CREATE TABLE clients (id TEXT PRIMARY KEY, token_hash TEXT UNIQUE, data TEXT NOT NULL);
     CREATE TABLE dev_browsers (token_hash TEXT PRIMARY KEY, id TEXT NOT NULL, client_id TEXT, created_at INTEGER NOT NULL);
     CREATE TABLE sign_ins (id TEXT PRIMARY KEY, client_id TEXT NOT NULL, data TEXT NOT NULL);
     CREATE TABLE sign_ups (id TEXT PRIMARY KEY, client_id TEXT NOT NULL, data TEXT NOT NULL);
     CREATE TABLE sessions (id TEXT PRIMARY KEY, client_id TEXT NOT NULL, user_id TEXT NOT NULL, created_at INTEGER NOT NULL, data TEXT NOT NULL);
     CREATE INDEX sessions_client ON sessions (client_id);
     CREATE TABLE link_tokens (token_hash TEXT PRIMARY KEY, data TEXT NOT NULL);",
];

/// Readers kept open for reuse; more are opened under load and closed after.
const MAX_IDLE_READERS: usize = 16;

/// Locks a mutex, recovering it if a panic poisoned it (the data behind our
/// mutexes stays consistent: the store rolls back, the rest are caches).
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// SQLite's busy handler: the only contention is a writer's commit against
/// readers (memdb) or a checkpoint (WAL), both short; spin briefly, then
/// sleep in small steps, and give up after about five seconds.
fn busy(n: i32) -> bool {
    if n < 64 {
        std::thread::yield_now();
    } else {
        std::thread::sleep(Duration::from_micros(200));
    }
    n < 25_000
}

enum Source {
    File(PathBuf),
    /// A `memdb` URI shared by the connections of this process.
    Memory(String),
}

/// How often the background thread checkpoints a file database's WAL.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(200);

/// The database: one writer connection, a pool of reader connections.
pub struct Db {
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
    source: Source,
    checkpointer: Option<(Arc<AtomicBool>, JoinHandle<()>)>,
}

impl Drop for Db {
    fn drop(&mut self) {
        if let Some((stop, thread)) = self.checkpointer.take() {
            stop.store(true, Ordering::SeqCst);
            thread.thread().unpark();
            let _ = thread.join();
        }
    }
}

/// Checkpoints the WAL of `path` until `stop` is set.
fn checkpoint_loop(path: PathBuf, stop: Arc<AtomicBool>) {
    let Ok(conn) = Connection::open(&path) else {
        return;
    };
    let _ = conn.busy_handler(Some(busy));
    while !stop.load(Ordering::SeqCst) {
        std::thread::park_timeout(CHECKPOINT_EVERY);
        let r: rusqlite::Result<(i64, i64, i64)> =
            conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            });
        if let Err(e) = r {
            tracing::warn!(error = %e, "WAL checkpoint failed");
        }
    }
}

impl Db {
    /// Opens (creating the parent directory) a database file, or a private
    /// in-memory one for `None`.
    pub fn open(path: Option<&Path>) -> Result<Db> {
        let source = match path {
            Some(p) => {
                if let Some(dir) = p.parent() {
                    if !dir.as_os_str().is_empty() {
                        std::fs::create_dir_all(dir)?;
                    }
                }
                Source::File(p.to_path_buf())
            }
            None => Source::Memory(format!(
                "file:/clerk-emulator-{}?vfs=memdb",
                crate::domain::random_hex(12)
            )),
        };
        let writer = Self::connect(&source, false)?;
        let mut checkpointer = None;
        if let Source::File(p) = &source {
            writer.pragma_update(None, "journal_mode", "WAL")?;
            // A commit survives the process being killed (the WAL is written
            // before COMMIT returns); only a power loss may drop the last ones.
            writer.pragma_update(None, "synchronous", "NORMAL")?;
            writer.pragma_update(None, "wal_autocheckpoint", 0)?;
            writer.pragma_update(None, "journal_size_limit", 64 * 1024 * 1024)?;
            let stop = Arc::new(AtomicBool::new(false));
            let (path, flag) = (p.clone(), stop.clone());
            let thread = std::thread::Builder::new()
                .name("clerk-emulator-checkpoint".into())
                .spawn(move || checkpoint_loop(path, flag))?;
            checkpointer = Some((stop, thread));
        }
        migrate(&writer)?;
        Ok(Db {
            writer: Mutex::new(writer),
            readers: Mutex::new(Vec::new()),
            source,
            checkpointer,
        })
    }

    fn connect(source: &Source, reader: bool) -> Result<Connection> {
        let conn = match source {
            Source::File(p) => Connection::open(p)?,
            Source::Memory(uri) => Connection::open_with_flags(
                uri,
                OpenFlags::SQLITE_OPEN_READ_WRITE
                    | OpenFlags::SQLITE_OPEN_CREATE
                    | OpenFlags::SQLITE_OPEN_URI
                    | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?,
        };
        conn.busy_handler(Some(busy))?;
        conn.set_prepared_statement_cache_capacity(64);
        if let Source::File(_) = source {
            // Reads straight from the mapped file, and a page cache that holds
            // the hot tables (SQLite's default is 2 MB).
            conn.pragma_update(None, "mmap_size", 256 * 1024 * 1024)?;
            conn.pragma_update(None, "cache_size", -32 * 1024)?;
        }
        if reader {
            conn.pragma_update(None, "query_only", true)?;
        }
        Ok(conn)
    }

    /// Runs `f` in one write transaction. It commits when `keep(&result)`
    /// (the caller keeps, e.g., a failed attempt it answers with a 4xx), and
    /// rolls back otherwise, on an SQL error, or when `f` panics.
    pub fn write<T>(
        &self,
        f: impl FnOnce(&Store) -> T,
        keep: impl FnOnce(&T) -> bool,
    ) -> Result<T> {
        let conn = lock(&self.writer);
        if !conn.is_autocommit() {
            // Only reachable if an earlier rollback failed; never run on top.
            conn.execute_batch("ROLLBACK")?;
        }
        conn.execute_batch("BEGIN IMMEDIATE")?;
        let store = Store { conn: &conn };
        match catch_unwind(AssertUnwindSafe(|| f(&store))) {
            Ok(out) if keep(&out) => match conn.execute_batch("COMMIT") {
                Ok(()) => Ok(out),
                Err(e) => {
                    let _ = conn.execute_batch("ROLLBACK");
                    Err(e.into())
                }
            },
            Ok(out) => {
                conn.execute_batch("ROLLBACK")?;
                Ok(out)
            }
            Err(panic) => {
                let _ = conn.execute_batch("ROLLBACK");
                Err(StoreError::Panicked(panic_message(&panic)))
            }
        }
    }

    /// Runs `f` on a reader connection inside one read transaction (a
    /// consistent snapshot). Readers never take the write lock.
    pub fn read<T>(&self, f: impl FnOnce(&Store) -> T) -> Result<T> {
        let conn = match lock(&self.readers).pop() {
            Some(c) => c,
            None => Self::connect(&self.source, true)?,
        };
        conn.execute_batch("BEGIN")?;
        let out = catch_unwind(AssertUnwindSafe(|| f(&Store { conn: &conn })));
        let ended = conn.execute_batch("COMMIT").is_ok() && conn.is_autocommit();
        if ended {
            let mut pool = lock(&self.readers);
            if pool.len() < MAX_IDLE_READERS {
                pool.push(conn);
            }
        }
        out.map_err(|p| StoreError::Panicked(panic_message(&p)))
    }

    /// `PRAGMA integrity_check` on the writer ("ok" when healthy).
    pub fn integrity_check(&self) -> Result<String> {
        let conn = lock(&self.writer);
        Ok(conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?)
    }
}

/// The text of a caught panic's payload (for the log, never for a response).
pub(crate) fn panic_message(p: &Box<dyn std::any::Any + Send>) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".into())
}

fn migrate(conn: &Connection) -> Result<()> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    for (i, sql) in MIGRATIONS.iter().enumerate() {
        let target = i as i64 + 1;
        if version < target {
            conn.execute_batch("BEGIN IMMEDIATE")?;
            let step = conn
                .execute_batch(sql)
                .and_then(|_| conn.pragma_update(None, "user_version", target));
            match step {
                Ok(()) => conn.execute_batch("COMMIT")?,
                Err(e) => {
                    let _ = conn.execute_batch("ROLLBACK");
                    return Err(e.into());
                }
            }
        }
    }
    Ok(())
}

/// The SQL of one transaction (read or write).
pub struct Store<'c> {
    conn: &'c Connection,
}

fn to_json<T: Serialize>(v: &T) -> Result<String> {
    Ok(serde_json::to_string(v)?)
}

fn from_json<T: DeserializeOwned>(text: Option<String>) -> Result<Option<T>> {
    match text {
        Some(t) => Ok(Some(serde_json::from_str(&t)?)),
        None => Ok(None),
    }
}

impl Store<'_> {
    fn one_text(&self, sql: &str, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached(sql)?
            .query_row(params![key], |r| r.get(0))
            .optional()?)
    }

    fn exec(&self, sql: &str, p: impl rusqlite::Params) -> Result<usize> {
        Ok(self.conn.prepare_cached(sql)?.execute(p)?)
    }

    // ---- meta ----

    pub fn get_meta(&self, key: &str) -> Result<Option<String>> {
        self.one_text("SELECT value FROM meta WHERE key = ?1", key)
    }

    pub fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        self.exec(
            "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }

    // ---- users and identifiers ----

    pub fn get_user(&self, id: &str) -> Result<Option<User>> {
        from_json(self.one_text("SELECT data FROM users WHERE id = ?1", id)?)
    }

    pub fn put_user(&self, u: &User) -> Result<()> {
        self.exec(
            "INSERT INTO users (id, data) VALUES (?1, ?2) ON CONFLICT(id) DO UPDATE SET data = excluded.data",
            params![u.id, to_json(u)?],
        )?;
        Ok(())
    }

    /// The user owning a verified identifier (normalized email or phone).
    pub fn user_by_identifier(&self, value: &str) -> Result<Option<User>> {
        match self.one_text("SELECT user_id FROM identifiers WHERE value = ?1", value)? {
            Some(id) => self.get_user(&id),
            None => Ok(None),
        }
    }

    /// Claims an identifier for a user; false if another user holds it.
    pub fn claim_identifier(&self, value: &str, kind: &str, user_id: &str) -> Result<bool> {
        if let Some(owner) =
            self.one_text("SELECT user_id FROM identifiers WHERE value = ?1", value)?
        {
            return Ok(owner == user_id);
        }
        self.exec(
            "INSERT INTO identifiers (value, kind, user_id) VALUES (?1, ?2, ?3)",
            params![value, kind, user_id],
        )?;
        Ok(true)
    }

    pub fn user_count(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT COUNT(*) FROM users", [], |r| r.get(0))?)
    }

    // ---- clients ----

    pub fn get_client(&self, id: &str) -> Result<Option<Client>> {
        from_json(self.one_text("SELECT data FROM clients WHERE id = ?1", id)?)
    }

    pub fn client_by_token_hash(&self, hash: &str) -> Result<Option<Client>> {
        from_json(self.one_text("SELECT data FROM clients WHERE token_hash = ?1", hash)?)
    }

    /// Whether the client is identified by a `__client` token (not a dev browser).
    pub fn client_has_token(&self, id: &str) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached("SELECT token_hash IS NOT NULL FROM clients WHERE id = ?1")?
            .query_row(params![id], |r| r.get::<_, bool>(0))
            .optional()?
            .unwrap_or(false))
    }

    /// Inserts or updates a client; `token_hash` is only written when given.
    pub fn put_client(&self, c: &Client, token_hash: Option<&str>) -> Result<()> {
        let data = to_json(c)?;
        match token_hash {
            Some(h) => self.exec(
                "INSERT INTO clients (id, token_hash, data) VALUES (?1, ?2, ?3)
                 ON CONFLICT(id) DO UPDATE SET token_hash = excluded.token_hash, data = excluded.data",
                params![c.id, h, data],
            )?,
            None => self.exec(
                "INSERT INTO clients (id, data) VALUES (?1, ?2) ON CONFLICT(id) DO UPDATE SET data = excluded.data",
                params![c.id, data],
            )?,
        };
        Ok(())
    }

    pub fn delete_client(&self, id: &str) -> Result<()> {
        self.exec("DELETE FROM clients WHERE id = ?1", params![id])?;
        self.exec(
            "UPDATE dev_browsers SET client_id = NULL WHERE client_id = ?1",
            params![id],
        )?;
        Ok(())
    }

    // ---- dev browsers ----

    pub fn insert_dev_browser(&self, token_hash: &str, id: &str, now: i64) -> Result<()> {
        self.exec(
            "INSERT INTO dev_browsers (token_hash, id, client_id, created_at) VALUES (?1, ?2, NULL, ?3)",
            params![token_hash, id, now],
        )?;
        Ok(())
    }

    /// `Some(client_id)` when the dev browser exists.
    pub fn dev_browser_client(&self, token_hash: &str) -> Result<Option<Option<String>>> {
        Ok(self
            .conn
            .prepare_cached("SELECT client_id FROM dev_browsers WHERE token_hash = ?1")?
            .query_row(params![token_hash], |r| r.get::<_, Option<String>>(0))
            .optional()?)
    }

    pub fn set_dev_browser_client(&self, token_hash: &str, client_id: &str) -> Result<()> {
        self.exec(
            "UPDATE dev_browsers SET client_id = ?2 WHERE token_hash = ?1",
            params![token_hash, client_id],
        )?;
        Ok(())
    }

    // ---- sign-ins / sign-ups ----

    pub fn get_sign_in(&self, id: &str) -> Result<Option<SignIn>> {
        from_json(self.one_text("SELECT data FROM sign_ins WHERE id = ?1", id)?)
    }

    pub fn put_sign_in(&self, s: &SignIn) -> Result<()> {
        self.exec(
            "INSERT INTO sign_ins (id, client_id, data) VALUES (?1, ?2, ?3) ON CONFLICT(id) DO UPDATE SET data = excluded.data",
            params![s.id, s.client_id, to_json(s)?],
        )?;
        Ok(())
    }

    pub fn get_sign_up(&self, id: &str) -> Result<Option<SignUp>> {
        from_json(self.one_text("SELECT data FROM sign_ups WHERE id = ?1", id)?)
    }

    pub fn put_sign_up(&self, s: &SignUp) -> Result<()> {
        self.exec(
            "INSERT INTO sign_ups (id, client_id, data) VALUES (?1, ?2, ?3) ON CONFLICT(id) DO UPDATE SET data = excluded.data",
            params![s.id, s.client_id, to_json(s)?],
        )?;
        Ok(())
    }

    // ---- sessions ----

    pub fn get_session(&self, id: &str) -> Result<Option<Session>> {
        from_json(self.one_text("SELECT data FROM sessions WHERE id = ?1", id)?)
    }

    pub fn put_session(&self, s: &Session) -> Result<()> {
        self.exec(
            "INSERT INTO sessions (id, client_id, user_id, created_at, data) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(id) DO UPDATE SET data = excluded.data",
            params![s.id, s.client_id, s.user_id, s.created_at, to_json(s)?],
        )?;
        Ok(())
    }

    pub fn sessions_for_client(&self, client_id: &str) -> Result<Vec<Session>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT data FROM sessions WHERE client_id = ?1 ORDER BY created_at, id",
        )?;
        let rows = stmt.query_map(params![client_id], |r| r.get::<_, String>(0))?;
        let mut out = Vec::new();
        for t in rows {
            out.push(serde_json::from_str(&t?)?);
        }
        Ok(out)
    }

    // ---- email-link tokens ----

    pub fn get_link(&self, token_hash: &str) -> Result<Option<LinkToken>> {
        from_json(self.one_text(
            "SELECT data FROM link_tokens WHERE token_hash = ?1",
            token_hash,
        )?)
    }

    pub fn put_link(&self, token_hash: &str, l: &LinkToken) -> Result<()> {
        self.exec(
            "INSERT INTO link_tokens (token_hash, data) VALUES (?1, ?2) ON CONFLICT(token_hash) DO UPDATE SET data = excluded.data",
            params![token_hash, to_json(l)?],
        )?;
        Ok(())
    }

    // ---- control ----

    /// Deletes every record except the signing keys.
    pub fn reset(&self) -> Result<()> {
        self.conn.execute_batch(
            "DELETE FROM users; DELETE FROM identifiers; DELETE FROM clients; DELETE FROM dev_browsers;
             DELETE FROM sign_ins; DELETE FROM sign_ups; DELETE FROM sessions; DELETE FROM link_tokens;",
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn put(db: &Db, k: &str, v: &str) {
        db.write(|s| s.set_meta(k, v), |r| r.is_ok())
            .unwrap()
            .unwrap();
    }

    fn get(db: &Db, k: &str) -> Option<String> {
        db.read(|s| s.get_meta(k)).unwrap().unwrap()
    }

    #[test]
    fn migrates_and_roundtrips_meta() {
        let db = Db::open(None).unwrap();
        assert!(get(&db, "k").is_none());
        put(&db, "k", "v");
        put(&db, "k", "w");
        assert_eq!(get(&db, "k").as_deref(), Some("w"));
        assert_eq!(db.integrity_check().unwrap(), "ok");
    }

    #[test]
    fn a_refused_result_rolls_back() {
        let db = Db::open(None).unwrap();
        let r = db
            .write(|s| s.set_meta("k", "v").map(|_| "internal"), |_| false)
            .unwrap();
        assert!(r.is_ok());
        assert!(get(&db, "k").is_none());
    }

    #[test]
    fn a_panic_rolls_back_and_the_next_write_works() {
        for path in [None, Some(tempfile::tempdir().unwrap())] {
            let file = path.as_ref().map(|d| d.path().join("p.sqlite"));
            let db = Db::open(file.as_deref()).unwrap();
            let r = db.write(
                |s| {
                    s.set_meta("half", "written").unwrap();
                    panic!("boom");
                },
                |_: &()| true,
            );
            assert!(matches!(r, Err(StoreError::Panicked(m)) if m == "boom"));
            assert!(get(&db, "half").is_none(), "rolled back");
            put(&db, "after", "ok");
            assert_eq!(get(&db, "after").as_deref(), Some("ok"));
            let r = db.read(|_| -> () { panic!("reader") });
            assert!(matches!(r, Err(StoreError::Panicked(_))));
            assert_eq!(get(&db, "after").as_deref(), Some("ok"));
        }
    }

    #[test]
    fn readers_see_committed_writes_and_never_write() {
        let db = Db::open(None).unwrap();
        put(&db, "a", "1");
        // A reader connection is query-only.
        let r = db.read(|s| s.set_meta("b", "2")).unwrap();
        assert!(r.is_err());
        assert!(get(&db, "b").is_none());
        // Readers and the writer of two in-memory databases are separate.
        let other = Db::open(None).unwrap();
        assert!(get(&other, "a").is_none());
    }

    #[test]
    fn concurrent_readers_and_writer() {
        let db = std::sync::Arc::new(Db::open(None).unwrap());
        let mut handles = Vec::new();
        for t in 0..4 {
            let db = db.clone();
            handles.push(std::thread::spawn(move || {
                for i in 0..200 {
                    if t == 0 {
                        put(&db, &format!("k{i}"), "v");
                    } else {
                        db.read(|s| s.get_meta("k0")).unwrap().unwrap();
                    }
                }
            }));
        }
        for h in handles {
            h.join().unwrap();
        }
        assert_eq!(get(&db, "k199").as_deref(), Some("v"));
    }
}
