//! SQLite storage. This is the only module that runs SQL.
//!
//! Records are stored as JSON documents with a few indexed columns. Schema
//! changes are migrations keyed by `PRAGMA user_version`.

use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension};
use serde::{de::DeserializeOwned, Serialize};

use crate::model::{Client, LinkToken, Session, SignIn, SignUp, User};

pub type Result<T> = std::result::Result<T, String>;

fn e(err: impl std::fmt::Display) -> String {
    err.to_string()
}

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

pub struct Store {
    conn: Connection,
}

impl Store {
    /// Opens (creating the parent directory) a database file, or an in-memory one for `None`.
    pub fn open(path: Option<&Path>) -> Result<Store> {
        let conn = match path {
            Some(p) => {
                if let Some(dir) = p.parent() {
                    if !dir.as_os_str().is_empty() {
                        std::fs::create_dir_all(dir).map_err(e)?;
                    }
                }
                let c = Connection::open(p).map_err(e)?;
                c.pragma_update(None, "journal_mode", "WAL").map_err(e)?;
                c.pragma_update(None, "synchronous", "NORMAL").map_err(e)?;
                c
            }
            None => Connection::open_in_memory().map_err(e)?,
        };
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(e)?;
        let mut store = Store { conn };
        store.migrate()?;
        Ok(store)
    }

    fn migrate(&mut self) -> Result<()> {
        let version: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(e)?;
        for (i, sql) in MIGRATIONS.iter().enumerate() {
            let target = i as i64 + 1;
            if version < target {
                let tx = self.conn.transaction().map_err(e)?;
                tx.execute_batch(sql).map_err(e)?;
                tx.pragma_update(None, "user_version", target).map_err(e)?;
                tx.commit().map_err(e)?;
            }
        }
        Ok(())
    }

    /// Runs `f` inside one SQLite transaction that is always committed: a request
    /// that ends in an error must still keep what it recorded (e.g. a failed attempt).
    pub fn batch<T>(&mut self, f: impl FnOnce(&mut Store) -> T) -> T {
        let began = self.conn.execute_batch("BEGIN IMMEDIATE").is_ok();
        let out = f(self);
        if began {
            let _ = self.conn.execute_batch("COMMIT");
        }
        out
    }

    // ---- generic JSON documents ----

    fn get_doc<T: DeserializeOwned>(&self, table: &str, id: &str) -> Option<T> {
        let sql = format!("SELECT data FROM {table} WHERE id = ?1");
        let text: Option<String> = self
            .conn
            .query_row(&sql, params![id], |r| r.get(0))
            .optional()
            .ok()
            .flatten();
        text.and_then(|t| serde_json::from_str(&t).ok())
    }

    fn to_json<T: Serialize>(v: &T) -> String {
        serde_json::to_string(v).expect("records serialize")
    }

    // ---- meta ----

    pub fn get_meta(&self, key: &str) -> Option<String> {
        self.conn
            .query_row("SELECT value FROM meta WHERE key = ?1", params![key], |r| {
                r.get(0)
            })
            .optional()
            .ok()
            .flatten()
    }

