//! The public need form's limits: per phone and per address in an hour,
//! counted atomically so racing submissions cannot slip past them.

use reqwest::StatusCode;

use crate::helpers::{expect_error, spawn_app};
use crate::needs::{need, submit};

#[tokio::test]
async fn public_submission_is_throttled_per_phone() {
    let app = spawn_app().await;
    for _ in 0..5 {
        submit(&app, "13911114444").await;
    }
    let resp = app.api.post(app.url("/api/v1/needs")).json(&need(&app, "13911114444")).send().await.unwrap();
    expect_error(resp, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
}

/// Fifteen submissions from one phone at once: the limit of five holds
/// (counting the phone's needs before creating let seven through).
#[tokio::test]
async fn racing_public_submissions_from_one_phone_create_no_more_than_the_limit() {
    let app = spawn_app().await;
    let input = need(&app, "13911116666");
    let tries: Vec<_> = (0..15)
        .map(|_| {
            let (client, url, input) = (app.api.clone(), app.url("/api/v1/needs"), input.clone());
            tokio::spawn(async move { client.post(url).json(&input).send().await.unwrap().status() })
        })
        .collect();
    let mut created = 0;
    for t in tries {
        let status = t.await.unwrap();
        assert!(status == StatusCode::CREATED || status == StatusCode::TOO_MANY_REQUESTS, "{status}");
        created += usize::from(status == StatusCode::CREATED);
    }
    assert_eq!(created, 5, "each 201 is one need created");
}

#[tokio::test]
async fn public_submission_is_throttled_per_address_whatever_the_phone() {
    let app = spawn_app().await;
    for i in 0..30 {
        submit(&app, &format!("1391112{i:04}")).await;
    }
    let resp = app.api.post(app.url("/api/v1/needs")).json(&need(&app, "13911129999")).send().await.unwrap();
    expect_error(resp, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
}
