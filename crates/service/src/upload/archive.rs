//! An .xlsx is a zip archive whose central directory says how large each part
//! is once decompressed. That is checked before anything is decompressed, and
//! then every part is held to what it declared, because a bomb can lie: the
//! zip reader stops at a part's compressed size, not at its declared size.

use std::io::{Cursor, Read};
use std::time::Instant;

use zip::ZipArchive;

use super::{
    expands_too_much, too_slow, unreadable, MAX_ARCHIVE_ENTRIES, MAX_COMPRESSION_RATIO, MAX_SHARED_STRINGS_BYTES, MAX_UNCOMPRESSED_BYTES,
    RATIO_FLOOR,
};
use crate::Result;

/// Where calamine looks for the shared strings, in any case and with `\` or `/`.
const SHARED_STRINGS: &str = "xl/sharedStrings.xml";
/// The end-of-central-directory record: signature, then the entry count at offset 10.
const EOCD_SIGNATURE: &[u8] = b"PK\x05\x06";
const EOCD_LEN: usize = 22;
/// The record ends with a comment of up to 65,535 bytes.
const EOCD_SEARCH: usize = EOCD_LEN + u16::MAX as usize;

/// Refuses an archive that is, or would become, larger than the limits.
pub(super) fn check(bytes: &[u8], deadline: Instant) -> Result<()> {
    check_entry_count(bytes)?;
    let mut zip = ZipArchive::new(Cursor::new(bytes)).map_err(|_| unreadable())?;
    let (mut declared, mut packed) = (0u64, 0u64);
    for i in 0..zip.len() {
        let part = zip.by_index_raw(i).map_err(|_| unreadable())?;
        let shared_strings = part.name().replace('\\', "/").eq_ignore_ascii_case(SHARED_STRINGS);
        if shared_strings && part.size() > MAX_SHARED_STRINGS_BYTES {
            return Err(expands_too_much());
        }
        declared = declared.saturating_add(part.size());
        packed = packed.saturating_add(part.compressed_size());
    }
    if declared > MAX_UNCOMPRESSED_BYTES || (declared > RATIO_FLOOR && declared / packed.max(1) > MAX_COMPRESSION_RATIO) {
        return Err(expands_too_much());
    }
    for i in 0..zip.len() {
        let part = zip.by_index(i).map_err(|_| unreadable())?;
        let size = part.size();
        if drain(part.take(size + 1), deadline)? > size {
            return Err(expands_too_much());
        }
    }
    Ok(())
}

/// The zip reader records every entry of the central directory before it can
/// be asked about them, so their number is read from the archive's last record first.
fn check_entry_count(bytes: &[u8]) -> Result<()> {
    let tail = &bytes[bytes.len().saturating_sub(EOCD_SEARCH)..];
    let Some(at) = tail.windows(EOCD_SIGNATURE.len()).rposition(|w| w == EOCD_SIGNATURE) else { return Err(unreadable()) };
    let count = tail.get(at + 10..at + 12).map(|b| u16::from_le_bytes([b[0], b[1]])).ok_or_else(unreadable)?;
    // 0xFFFF means a zip64 count elsewhere; no workbook has that many parts.
    if count > MAX_ARCHIVE_ENTRIES {
        return Err(expands_too_much());
    }
    Ok(())
}

/// Reads `part` to its end without keeping it; the number of bytes it gave.
fn drain(mut part: impl Read, deadline: Instant) -> Result<u64> {
    let mut buf = [0u8; 64 * 1024];
    let mut total = 0u64;
    loop {
        match part.read(&mut buf).map_err(|_| unreadable())? {
            0 => return Ok(total),
            n => total += n as u64,
        }
        if Instant::now() > deadline {
            return Err(too_slow());
        }
    }
}
