//! Drawings, photos and documents attached to a problem on the board, or to
//! one of its steps: what may be kept, told by the file's first bytes — never
//! by its name or the type the browser claims.

use crate::Invalid;

/// The largest file kept: a phone photo or a scanned drawing.
pub const MAX_ATTACHMENT_BYTES: usize = 5 * 1024 * 1024;
/// Files a problem may hold, all its steps together (at most 100 MiB a problem).
pub const MAX_ATTACHMENTS_PER_PROBLEM: i64 = 20;
/// What a file may be attached to: the problem itself, or one of the steps
/// a team records.
pub const ATTACHMENT_STEPS: [&str; 4] = ["problem", "solution", "field_test", "rolled_out"];

/// The kinds of file kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Jpeg,
    Png,
    Webp,
    Pdf,
}

impl FileKind {
    pub const ALL: [FileKind; 4] = [FileKind::Jpeg, FileKind::Png, FileKind::Webp, FileKind::Pdf];

    /// The Content-Type it is served with.
    pub fn content_type(self) -> &'static str {
        match self {
            FileKind::Jpeg => "image/jpeg",
            FileKind::Png => "image/png",
            FileKind::Webp => "image/webp",
            FileKind::Pdf => "application/pdf",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            FileKind::Jpeg => "jpg",
            FileKind::Png => "png",
            FileKind::Webp => "webp",
            FileKind::Pdf => "pdf",
        }
    }

    /// A picture a page may show as a thumbnail.
    pub fn is_image(self) -> bool {
        self != FileKind::Pdf
    }

    pub fn from_content_type(t: &str) -> Option<FileKind> {
        FileKind::ALL.into_iter().find(|k| k.content_type() == t)
    }
}

/// The kind of a file by its signature (magic bytes).
pub fn sniff(bytes: &[u8]) -> Option<FileKind> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(FileKind::Jpeg)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(FileKind::Png)
    } else if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
        Some(FileKind::Webp)
    } else if bytes.starts_with(b"%PDF-") {
        Some(FileKind::Pdf)
    } else {
        None
    }
}

/// Judges an upload (its size already held to `MAX_ATTACHMENT_BYTES`): a
/// known step, a file that is not empty and is of a kind kept.
pub fn judge(step: &str, bytes: &[u8]) -> Result<FileKind, Invalid> {
    if !ATTACHMENT_STEPS.contains(&step) {
        return Err(Invalid::one("step", "unknown_choice"));
    }
    if bytes.is_empty() {
        return Err(Invalid::one("file", "empty_file"));
    }
    sniff(bytes).ok_or_else(|| Invalid::one("file", "unsupported_file_type"))
}

/// The name shown for a file: the last part of what the browser sent,
/// without control characters, at most 100 characters; `fallback` when
/// nothing is left. It is only ever shown as text, never put in a header.
pub fn display_name(sent: &str, fallback: &str) -> String {
    let last = sent.rsplit(['/', '\\']).next().unwrap_or("");
    let clean: String = last.chars().filter(|c| !c.is_control()).take(100).collect();
    let clean = clean.trim();
    if clean.is_empty() {
        fallback.to_string()
    } else {
        clean.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_told_by_their_first_bytes_not_their_names() {
        assert_eq!(sniff(b"\xFF\xD8\xFF\xE0\x00\x10JFIF"), Some(FileKind::Jpeg));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), Some(FileKind::Png));
        assert_eq!(sniff(b"RIFF\x24\x00\x00\x00WEBPVP8 "), Some(FileKind::Webp));
        assert_eq!(sniff(b"%PDF-1.7\n"), Some(FileKind::Pdf));
        assert_eq!(sniff(b"RIFF\x24\x00\x00\x00WAVEfmt "), None, "a RIFF that is not WebP");
        assert_eq!(sniff(b"<svg xmlns="), None, "SVG can carry script");
        assert_eq!(sniff(b"<html>"), None);
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn an_upload_needs_a_known_step_and_a_kept_kind() {
        assert_eq!(judge("solution", b"%PDF-1.4"), Ok(FileKind::Pdf));
        assert_eq!(judge("closed", b"%PDF-1.4").unwrap_err().0[0].field, "step");
        assert_eq!(judge("problem", b"").unwrap_err().0[0].code, "empty_file");
        assert_eq!(judge("problem", b"MZ\x90\x00").unwrap_err().0[0].code, "unsupported_file_type");
    }

    #[test]
    fn a_shown_name_loses_paths_and_control_characters() {
        assert_eq!(display_name("C:\\图纸\\撬装装置.pdf", "x"), "撬装装置.pdf");
        assert_eq!(display_name("../../etc/passwd", "x"), "passwd");
        assert_eq!(display_name("a\r\nb.png", "x"), "ab.png");
        assert_eq!(display_name("  ", "附件"), "附件");
        assert_eq!(display_name(&"长".repeat(300), "x").chars().count(), 100);
    }
}
