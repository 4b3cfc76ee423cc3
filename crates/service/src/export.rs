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

/// A cell of a report: text, or a number Excel can sum and chart.
#[derive(Debug, Clone)]
pub enum Cell {
    Text(String),
    Number(f64),
}

/// A titled table on a report sheet; with `chart`, a native column chart of
/// its last column against its first sits beside it.
#[derive(Debug, Clone)]
pub struct Block {
    pub title: String,
    pub headings: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    pub chart: bool,
}

/// A workbook for leadership: one sheet per `(name, blocks)`, the blocks one
/// under another, laid out to print on A4 upright with `header` (who
/// reports, for which period) on every page and `footer` (a signature line)
/// under the last block.
pub fn report(header: &str, footer: &str, sheets: &[(String, Vec<Block>)]) -> Result<Vec<u8>> {
    let err = |e: rust_xlsxwriter::XlsxError| Error::Internal(format!("xlsx: {e}"));
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    for (name, blocks) in sheets {
        let ws = book.add_worksheet();
        ws.set_name(name).map_err(err)?.set_paper_size(9).set_print_fit_to_pages(1, 0);
        ws.set_header(format!("&C{}", header.replace('&', "&&")));
        ws.set_column_width(0, 28).map_err(err)?;
        let mut row = 0u32;
        for b in blocks {
            ws.write_string_with_format(row, 0, &b.title, &bold).map_err(err)?;
            let first = row + 1;
            for (c, h) in b.headings.iter().enumerate() {
                ws.write_string_with_format(first, c as u16, h, &bold).map_err(err)?;
            }
            for (r, cells) in b.rows.iter().enumerate() {
                for (c, v) in cells.iter().enumerate() {
                    let (r, c) = (first + 1 + r as u32, c as u16);
                    match v {
                        Cell::Text(t) => ws.write_string(r, c, t),
                        Cell::Number(n) => ws.write_number(r, c, *n),
                    }
                    .map_err(err)?;
                }
            }
            let last = first + b.rows.len() as u32;
            if b.chart && !b.rows.is_empty() {
                let value_col = b.headings.len().saturating_sub(1) as u16;
                let mut chart = rust_xlsxwriter::Chart::new_column();
                chart.title().set_name(&b.title);
                chart.legend().set_hidden();
                chart.add_series().set_categories((name.as_str(), first + 1, 0, last, 0)).set_values((
                    name.as_str(),
                    first + 1,
                    value_col,
                    last,
                    value_col,
                ));
                ws.insert_chart(first, b.headings.len() as u16 + 1, &chart).map_err(err)?;
                // The chart is 15 rows tall: the next block starts below it.
                row = last.max(first + 15) + 2;
            } else {
                row = last + 2;
            }
        }
        ws.write_string(row + 1, 0, footer).map_err(err)?;
    }
    book.save_to_buffer().map_err(err)
}
