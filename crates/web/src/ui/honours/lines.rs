//! The entries behind one figure of a candidate's breakdown (a team's: its
//! members'), each linked to its activity, need, call or care pair, with the
//! figure they make and an .xlsx of the list.

use askama::Template;
use axum::extract::{OriginalUri, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use tongxing_domain::honours::view::Line;
// `Action` and `Resource` are read by the templates (`c.may_everywhere`).
#[allow(unused_imports)]
use tongxing_domain::permission::{Action, Resource};

use crate::extract::PageUser;
use crate::i18n::Tr;
use crate::ui::hours::fmt_hours;
use crate::ui::view::Chrome;
use crate::ui::{render, service_error};
use crate::AppState;

#[derive(Template)]
#[template(path = "honours/lines.html")]
struct LinesPage<'a> {
    c: Chrome<'a>,
    round_id: i64,
    round_title: String,
    lines: Vec<(Line, String)>,
    /// The team's members are named on each line.
    team: bool,
    xlsx: String,
}

pub(super) async fn page(
    State(s): State<AppState>,
    p: PageUser,
    uri: OriginalUri,
    Path((id, metric, subject)): Path<(i64, String, i64)>,
) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let read = tokio::try_join!(s.svc.honour_round(&p.user, id), s.svc.honour_lines(&p.user, id, &metric, subject));
    let (r, lines) = match read {
        Ok(x) => x,
        Err(e) => return service_error(&s, p.lang, e),
    };
    let title = tr.t(&format!("honour.metric.{metric}"));
    let page = LinesPage {
        round_id: r.id,
        round_title: r.title,
        team: r.kind == "team",
        xlsx: format!("/api/v1/honours/rounds/{id}/lines/{metric}/{subject}?format=xlsx"),
        lines: lines
            .into_iter()
            .map(|l| {
                let value = fmt_hours(l.value);
                (l, value)
            })
            .collect(),
        c: Chrome::for_page(&s, tr, &p, title, &uri.0.to_string()),
    };
    render(StatusCode::OK, &page)
}
