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

/// A chart of one column of a block against its first (the categories).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plot {
    Column(u16),
    /// A trend over months.
    Line(u16),
}

/// A titled table on a report sheet; with `chart`, a native Excel chart of
/// one of its columns sits beside it.
#[derive(Debug, Clone)]
pub struct Block {
    pub title: String,
    pub headings: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    pub chart: Option<Plot>,
}

/// What every sheet of a report carries: its title and who reports for
/// which period, repeated atop each printed page, and a signature block
/// (label, blank to sign) under the last table.
#[derive(Debug, Clone)]
pub struct Letterhead {
    pub title: String,
    pub subtitle: String,
    pub signature: Vec<String>,
}

/// Rows a chart takes: the next block starts below it.
const CHART_ROWS: u32 = 15;

/// A workbook for leadership: one sheet per `(name, blocks)`, the blocks one
/// under another, laid out to print on A4 landscape, one page wide, with the
/// letterhead's rows as print titles and the period in the page header.
pub fn report(head: &Letterhead, sheets: &[(String, Vec<Block>)]) -> Result<Vec<u8>> {
    let mut book = Workbook::new();
    for (name, blocks) in sheets {
        sheet(book.add_worksheet(), head, name, blocks).map_err(xlsx_err)?;
    }
    book.save_to_buffer().map_err(xlsx_err)
}

fn xlsx_err(e: rust_xlsxwriter::XlsxError) -> Error {
    Error::Internal(format!("xlsx: {e}"))
}

fn sheet(
    ws: &mut rust_xlsxwriter::Worksheet,
    head: &Letterhead,
    name: &str,
    blocks: &[Block],
) -> std::result::Result<(), rust_xlsxwriter::XlsxError> {
    let bold = Format::new().set_bold();
    ws.set_name(name)?.set_paper_size(9).set_landscape().set_print_fit_to_pages(1, 0);
    ws.set_header(format!("&C{}", head.subtitle.replace('&', "&&")));
    ws.set_footer("&C&P / &N");
    ws.set_column_width(0, 28)?;
    ws.write_string_with_format(0, 0, &head.title, &Format::new().set_bold().set_font_size(14))?;
    ws.write_string(1, 0, &head.subtitle)?;
    ws.set_repeat_rows(0, 1)?;
    let mut row = 3u32;
    for b in blocks {
        ws.write_string_with_format(row, 0, &b.title, &bold)?;
        let first = row + 1;
        for (c, h) in b.headings.iter().enumerate() {
            ws.write_string_with_format(first, c as u16, h, &bold)?;
        }
        for (r, cells) in b.rows.iter().enumerate() {
            for (c, v) in cells.iter().enumerate() {
                let (r, c) = (first + 1 + r as u32, c as u16);
                match v {
                    Cell::Text(t) => ws.write_string(r, c, t),
                    Cell::Number(n) => ws.write_number(r, c, *n),
                }?;
            }
        }
        let last = first + b.rows.len() as u32;
        row = last + 2;
        if let (Some(plot), false) = (b.chart, b.rows.is_empty()) {
            let (mut chart, col) = match plot {
                Plot::Column(c) => (rust_xlsxwriter::Chart::new_column(), c),
                Plot::Line(c) => (rust_xlsxwriter::Chart::new_line(), c),
            };
            chart.title().set_name(&b.title);
            chart.legend().set_hidden();
            chart
                .add_series()
                .set_name(b.headings.get(col as usize).map_or("", String::as_str))
                .set_categories((name, first + 1, 0, last, 0))
                .set_values((name, first + 1, col, last, col));
            ws.insert_chart(first, b.headings.len() as u16 + 1, &chart)?;
            row = row.max(first + CHART_ROWS + 2);
        }
    }
    for (i, line) in head.signature.iter().enumerate() {
        ws.write_string_with_format(row + 1, (i * 2) as u16, line, &bold)?;
    }
    Ok(())
}
