//! The center's coverage as a workbook (issue #15 §5): the programme's
//! figures, overdue pairs by level, and the beneficiaries without a pair by
//! kind and by community, through the export kernel's report layout.

use axum::response::Response;
use tongxing_domain::care::{Coverage, GroupCount};
use tongxing_service::export::{report, Block, Cell, Letterhead};

use crate::export::xlsx_download;
use crate::i18n::Tr;

fn counts(tr: &Tr, title: &str, heading: &str, rows: Vec<(String, i64)>) -> Block {
    Block {
        title: tr.t(title),
        headings: vec![tr.t(heading), tr.t("care.count")],
        rows: rows.into_iter().map(|(name, n)| vec![Cell::Text(name), Cell::Number(n as f64)]).collect(),
        chart: None,
    }
}

fn groups(g: &[GroupCount], name: impl Fn(&str) -> String) -> Vec<(String, i64)> {
    g.iter().map(|g| (name(&g.name), g.count)).collect()
}

/// `k` as one printable sheet, headed by the day it was read.
pub fn coverage_xlsx(tr: &Tr, k: &Coverage, day: &str) -> Result<Response, tongxing_service::Error> {
    let figures = [
        ("care.beneficiaries", k.beneficiaries),
        ("care.paired_people", k.paired),
        ("care.unpaired", k.unpaired),
        ("care.active_pairs", k.active_pairs),
        ("care.paused_pairs", k.paused_pairs),
        ("care.overdue", k.overdue),
        ("care.needs_handover", k.needs_handover),
        ("care.visits_this_month", k.visits_this_month),
        ("care.concerns_this_month", k.concerns_this_month),
        ("care.concerns_to_needs", k.concerns_to_needs),
    ];
    let levels = k.by_level.iter().map(|l| (tr.t(&format!("level.{}", l.level.as_str())), l.pairs)).collect();
    let blocks = vec![
        counts(tr, "care.coverage", "care.figure", figures.iter().map(|(key, n)| (tr.t(key), *n)).collect()),
        counts(tr, "care.overdue_by_level", "field.warning_level", levels),
        counts(tr, "care.unpaired_by_kind", "field.kind", groups(&k.unpaired_by_kind, |n| tr.t(&format!("beneficiary_kind.{n}")))),
        counts(tr, "care.unpaired_by_community", "field.community", groups(&k.unpaired_by_community, str::to_string)),
    ];
    let head = Letterhead {
        title: tr.t("care.coverage"),
        subtitle: tr.f("care.coverage_header", day),
        signature: crate::ui::stats::workbook::signature(tr),
    };
    let bytes = report(&head, &[(tr.t("care.coverage"), blocks)])?;
    Ok(xlsx_download("care-coverage", bytes))
}
