//! Campaign rows and their goals.

use sqlx::FromRow;
use tongxing_domain::campaigns::campaign::GoalInput;
use tongxing_domain::campaigns::view::CampaignItem;
use tongxing_domain::model::Paged;
use tongxing_domain::paging::Page;

use crate::{now_ms, Db, Result};

/// A campaign as stored.
#[derive(Debug, Clone, FromRow)]
pub struct Row {
    pub id: i64,
    pub name: String,
    pub starts_on: String,
    pub ends_on: String,
    pub from_ms: i64,
    pub until_ms: i64,
    pub themes: String,
    pub exclusive_themes: bool,
    pub allow_overlap: bool,
    pub warn_days: i64,
    pub feed_token: String,
}

impl Row {
    pub fn theme_list(&self) -> Vec<String> {
        self.themes.split(',').filter(|t| !t.is_empty()).map(str::to_string).collect()
    }
}

/// What is written for a campaign (the service has checked it).
pub struct Save<'a> {
    pub name: &'a str,
    pub starts_on: String,
    pub ends_on: String,
    pub from_ms: i64,
    pub until_ms: i64,
    pub themes: String,
    pub exclusive_themes: bool,
    pub allow_overlap: bool,
    pub warn_days: i64,
    pub goals: &'a [GoalInput],
}

const COLUMNS: &str = "id, name, starts_on, ends_on, from_ms, until_ms, themes, exclusive_themes, allow_overlap, warn_days, feed_token";

pub async fn get(db: &Db, id: i64) -> Result<Row> {
    let sql = format!("SELECT {COLUMNS} FROM campaigns WHERE id = $1");
    db_read!(db, |p| Ok(sqlx::query_as(sqlx::AssertSqlSafe(&*sql)).bind(id).fetch_one(p).await?))
}

pub async fn by_feed_token(db: &Db, token: &str) -> Result<Row> {
    let sql = format!("SELECT {COLUMNS} FROM campaigns WHERE feed_token = $1");
    db_read!(db, |p| Ok(sqlx::query_as(sqlx::AssertSqlSafe(&*sql)).bind(token).fetch_one(p).await?))
}

/// The campaign running on unix ms `at` (the latest to start), if any.
pub async fn current(db: &Db, at: i64) -> Result<Option<Row>> {
    let sql = format!("SELECT {COLUMNS} FROM campaigns WHERE from_ms <= $1 AND until_ms > $1 ORDER BY from_ms DESC, id DESC LIMIT 1");
    db_read!(db, |p| Ok(sqlx::query_as(sqlx::AssertSqlSafe(&*sql)).bind(at).fetch_optional(p).await?))
}

#[derive(FromRow)]
struct ItemRow {
    id: i64,
    name: String,
    starts_on: String,
    ends_on: String,
    themes: String,
    slots: i64,
}

/// Newest first.
pub async fn list(db: &Db, page: Page) -> Result<Paged<CampaignItem>> {
    let sql = "SELECT c.id, c.name, c.starts_on, c.ends_on, c.themes, \
               (SELECT COUNT(*) FROM campaign_slots s WHERE s.campaign_id = c.id) AS slots \
               FROM campaigns c ORDER BY c.from_ms DESC, c.id DESC LIMIT $1 OFFSET $2";
    db_read!(db, |p| {
        let rows: Vec<ItemRow> = sqlx::query_as(sql).bind(page.limit()).bind(page.offset()).fetch_all(p).await?;
        let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM campaigns").fetch_one(p).await?;
        let items = rows
            .into_iter()
            .map(|r| CampaignItem {
                id: r.id,
                name: r.name,
                starts_on: r.starts_on,
                ends_on: r.ends_on,
                themes: r.themes.split(',').map(str::to_string).collect(),
                slots: r.slots,
            })
            .collect();
        Ok(Paged { items, total })
    })
}

pub async fn goals(db: &Db, campaign_id: i64) -> Result<Vec<GoalInput>> {
    let sql = "SELECT metric, theme, district_id, target FROM campaign_goals WHERE campaign_id = $1 ORDER BY id";
    db_read!(db, |p| {
        let rows: Vec<(String, Option<String>, Option<i64>, f64)> = sqlx::query_as(sql).bind(campaign_id).fetch_all(p).await?;
        Ok(rows.into_iter().map(|(metric, theme, district_id, target)| GoalInput { metric, theme, district_id, target }).collect())
    })
}

/// Creates (`id` None, with `feed_token`) or updates a campaign; its goals are replaced.
pub async fn save(db: &Db, id: Option<i64>, c: &Save<'_>, feed_token: &str, by: Option<i64>) -> Result<i64> {
    let now = now_ms();
    let insert = "INSERT INTO campaigns (name, starts_on, ends_on, from_ms, until_ms, themes, exclusive_themes, allow_overlap, warn_days, \
                  feed_token, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id";
    let update = "UPDATE campaigns SET name = $1, starts_on = $2, ends_on = $3, from_ms = $4, until_ms = $5, themes = $6, \
                  exclusive_themes = $7, allow_overlap = $8, warn_days = $9, updated_at = $10 WHERE id = $11";
    let goal = "INSERT INTO campaign_goals (campaign_id, metric, theme, district_id, target) VALUES ($1, $2, $3, $4, $5)";
    db_write!(db, |p| {
        let mut tx = p.begin().await?;
        let q = |sql| sqlx::query(sql).bind(c.name).bind(&c.starts_on).bind(&c.ends_on).bind(c.from_ms).bind(c.until_ms);
        let id = match id {
            None => {
                let q = sqlx::query_scalar(insert).bind(c.name).bind(&c.starts_on).bind(&c.ends_on).bind(c.from_ms).bind(c.until_ms);
                q.bind(&c.themes)
                    .bind(c.exclusive_themes)
                    .bind(c.allow_overlap)
                    .bind(c.warn_days)
                    .bind(feed_token)
                    .bind(by)
                    .bind(now)
                    .fetch_one(&mut *tx)
                    .await?
            }
            Some(id) => {
                let done = q(update)
                    .bind(&c.themes)
                    .bind(c.exclusive_themes)
                    .bind(c.allow_overlap)
                    .bind(c.warn_days)
                    .bind(now)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                crate::expect_one(done.rows_affected())?;
                sqlx::query("DELETE FROM campaign_goals WHERE campaign_id = $1").bind(id).execute(&mut *tx).await?;
                id
            }
        };
        for g in c.goals {
            let theme = g.theme.as_deref().filter(|t| !t.is_empty());
            sqlx::query(goal).bind(id).bind(&g.metric).bind(theme).bind(g.district_id).bind(g.target).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(id)
    })
}
