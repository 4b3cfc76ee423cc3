//! Outbound delivery: what goes into the outbox for a need's change, in the
//! formats WeCom and DingTalk group robots and the SMS gateway expect, and the
//! worker that sends it with retries and backoff.

use std::collections::HashMap;
use std::sync::OnceLock;
use std::time::Duration;

use serde_json::json;
use tongxing_domain::model::Paged;
use tongxing_domain::needs::Need;
use tongxing_domain::paging::Page;
use tongxing_domain::permission::{Action, Resource};
use tongxing_domain::{phone, Invalid};
use tongxing_store::outbox::{self, Delivery, Message};
use tongxing_store::{
    now_ms,
    registry::{teams, units},
};

use crate::{Actor, Error, Result, Service};

/// Gives up on a delivery after this many attempts (it stays visible as `dead`).
pub const MAX_ATTEMPTS: i64 = 10;

fn texts() -> &'static HashMap<&'static str, &'static str> {
    static TEXTS: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    TEXTS.get_or_init(|| {
        include_str!("../messages/zh-CN.txt")
            .lines()
            .filter(|l| !l.trim_start().starts_with('#'))
            .filter_map(|l| l.split_once(" = "))
            .map(|(k, v)| (k.trim(), v.trim()))
            .collect()
    })
}

/// The catalogue text for `key`, `{}` filled in order and `\n` made a line break.
pub fn text(key: &str, args: &[&str]) -> String {
    let mut out = String::new();
    let mut rest = texts().get(key).copied().unwrap_or(key).replace("\\n", "\n");
    for a in args {
        match rest.split_once("{}") {
            Some((head, tail)) => {
                out.push_str(head);
                out.push_str(a);
                rest = tail.to_string();
            }
            None => break,
        }
    }
    out + &rest
}

/// A markdown message as the robot at `url` expects it: DingTalk wants a
/// title and `text`, WeCom only `content`.
pub fn robot_body(url: &str, title: &str, markdown: &str) -> String {
    let body = if url.contains("dingtalk") {
        json!({"msgtype": "markdown", "markdown": {"title": title, "text": markdown}})
    } else {
        json!({"msgtype": "markdown", "markdown": {"content": markdown}})
    };
    body.to_string()
}

/// Doubling waits from `base_ms`, capped at an hour.
pub fn backoff_ms(base_ms: i64, attempts: i64) -> i64 {
    base_ms.saturating_mul(1 << attempts.clamp(0, 20)).min(3_600_000)
}

/// A recipient as the center's list shows it: a phone masked, a robot URL
/// without the key in its query (the key lets anyone post to the group).
pub fn masked_target(kind: &str, target: &str) -> String {
    if kind == "sms" {
        return phone::mask(target);
    }
    match target.split_once('?') {
        Some((base, query)) => {
            let names: Vec<String> = query.split('&').map(|kv| format!("{}=***", kv.split('=').next().unwrap_or_default())).collect();
            format!("{base}?{}", names.join("&"))
        }
        None => target.to_string(),
    }
}

/// A failed send as stored: the cause chain without the URL, which holds the robot's key.
fn describe(e: reqwest::Error) -> String {
    let e = e.without_url();
    let mut text = e.to_string();
    let mut cause = std::error::Error::source(&e);
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}

fn client() -> &'static reqwest::Client {
    static CLIENT: OnceLock<reqwest::Client> = OnceLock::new();
    CLIENT
        .get_or_init(|| reqwest::Client::builder().timeout(Duration::from_secs(10)).build().expect("an HTTP client with default settings"))
}

impl Service {
    /// Robot messages to the liaison channels of the units whose teams fit a published need.
    pub(crate) async fn robot_messages(&self, need: &Need) -> Result<Vec<Message>> {
        let f = teams::Filter { district_id: Some(need.district_id), category: Some(need.category.clone()), ..Default::default() };
        let mut unit_ids: Vec<i64> = teams::list(&self.db, &f, tongxing_domain::paging::Page { page: 1, per_page: 500 })
            .await?
            .items
            .into_iter()
            .filter_map(|t| t.unit_id)
            .collect();
        unit_ids.sort_unstable();
        unit_ids.dedup();
        let place = format!("{}（{}）", need.community_name, need.district_name);
        let markdown = text("robot.published.text", &[&need.title, &place, &need.tracking_code]);
        let title = text("robot.published.title", &[]);
        let mut out = Vec::new();
        for u in unit_ids {
            if let Some(url) = units::get(&self.db, u).await?.webhook_url.filter(|u| !u.is_empty()) {
                out.push(Message { kind: "webhook", body: robot_body(&url, &title, &markdown), target: url });
            }
        }
        Ok(out)
    }

    /// An SMS to the resident, when a gateway is configured.
    pub(crate) fn sms(&self, need: &Need, key: &str, args: &[&str]) -> Vec<Message> {
        self.sms_to(&need.requester_phone, key, args)
    }

