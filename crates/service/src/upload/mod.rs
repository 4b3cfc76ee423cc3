//! The one reader of uploaded spreadsheets (.xlsx or .csv). Every file is held
//! to the limits below before and while it is parsed, and parsing runs on a
//! blocking thread behind a small semaphore: a hostile file (a sparse sheet
//! that names cell XFD1048576, a zip bomb) is refused in milliseconds and a
//! few kilobytes instead of taking the process, or its request threads, down.

mod archive;
mod sheet;

use std::sync::LazyLock;
use std::time::{Duration, Instant};

use tokio::sync::Semaphore;

use crate::{Error, Result};

/// Data lines a roster may have; larger files are refused rather than
/// risking a long transaction.
pub const MAX_ROWS: usize = 50_000;
/// Lines a sheet may span: `MAX_ROWS` people, a heading, and room for blank
/// lines and notes above the heading.
pub const MAX_LINES: u32 = MAX_ROWS as u32 + 1_000;
/// Columns a sheet may span (a roster has eight).
pub const MAX_COLUMNS: u32 = 64;
/// The largest request body; a roster of 50,000 people is about 3 MB as
/// .xlsx and 5 MB as .csv.
pub const MAX_UPLOAD_BYTES: usize = 20 * 1024 * 1024;
/// An .xlsx's parts together once decompressed (a 50,000-line roster is about 30 MB).
pub const MAX_UNCOMPRESSED_BYTES: u64 = 64 * 1024 * 1024;
/// The shared strings part alone (a 50,000-line roster's is about 7 MB): the
/// reader keeps every string it lists, each taking a 24-byte slot even when
/// empty, so 16 MiB of `<si><t/></si>` becomes about 30 MB of slots.
pub const MAX_SHARED_STRINGS_BYTES: u64 = 16 * 1024 * 1024;
/// Spreadsheet XML deflates about 10:1; deflate's ceiling is about 1,000:1,
/// which only a bomb comes near.
pub const MAX_COMPRESSION_RATIO: u64 = 200;
/// The ratio is only meaningful for archives larger than this.
const RATIO_FLOOR: u64 = 1024 * 1024;
/// Parts an .xlsx may have (a workbook has about a dozen); the zip reader
/// keeps a record of every part in memory before anything else can be checked.
pub const MAX_ARCHIVE_ENTRIES: u16 = 1_000;
/// Memory the table of cells may take: their text and their slots.
pub const MAX_TABLE_BYTES: usize = 64 * 1024 * 1024;
/// Time one parse may take, and time an upload may wait for a parsing slot.
pub const MAX_PARSE_TIME: Duration = Duration::from_secs(10);
/// Parses at once in the process, at most; with the limits above, this bounds
/// the memory parsing may take to about 2 × (64 MiB of table + 30 MB of
/// shared string slots + the shared strings' text and the upload itself).
pub const PARSE_SLOTS: usize = 2;

/// Half the cores (one on a 2-core machine, up to `PARSE_SLOTS`): however
/// many files arrive, parsing leaves the other cores to the requests.
static SLOTS: LazyLock<Semaphore> = LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    Semaphore::new((cores / 2).clamp(1, PARSE_SLOTS))
});

/// Reads the first sheet of an .xlsx, or a .csv in UTF-8 or GB18030 (what
/// Excel saves on Chinese Windows), into lines of text cells. Line `i` of the
/// result is line `i + 1` of the file.
pub async fn read_table(file_name: &str, bytes: &[u8]) -> Result<Vec<Vec<String>>> {
    let permit = slot(&SLOTS, MAX_PARSE_TIME).await?;
    let (name, bytes) = (file_name.to_lowercase(), bytes.to_vec());
    // The permit moves into the thread: a parse past its time still holds its slot.
    let parse = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        let deadline = Instant::now() + MAX_PARSE_TIME;
        if bytes.starts_with(b"PK") || name.ends_with(".xlsx") {
            sheet::read_xlsx(&bytes, deadline)
        } else {
            sheet::read_csv(&bytes, deadline)
        }
    });
    parse.await.map_err(|e| Error::Internal(format!("parsing an upload: {e}")))?
}

/// An upload's heading line and its data lines, each with its line number
/// in the file; blank lines are left out.
pub struct Sheet {
    pub headings: Vec<String>,
    pub lines: Vec<(usize, Vec<String>)>,
}

/// Reads an upload (`read_table`) as a sheet: the first line that is not
/// blank heads it. No such line is a 422; more than `MAX_ROWS` data lines a 413.
pub async fn read_sheet(file_name: &str, bytes: &[u8]) -> Result<Sheet> {
    let blank = |cells: &Vec<String>| tongxing_domain::roster::is_blank(cells);
    let mut lines = read_table(file_name, bytes).await?.into_iter().enumerate().skip_while(|(_, cells)| blank(cells));
    let (_, headings) = lines.next().ok_or(Error::Unprocessable("empty_file"))?;
    let lines: Vec<(usize, Vec<String>)> = lines.filter(|(_, c)| !blank(c)).map(|(i, c)| (i + 1, c)).collect();
    if lines.len() > MAX_ROWS {
        return Err(Error::TooLarge("too_many_rows"));
    }
    Ok(Sheet { headings, lines })
}

