//! The cells of an .xlsx's first sheet, or of a .csv, read one at a time into
//! a [`Table`]: a sheet is never laid out densely over the area it claims.

use std::io::Cursor;
use std::time::Instant;

use calamine::{Data, Reader, Xlsx};

use super::{archive, unreadable, Table};
use crate::{Error, Result};

pub(super) fn read_xlsx(bytes: &[u8], deadline: Instant) -> Result<Vec<Vec<String>>> {
    archive::check(bytes, deadline)?;
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|_| unreadable())?;
    let first = book.sheet_names().first().cloned().ok_or(Error::Unprocessable("empty_file"))?;
    let mut cells = book.worksheet_cells_reader(&first).map_err(|_| unreadable())?;
    // The extent the sheet declares: refused before a single cell is read.
    let declared = cells.dimensions();
    Table::check_extent(declared.end.0, declared.end.1)?;
    let mut table = Table::new(deadline);
    while let Some(cell) = cells.next_cell().map_err(|_| unreadable())? {
        let (row, col) = cell.get_position();
        table.put(row, col, cell_text(&Data::from(cell.get_value().clone())))?;
    }
    Ok(table.rows)
}

/// Excel stores phone and ID numbers typed as numbers as floats; show them as digits.
fn cell_text(c: &Data) -> String {
    match c {
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e17 => format!("{}", *f as i64),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

pub(super) fn read_csv(bytes: &[u8], deadline: Instant) -> Result<Vec<Vec<String>>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => std::borrow::Cow::Borrowed(t),
        Err(_) => encoding_rs::GB18030.decode(bytes).0,
    };
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut table = Table::new(deadline);
    for (row, record) in rdr.records().enumerate() {
        let record = record.map_err(|_| unreadable())?;
        let row = u32::try_from(row).unwrap_or(u32::MAX);
        for (col, cell) in record.iter().enumerate() {
            table.put(row, u32::try_from(col).unwrap_or(u32::MAX), cell.to_string())?;
        }
    }
    Ok(table.rows)
}
