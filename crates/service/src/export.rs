//! Any list as an .xlsx workbook, for coordinators who carry it on in Excel.

use rust_xlsxwriter::{Format, Workbook};

use crate::{Error, Result};

/// Rows fetched per export; a list larger than this is cut (and says so in the log).
pub const MAX_EXPORT_ROWS: u32 = 200_000;

/// One sheet: a bold, frozen heading line, then the rows as text.
pub fn xlsx(sheet: &str, headings: &[String], rows: &[Vec<String>]) -> Result<Vec<u8>> {
    let err = |e: rust_xlsxwriter::XlsxError| Error::Internal(format!("xlsx: {e}"));
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name(sheet).map_err(err)?;
    let bold = Format::new().set_bold();
    for (c, h) in headings.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, h, &bold).map_err(err)?;
        ws.set_column_width(c as u16, 16).map_err(err)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32 + 1, c as u16, v).map_err(err)?;
        }
    }
    ws.set_freeze_panes(1, 0).map_err(err)?;
    book.save_to_buffer().map_err(err)
}