/// A parsing slot, waited for at most `wait`. Past it, 429: every parse
/// holding a slot now ends within `MAX_PARSE_TIME`, so that is when to retry.
async fn slot(slots: &Semaphore, wait: Duration) -> Result<tokio::sync::SemaphorePermit<'_>> {
    let busy = Error::RateLimited { retry_after_secs: MAX_PARSE_TIME.as_secs() };
    let permit = tokio::time::timeout(wait, slots.acquire()).await.map_err(|_| busy)?;
    permit.map_err(|_| Error::Internal("the parsing slots are closed".into()))
}

fn unreadable() -> Error {
    Error::Unprocessable("unreadable_file")
}

fn expands_too_much() -> Error {
    Error::TooLarge("file_expands_too_much")
}

fn too_slow() -> Error {
    Error::TooLarge("file_too_slow")
}

/// Lines of text cells, grown only where the file has a cell, within the limits.
struct Table {
    rows: Vec<Vec<String>>,
    /// What `rows` takes in memory, roughly: slots and text.
    bytes: usize,
    cells: u64,
    deadline: Instant,
}

impl Table {
    fn new(deadline: Instant) -> Table {
        Table { rows: Vec::new(), bytes: 0, cells: 0, deadline }
    }

    /// The declared or actual extent of a sheet (0-based last line and column).
    fn check_extent(row: u32, col: u32) -> Result<()> {
        if row >= MAX_LINES {
            return Err(Error::TooLarge("too_many_rows"));
        }
        if col >= MAX_COLUMNS {
            return Err(Error::Unprocessable("too_many_columns"));
        }
        Ok(())
    }

    fn put(&mut self, row: u32, col: u32, text: String) -> Result<()> {
        Table::check_extent(row, col)?;
        self.cells += 1;
        if self.cells.is_multiple_of(4096) && Instant::now() > self.deadline {
            return Err(too_slow());
        }
        if text.is_empty() {
            return Ok(());
        }
        let (r, c) = (row as usize, col as usize);
        if self.rows.len() <= r {
            self.bytes += (r + 1 - self.rows.len()) * size_of::<Vec<String>>();
            self.rows.resize_with(r + 1, Vec::new);
        }
        let line = &mut self.rows[r];
        if line.len() <= c {
            self.bytes += (c + 1 - line.len()) * size_of::<String>();
            line.resize(c + 1, String::new());
        }
        // Shared strings let a small sheet name one long text a million times.
        self.bytes += text.len();
        if self.bytes > MAX_TABLE_BYTES {
            return Err(expands_too_much());
        }
        line[c] = text;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn in_time() -> Instant {
        Instant::now() + MAX_PARSE_TIME
    }

    #[tokio::test]
    async fn an_upload_that_finds_every_slot_busy_is_told_when_they_free() {
        let none_free = Semaphore::new(0);
        match slot(&none_free, Duration::from_millis(20)).await {
            Err(Error::RateLimited { retry_after_secs }) => assert_eq!(retry_after_secs, MAX_PARSE_TIME.as_secs()),
            other => panic!("expected a 429, got {:?}", other.map(|_| ())),
        }
        let one_free = Semaphore::new(1);
        assert!(slot(&one_free, Duration::from_millis(20)).await.is_ok());
    }

    #[test]
    fn the_last_line_and_column_within_the_limits_are_kept() {
        let mut t = Table::new(in_time());
        t.put(MAX_LINES - 1, MAX_COLUMNS - 1, "x".into()).unwrap();
        assert_eq!(t.rows.len(), MAX_LINES as usize);
        assert_eq!(t.rows[MAX_LINES as usize - 1][MAX_COLUMNS as usize - 1], "x");
        assert!(t.rows[0].is_empty(), "lines without cells take no cells");
    }

    #[test]
    fn one_line_or_column_past_the_limits_is_refused() {
        let mut t = Table::new(in_time());
        assert!(matches!(t.put(MAX_LINES, 0, "x".into()), Err(Error::TooLarge("too_many_rows"))));
        assert!(matches!(t.put(0, MAX_COLUMNS, "x".into()), Err(Error::Unprocessable("too_many_columns"))));
    }

    #[test]
    fn more_text_than_the_budget_is_refused() {
        let mut t = Table::new(in_time());
        let long = "x".repeat(MAX_TABLE_BYTES / 4);
        let r = (0..8).try_for_each(|row| t.put(row, 0, long.clone()));
        assert!(matches!(r, Err(Error::TooLarge("file_expands_too_much"))));
    }

    #[test]
    fn a_parse_past_its_time_stops() {
        let mut t = Table::new(Instant::now());
        std::thread::sleep(Duration::from_millis(2));
        let r = (0..4096).try_for_each(|_| t.put(0, 0, String::new()));
        assert!(matches!(r, Err(Error::TooLarge("file_too_slow"))));
    }
}