    /// An SMS to `phone`, when a gateway is configured.
    pub(crate) fn sms_to(&self, phone: &str, key: &str, args: &[&str]) -> Vec<Message> {
        match &self.settings.sms_gateway_url {
            Some(_) => vec![Message { kind: "sms", target: phone.to_string(), body: text(key, args) }],
            None => Vec::new(),
        }
    }

    /// The deliveries, newest first, for the center, recipients masked. An
    /// unknown status is a 422 naming `status`, not an empty list.
    pub async fn deliveries(&self, actor: &Actor, status: Option<&str>, page: Page) -> Result<Paged<Delivery>> {
        self.require(actor, Action::Read, Resource::Outbox)?;
        let status = status.filter(|s| !s.is_empty());
        if status.is_some_and(|s| !outbox::STATUSES.contains(&s)) {
            return Err(Error::Validation(Invalid::one("status", "unknown_choice")));
        }
        let mut list = outbox::list(&self.db, status, page).await?;
        for d in list.items.iter_mut() {
            d.target = masked_target(&d.kind, &d.target);
            if d.secret {
                d.body = text("outbox.secret", &[]);
            }
        }
        Ok(list)
    }

    /// Sends a given-up (`dead`) or failing delivery again now, from a fresh
    /// count of attempts; audited with what had gone wrong. 409
    /// `not_retryable` for one that was sent, has not failed, or is being sent.
    pub async fn retry_delivery(&self, actor: &Actor, id: i64) -> Result<()> {
        self.require(actor, Action::Write, Resource::Outbox)?;
        let before = outbox::get(&self.db, id).await?;
        if !outbox::retry(&self.db, id).await? {
            return Err(Error::Conflict { code: "not_retryable", field: None });
        }
        let detail = format!("{} {}: {}", before.status, before.attempts, before.last_error.unwrap_or_default());
        self.audit(Some(actor), "retry_delivery", "outbox", Some(id), Some(&detail)).await
    }

    /// Sends what is due; returns how many were delivered. Safe to run on
    /// every instance at once: each delivery is leased to one of them.
    pub async fn deliver_due(&self) -> Result<usize> {
        let mut sent = 0;
        for d in outbox::claim_due(&self.db, 20).await? {
            let request = match d.kind.as_str() {
                "sms" => match &self.settings.sms_gateway_url {
                    Some(gw) => client().post(gw).json(&json!({"phone": d.target, "text": d.body})),
                    None => {
                        outbox::mark_failed(&self.db, d.id, "no SMS gateway configured", now_ms() + 3_600_000, MAX_ATTEMPTS).await?;
                        continue;
                    }
                },
                _ => client().post(&d.target).header("content-type", "application/json").body(d.body.clone()),
            };
            match request.send().await.map(|r| r.status()) {
                Ok(status) if status.is_success() => {
                    outbox::mark_sent(&self.db, d.id).await?;
                    sent += 1;
                }
                outcome => {
                    let error = match outcome {
                        Ok(status) => format!("HTTP {status}"),
                        Err(e) => describe(e),
                    };
                    let retry_at = now_ms() + backoff_ms(self.settings.outbox_backoff_ms, d.attempts);
                    outbox::mark_failed(&self.db, d.id, &error, retry_at, MAX_ATTEMPTS).await?;
                }
            }
        }
        Ok(sent)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn robots_get_their_own_markdown_shape() {
        let wecom: serde_json::Value =
            serde_json::from_str(&robot_body("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", "t", "m")).unwrap();
        assert_eq!(wecom["markdown"]["content"], "m");
        let ding: serde_json::Value =
            serde_json::from_str(&robot_body("https://oapi.dingtalk.com/robot/send?access_token=x", "t", "m")).unwrap();
        assert_eq!((ding["markdown"]["title"].as_str(), ding["markdown"]["text"].as_str()), (Some("t"), Some("m")));
    }

    #[test]
    fn the_center_sees_recipients_masked() {
        assert_eq!(masked_target("sms", "13933334444"), "139****4444");
        assert_eq!(
            masked_target("webhook", "https://oapi.dingtalk.com/robot/send?access_token=x&sign=y"),
            "https://oapi.dingtalk.com/robot/send?access_token=***&sign=***"
        );
        assert_eq!(masked_target("webhook", "http://10.0.0.1/hook"), "http://10.0.0.1/hook");
    }

    #[test]
    fn texts_come_from_the_catalogue_and_backoff_doubles() {
        assert_eq!(text("sms.rejected", &["修水管", "不属于服务范围"]), "【同行】您的需求“修水管”未能受理：不属于服务范围。");
        assert!(text("robot.published.text", &["a", "b", "c"]).contains('\n'));
        assert_eq!((backoff_ms(1000, 0), backoff_ms(1000, 3), backoff_ms(1000, 30)), (1000, 8000, 3_600_000));
    }
}
