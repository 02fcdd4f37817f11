//! Apps' internal SQLite databases (Google Authenticator, Microsoft
//! Authenticator, Stratum), told apart by their tables. Each app's module
//! says what it loses; this one opens the file safely for all of them.
//!
//! The database is opened from a copy in memory, read-only and
//! `query_only`: never from the person's path (SQLite would create journal
//! and WAL files beside it) and with no temporary file. Values and rows are
//! bounded, and only real tables are read (a hostile file's view of the same
//! name could run any query), so no file can take minutes or gigabytes.

use rusqlite::limits::Limit;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags, MAIN_DB};

use super::{google_authenticator, microsoft_authenticator, stratum_db};
use super::{EntryProblem, Format, FormatError, Imported, Unsupported, MAX_TEXT_BYTES};

/// The first bytes of every SQLite 3 database.
pub const HEADER: &[u8; 16] = b"SQLite format 3\0";

/// The most rows read from an app's table: ten times the largest collection
/// of accounts anyone keeps (as for a list of links).
pub const MAX_ROWS: usize = super::uri_list::MAX_LINKS;

/// The longest value read: no secret, name or URL comes near it.
const MAX_VALUE_BYTES: i32 = 64 << 10;

pub fn detect(bytes: &[u8]) -> bool {
    bytes.starts_with(HEADER)
}

/// Reads the database of whichever app it is; another app's database is
/// named as such.
pub fn read(bytes: &[u8]) -> Result<(Format, Imported), FormatError> {
    let db = Database::open(bytes)?;
    if google_authenticator::detect(&db)? {
        return Ok((Format::GoogleAuthenticator, google_authenticator::read(&db)?));
    }
    if microsoft_authenticator::detect(&db)? {
        return Ok((Format::MicrosoftAuthenticator, microsoft_authenticator::read(&db)?));
    }
    if stratum_db::detect(&db)? {
        return Ok((Format::Stratum, stratum_db::read(&db)?));
    }
    Err(FormatError::Unsupported(Unsupported::Database))
}

/// One database, open from memory.
pub struct Database {
    conn: Connection,
}

/// A value as an app wrote it: text, a number, or nothing. Anything else
/// where text or a number belongs makes the entry damaged.
pub type Row = Vec<Value>;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Null,
    Integer(i64),
    Text(zeroize::Zeroizing<String>),
    /// A blob, or a real: no app here writes either in the columns read.
    Other,
}

impl Value {
    /// Text, or nothing for NULL; a number where text belongs is damage.
    pub fn text(&self) -> Result<Option<&str>, EntryProblem> {
        match self {
            Value::Null => Ok(None),
            Value::Text(t) => Ok(Some(t.as_str())),
            _ => Err(EntryProblem::Damaged),
        }
    }

    /// A number, or nothing for NULL; text where a number belongs is damage.
    pub fn integer(&self) -> Result<Option<i64>, EntryProblem> {
        match self {
            Value::Null => Ok(None),
            Value::Integer(n) => Ok(Some(*n)),
            _ => Err(EntryProblem::Damaged),
        }
    }
}