    pub fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                params![key, value],
            )
            .map(|_| ())
            .map_err(e)
    }

    // ---- users and identifiers ----

    pub fn get_user(&self, id: &str) -> Option<User> {
        self.get_doc("users", id)
    }

    pub fn put_user(&self, u: &User) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO users (id, data) VALUES (?1, ?2) ON CONFLICT(id) DO UPDATE SET data = excluded.data",
                params![u.id, Self::to_json(u)],
            )
            .map(|_| ())
            .map_err(e)
    }

    /// The user owning a verified identifier (normalized email or phone).
    pub fn user_by_identifier(&self, value: &str) -> Option<User> {
        let uid: Option<String> = self
            .conn
            .query_row(
                "SELECT user_id FROM identifiers WHERE value = ?1",
                params![value],
                |r| r.get(0),
            )
            .optional()
            .ok()
            .flatten();
        uid.and_then(|id| self.get_user(&id))
    }

    /// Claims an identifier for a user; false if another user holds it.
    pub fn claim_identifier(&self, value: &str, kind: &str, user_id: &str) -> Result<bool> {
        if let Some(owner) = self.user_by_identifier(value) {
            return Ok(owner.id == user_id);
        }
        self.conn
            .execute(
                "INSERT OR REPLACE INTO identifiers (value, kind, user_id) VALUES (?1, ?2, ?3)",
                params![value, kind, user_id],
            )
            .map_err(e)?;
        Ok(true)
    }

    pub fn user_count(&self) -> i64 {
        self.conn
            .query_row("SELECT COUNT(*) FROM users", [], |r| r.get(0))
            .unwrap_or(0)
    }

    // ---- clients ----

    pub fn get_client(&self, id: &str) -> Option<Client> {
        self.get_doc("clients", id)
    }

    pub fn client_by_token_hash(&self, hash: &str) -> Option<Client> {
        let text: Option<String> = self
            .conn
            .query_row(
                "SELECT data FROM clients WHERE token_hash = ?1",
                params![hash],
                |r| r.get(0),
            )
            .optional()
            .ok()
            .flatten();
        text.and_then(|t| serde_json::from_str(&t).ok())
    }

    /// Inserts or updates a client; `token_hash` is only written when given.
    pub fn put_client(&self, c: &Client, token_hash: Option<&str>) -> Result<()> {
        let data = Self::to_json(c);
        match token_hash {
            Some(h) => self.conn.execute(
                "INSERT INTO clients (id, token_hash, data) VALUES (?1, ?2, ?3)
                 ON CONFLICT(id) DO UPDATE SET token_hash = excluded.token_hash, data = excluded.data",
                params![c.id, h, data],
            ),
            None => self.conn.execute(
                "INSERT INTO clients (id, data) VALUES (?1, ?2) ON CONFLICT(id) DO UPDATE SET data = excluded.data",
                params![c.id, data],
            ),
        }
        .map(|_| ())
        .map_err(e)
    }

    pub fn delete_client(&self, id: &str) -> Result<()> {
        self.conn
            .execute("DELETE FROM clients WHERE id = ?1", params![id])
            .map_err(e)?;
        self.conn
            .execute(
                "UPDATE dev_browsers SET client_id = NULL WHERE client_id = ?1",
                params![id],
            )
            .map(|_| ())
            .map_err(e)
    }

    // ---- dev browsers ----

    pub fn insert_dev_browser(&self, token_hash: &str, id: &str, now: i64) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO dev_browsers (token_hash, id, client_id, created_at) VALUES (?1, ?2, NULL, ?3)",
                params![token_hash, id, now],
            )
            .map(|_| ())
            .map_err(e)
    }

    /// `Some(client_id)` when the dev browser exists.
    pub fn dev_browser_client(&self, token_hash: &str) -> Option<Option<String>> {
        self.conn
            .query_row(
                "SELECT client_id FROM dev_browsers WHERE token_hash = ?1",
                params![token_hash],
                |r| r.get::<_, Option<String>>(0),
            )
            .optional()
            .ok()
            .flatten()
    }

    pub fn set_dev_browser_client(&self, token_hash: &str, client_id: &str) -> Result<()> {
        self.conn
            .execute(
                "UPDATE dev_browsers SET client_id = ?2 WHERE token_hash = ?1",
                params![token_hash, client_id],
            )
            .map(|_| ())
            .map_err(e)
    }

    // ---- sign-ins / sign-ups ----

    pub fn get_sign_in(&self, id: &str) -> Option<SignIn> {
        self.get_doc("sign_ins", id)
    }

    pub fn put_sign_in(&self, s: &SignIn) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO sign_ins (id, client_id, data) VALUES (?1, ?2, ?3) ON CONFLICT(id) DO UPDATE SET data = excluded.data",
                params![s.id, s.client_id, Self::to_json(s)],
            )
            .map(|_| ())
            .map_err(e)
    }

    pub fn get_sign_up(&self, id: &str) -> Option<SignUp> {
        self.get_doc("sign_ups", id)
    }

    pub fn put_sign_up(&self, s: &SignUp) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO sign_ups (id, client_id, data) VALUES (?1, ?2, ?3) ON CONFLICT(id) DO UPDATE SET data = excluded.data",
                params![s.id, s.client_id, Self::to_json(s)],
            )
            .map(|_| ())
            .map_err(e)
    }

    // ---- sessions ----

    pub fn get_session(&self, id: &str) -> Option<Session> {
        self.get_doc("sessions", id)
    }

    pub fn put_session(&self, s: &Session) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO sessions (id, client_id, user_id, created_at, data) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT(id) DO UPDATE SET data = excluded.data",
                params![s.id, s.client_id, s.user_id, s.created_at, Self::to_json(s)],
            )
            .map(|_| ())
            .map_err(e)
    }

    pub fn sessions_for_client(&self, client_id: &str) -> Vec<Session> {
        let mut out = Vec::new();
        let Ok(mut stmt) = self
            .conn
            .prepare("SELECT data FROM sessions WHERE client_id = ?1 ORDER BY created_at, id")
        else {
            return out;
        };
        let rows = stmt.query_map(params![client_id], |r| r.get::<_, String>(0));
        if let Ok(rows) = rows {
            for t in rows.flatten() {
                if let Ok(s) = serde_json::from_str(&t) {
                    out.push(s);
                }
            }
        }
        out
    }

    // ---- email-link tokens ----

    pub fn get_link(&self, token_hash: &str) -> Option<LinkToken> {
        let text: Option<String> = self
            .conn
            .query_row(
                "SELECT data FROM link_tokens WHERE token_hash = ?1",
                params![token_hash],
                |r| r.get(0),
            )
            .optional()
            .ok()
            .flatten();
        text.and_then(|t| serde_json::from_str(&t).ok())
    }

    pub fn put_link(&self, token_hash: &str, l: &LinkToken) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO link_tokens (token_hash, data) VALUES (?1, ?2) ON CONFLICT(token_hash) DO UPDATE SET data = excluded.data",
                params![token_hash, Self::to_json(l)],
            )
            .map(|_| ())
            .map_err(e)
    }

    // ---- control ----

    /// Deletes every record except the signing key.
    pub fn reset(&self) -> Result<()> {
        self.conn
            .execute_batch(
                "DELETE FROM users; DELETE FROM identifiers; DELETE FROM clients; DELETE FROM dev_browsers;
                 DELETE FROM sign_ins; DELETE FROM sign_ups; DELETE FROM sessions; DELETE FROM link_tokens;",
            )
            .map_err(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrates_and_roundtrips_meta() {
        let s = Store::open(None).unwrap();
        assert!(s.get_meta("k").is_none());
        s.set_meta("k", "v").unwrap();
        s.set_meta("k", "w").unwrap();
        assert_eq!(s.get_meta("k").as_deref(), Some("w"));
    }
}
