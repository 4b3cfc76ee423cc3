//! Session checks that miss the session cache at the same moment.

use tongxing_domain::role::Role;
use tongxing_service::auth::token_hash;
use tongxing_store::sessions;

use crate::helpers::spawn_app;

/// Fresh tokens checked all at once (on PostgreSQL one statement for the
/// group) each find their own account; an unknown token and an expired
/// session in the same group find none; and asked again, through the API,
/// each token is still its own account.
#[tokio::test]
async fn checked_together_each_token_finds_its_own_account() {
    let app = spawn_app().await;
    let roles = [Role::Admin, Role::Coordinator, Role::Liaison, Role::TeamLeader, Role::Volunteer];
    let mut asked: Vec<(String, Option<i64>)> = Vec::new();
    for (i, role) in roles.iter().enumerate() {
        let user = app.svc.authenticate(app.token(*role)).await.unwrap();
        for k in 0..3 {
            let token = format!("fresh-{i}-{k}");
            sessions::create(&app.svc.db, &token_hash(&token), user.id, 3_600_000).await.unwrap();
            asked.push((token, Some(user.id)));
        }
    }
    let volunteer = app.svc.authenticate(app.token(Role::Volunteer)).await.unwrap();
    sessions::create(&app.svc.db, &token_hash("expired"), volunteer.id, -1_000).await.unwrap();
    asked.insert(4, ("expired".into(), None));
    asked.insert(9, ("never-issued".into(), None));
    let found = futures_util::future::join_all(asked.iter().map(|(t, _)| app.svc.authenticate(t))).await;
    let ids: Vec<Option<i64>> = found.iter().map(|r| r.as_ref().ok().map(|u| u.id)).collect();
    let expected: Vec<Option<i64>> = asked.iter().map(|(_, id)| *id).collect();
    assert_eq!(ids, expected);
    for (token, id) in &asked {
        let r = app.api.get(app.url("/api/v1/notifications")).bearer_auth(token).send().await.unwrap();
        assert_eq!(r.status().is_success(), id.is_some(), "{token}: {}", r.status());
    }
}