impl Database {
    /// Copies `bytes` into SQLite's memory and opens them read-only.
    pub fn open(bytes: &[u8]) -> Result<Self, FormatError> {
        // A page header and the schema's first page at the least.
        if bytes.len() > MAX_TEXT_BYTES.min(crate::fs::MAX_IMPORT_BYTES) {
            return Err(FormatError::TooLarge);
        }
        if !detect(bytes) || bytes.len() < 512 {
            return Err(damaged());
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = Connection::open_in_memory_with_flags(flags).map_err(|_| FormatError::Internal)?;
        // A database in WAL mode (bytes 18 and 19 are 2) opens only beside
        // its `-wal` file, which SQLite cannot have in memory: the copy is
        // marked as a rollback-journal database, which reads the same pages.
        // (Changes still in a `-wal` file were never in this file.)
        let mut header = [0u8; 100];
        header.copy_from_slice(bytes.get(..100).ok_or_else(damaged)?);
        for version in &mut header[18..20] {
            if *version == 2 {
                *version = 1;
            }
        }
        let copy = std::io::Read::chain(&header[..], bytes.get(100..).ok_or_else(damaged)?);
        conn.deserialize_read_exact(MAIN_DB, copy, bytes.len(), true).map_err(|_| damaged())?;
        for (limit, value) in [
            (Limit::SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES),
            (Limit::SQLITE_LIMIT_SQL_LENGTH, 4096),
            (Limit::SQLITE_LIMIT_ATTACHED, 0),
        ] {
            conn.set_limit(limit, value).map_err(|_| FormatError::Internal)?;
        }
        // Nothing in the file runs functions it names (a view's or a
        // trigger's), and no statement may write.
        conn.execute_batch("PRAGMA query_only = ON; PRAGMA trusted_schema = OFF;").map_err(|_| damaged())?;
        Ok(Database { conn })
    }

    /// The names of the file's real tables (not views).
    pub fn tables(&self) -> Result<Vec<String>, FormatError> {
        self.strings("SELECT name FROM sqlite_master WHERE type = 'table' LIMIT 1000", [])
    }

    /// The columns of one of the file's real tables.
    pub fn columns(&self, table: &str) -> Result<Vec<String>, FormatError> {
        if !self.tables()?.iter().any(|t| t == table) {
            return Ok(Vec::new());
        }
        self.strings("SELECT name FROM pragma_table_info(?1) LIMIT 1000", [table])
    }

    /// Whether `table` is a real table holding every one of `columns`.
    pub fn has(&self, table: &str, columns: &[&str]) -> Result<bool, FormatError> {
        let have = self.columns(table)?;
        Ok(!have.is_empty() && columns.iter().all(|c| have.iter().any(|h| h.eq_ignore_ascii_case(c))))
    }

    fn strings<P: rusqlite::Params>(&self, sql: &str, params: P) -> Result<Vec<String>, FormatError> {
        let mut statement = self.conn.prepare(sql).map_err(|_| damaged())?;
        let rows = statement.query_map(params, |row| row.get::<_, String>(0)).map_err(|_| damaged())?;
        rows.collect::<Result<_, _>>().map_err(|_| damaged())
    }

    /// The rows of `table` with `columns`, every one required: a database
    /// of `app` without them is damaged.
    pub fn table(&self, table: &str, columns: &[&str], app: &'static str) -> Result<Vec<Row>, FormatError> {
        if !self.has(table, columns)? {
            return Err(FormatError::Damaged(app));
        }
        self.rows(table, columns, app)
    }

    /// The named columns of every row of `table` (a real table the caller
    /// checked with [`Database::has`]), in the table's order; more than
    /// [`MAX_ROWS`] rows is no app's database.
    pub fn rows(&self, table: &str, columns: &[&str], app: &'static str) -> Result<Vec<Row>, FormatError> {
        let quoted = |name: &str| format!("\"{}\"", name.replace('"', "\"\""));
        let list: Vec<String> = columns.iter().map(|c| quoted(c)).collect();
        let sql = format!(
            "SELECT {} FROM {} ORDER BY rowid LIMIT {}",
            list.join(", "),
            quoted(table),
            MAX_ROWS + 1
        );
        let damaged = || FormatError::Damaged(app);
        let mut statement = self.conn.prepare(&sql).map_err(|_| damaged())?;
        let mut rows = statement.query([]).map_err(|_| damaged())?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(|_| damaged())? {
            if out.len() == MAX_ROWS {
                return Err(FormatError::TooComplex);
            }
            let mut values = Vec::with_capacity(columns.len());
            for index in 0..columns.len() {
                values.push(match row.get_ref(index).map_err(|_| damaged())? {
                    ValueRef::Null => Value::Null,
                    ValueRef::Integer(n) => Value::Integer(n),
                    ValueRef::Text(t) => match std::str::from_utf8(t) {
                        Ok(t) => Value::Text(zeroize::Zeroizing::new(t.to_owned())),
                        Err(_) => Value::Other,
                    },
                    ValueRef::Real(_) | ValueRef::Blob(_) => Value::Other,
                });
            }
            out.push(values);
        }
        Ok(out)
    }
}

fn damaged() -> FormatError {
    FormatError::Damaged(Unsupported::Database.describe())
}
