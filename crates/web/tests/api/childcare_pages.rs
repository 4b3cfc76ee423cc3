//! 子女照辅班's pages: a guardian enrols on the public form and opens their
//! page with the code and mobile; the head's first screen leads to today's
//! sheet, whose door checks a child in and refuses a stranger at check-out.

use chrono::Datelike;
use reqwest::StatusCode;
use tongxing_domain::role::Role;

use crate::childcare::{class, enrol, form};
use crate::helpers::{body, spawn_app};
use crate::pages::{page, submit};

#[tokio::test]
async fn a_guardian_enrols_on_the_public_form_and_sees_their_page_with_code_and_mobile() {
    let app = spawn_app().await;
    let c = class(&app, 30).await;
    let visitor = app.browser();
    let csrf = app.csrf(&visitor).await;
    let (status, html) = page(&app, &visitor, "/childcare/enrol").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&format!("/childcare/enrol/{c}")), "the open classes are listed");
    let id = c.to_string();
    let mut f = vec![
        ("_csrf", csrf.as_str()),
        ("child_name", "王小雨"),
        ("birth_date", "2024-01-01"),
        ("guardian_name", "王建国"),
        ("guardian_phone", "13911112222"),
        ("pickup1_name", "王建国"),
        ("pickup1_relation", "父亲"),
        ("pickup1_phone", "13911112222"),
        ("consent", "1"),
    ];
    let resp = submit(&app, &visitor, &format!("/childcare/enrol/{id}"), &f).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = resp.text().await.unwrap();
    assert!(html.contains("childcare-form-error") && html.contains("value=\"王小雨\""), "the error shown, the typing kept");
    f[2] = ("birth_date", "2017-05-01");
    let resp = submit(&app, &visitor, &format!("/childcare/enrol/{id}"), &f).await;
    assert_eq!(resp.status(), StatusCode::CREATED);
    let html = resp.text().await.unwrap();
    let code = html.split("id=\"childcare-code\" class=\"code\">").nth(1).unwrap().split('<').next().unwrap().to_string();
    assert!(code.starts_with("ZF"), "{code}");
    let opener = html.split("id=\"childcare-open-mine\"").nth(1).expect("a button opens their page").split("</form>").next().unwrap();
    assert!(
        opener.contains(&format!("name=\"code\" value=\"{code}\"")) && opener.contains("name=\"phone\" value=\"13911112222\""),
        "the button carries the code and the mobile just typed, in the form's body: {opener}"
    );
    let resp =
        submit(&app, &visitor, "/childcare/mine", &[("_csrf", csrf.as_str()), ("code", code.as_str()), ("phone", "13911112222")]).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let html = resp.text().await.unwrap();
    assert!(html.contains("王小雨") && html.contains("childcare-today"), "their child and the day");
    assert!(html.contains("childcare-absence") && html.contains("childcare-cancel"), "请假 and giving up the place are offered");
    assert!(!html.contains("childcare-rate"), "rating waits for the term's end");
    // 请假 from the page for the next class day: recorded, listed, and a repeat says so.
    let day = crate::childcare::weekday_from(crate::childcare::today() + chrono::Duration::days(1)).to_string();
    let act = |action: &'static str, extra: Vec<(&'static str, String)>| {
        let mut f =
            vec![("_csrf", csrf.clone()), ("code", code.clone()), ("phone", "13911112222".to_string()), ("action", action.to_string())];
        f.extend(extra);
        f
    };
    let f = act("absence", vec![("date", day.clone()), ("reason", "去医院复查".into())]);
    let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let html = submit(&app, &visitor, "/childcare/mine/act", &f).await.text().await.unwrap();
    assert!(html.contains("childcare-mine-notice") && html.contains(&day) && html.contains("去医院复查"), "recorded and listed");
    let html = submit(&app, &visitor, "/childcare/mine/act", &f).await.text().await.unwrap();
    assert!(html.contains("childcare-mine-notice"), "a repeat is told, not refused");
    let f = act("rate", vec![("stars", "5".into())]);
    let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let html = submit(&app, &visitor, "/childcare/mine/act", &f).await.text().await.unwrap();
    assert!(html.contains("childcare-mine-error"), "rating before the end is refused with a reason");
    let f = act("cancel", vec![("confirm", "yes".into())]);
    let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let html = submit(&app, &visitor, "/childcare/mine/act", &f).await.text().await.unwrap();
    assert!(html.contains("childcare-mine-notice") && !html.contains("childcare-absence"), "the place is given up");
    let f = act("absence", vec![("date", day.clone())]);
    let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let html = submit(&app, &visitor, "/childcare/mine/act", &f).await.text().await.unwrap();
    assert!(html.contains("childcare-mine-error"), "no absence for a child no longer enrolled");
    let resp =
        submit(&app, &visitor, "/childcare/mine", &[("_csrf", csrf.as_str()), ("code", code.as_str()), ("phone", "13911110000")]).await;
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    assert!(!resp.text().await.unwrap().contains("王小雨"), "nobody else's child");
}

#[tokio::test]
async fn the_head_goes_from_the_first_screen_to_todays_sheet_and_the_door_refuses_a_stranger() {
    let app = spawn_app().await;
    let c = class(&app, 30).await;
    let e = body(enrol(&app, c, &form("王小雨", "13911112222")).await).await["id"].as_i64().unwrap();
    let today = tongxing_domain::time::region_date(tongxing_store::now_ms());
    let (head, csrf) = app.browser_as(Role::Volunteer).await;
    let (_, home) = page(&app, &head, "/").await;
    let sheet = format!("/childcare/classes/{c}/days/{today}");
    assert!(home.contains("home-childcare") && home.contains(&sheet), "the head's card leads to today's sheet");
    let (center, _) = app.browser_as(Role::Coordinator).await;
    let (_, home) = page(&app, &center, "/").await;
    assert!(home.contains("home-childcare") && home.contains("/childcare"), "the center sees today's classes");
    let (status, html) = page(&app, &head, &sheet).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("王小雨") && html.contains("childcare-ratio") && html.contains("day-sheet"));
    let (status, _) = page(&app, &app.browser_as(Role::TeamLeader).await.0, &sheet).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "not the class's head nor on duty");
    if matches!(today.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun) {
        return;
    }
    let id = e.to_string();
    let door = format!("{sheet}/door");
    let resp =
        submit(&app, &head, &door, &[("_csrf", csrf.as_str()), ("enrolment_id", id.as_str()), ("kind", "in"), ("by_name", "王建国")]).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let resp =
        submit(&app, &head, &door, &[("_csrf", csrf.as_str()), ("enrolment_id", id.as_str()), ("kind", "out"), ("by_name", "张三")]).await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    assert!(resp.text().await.unwrap().contains("childcare-door-error"), "the refusal in words on the sheet");
}
