//! Competitions (技能竞赛) at every level per trade: entrants, their coaches,
//! results and awards, which enter the entrant's and the coach's records.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::inputs::{CODE_MAX, NAME_MAX};
use crate::campaigns::campaign::parse_date;
use crate::{schema, Invalid};

/// 单位, 油田, 市, 省, 全国行业 — lowest first.
pub const LEVELS: [&str; 5] = ["unit", "oilfield", "city", "province", "national"];
/// 金奖, 银奖, 铜奖, and a special prize with its own name.
pub const AWARDS: [&str; 4] = ["gold", "silver", "bronze", "special"];
pub const RANK_MAX: i64 = 10_000;

crate::field_schemas! {
    title_schema = schema::text(NAME_MAX);
    code_schema = schema::text(CODE_MAX);
    level_schema = schema::one_of(&LEVELS);
    award_schema = schema::optional_one_of(&AWARDS);
    prize_schema = schema::optional_text(NAME_MAX);
    rank_schema = schema::optional_int_range(1, RANK_MAX);
}

/// A competition.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
pub struct CompetitionInput {
    #[schema(schema_with = title_schema)]
    pub title: String,
    #[schema(schema_with = level_schema)]
    pub level: String,
    /// The trade's code.
    #[schema(schema_with = code_schema)]
    pub trade: String,
    #[schema(schema_with = schema::date)]
    pub held_on: String,
    /// The organising unit (a liaison: their own, the default).
    #[serde(default)]
    #[schema(schema_with = schema::optional_id)]
    pub unit_id: Option<i64>,
}

impl CompetitionInput {
    pub fn check(&self) -> Result<(), Invalid> {
        let mut e = Invalid::default();
        e.text("title", &self.title, NAME_MAX);
        if !LEVELS.contains(&self.level.trim()) {
            e.push("level", "unknown_choice");
        }
        e.text("trade", &self.trade, CODE_MAX);
        if parse_date(&self.held_on).is_none() {
            e.push("held_on", "date_format");
        }
        e.into_result()
    }
}

/// An entrant's result: with no award, a plain entrant; recording again replaces it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[schema(as = CompetitionResultInput)]
pub struct EntryInput {
    #[schema(schema_with = schema::id)]
    pub person_id: i64,
    /// Who coached them (教练).
    #[serde(default)]
    #[schema(schema_with = schema::optional_id)]
    pub coach_id: Option<i64>,
    /// Their place (名次).
    #[serde(default)]
    #[schema(schema_with = rank_schema)]
    pub rank: Option<i64>,
    #[serde(default)]
    #[schema(schema_with = award_schema)]
    pub award: Option<String>,
    /// A special prize's name (e.g. 最佳操作奖); required with `special`.
    #[serde(default)]
    #[schema(schema_with = prize_schema)]
    pub prize: Option<String>,
}

impl EntryInput {
    /// The award (none when blank) and the prize's name.
    pub fn check(&self) -> Result<(Option<&'static str>, Option<String>), Invalid> {
        let mut e = Invalid::default();
        if self.coach_id == Some(self.person_id) {
            e.push("coach_id", "own_coach");
        }
        if self.rank.is_some_and(|r| !(1..=RANK_MAX).contains(&r)) {
            e.push("rank", "out_of_range");
        }
        let award = match self.award.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
            Some(a) => {
                let found = AWARDS.iter().find(|x| **x == a).copied();
                if found.is_none() {
                    e.push("award", "unknown_choice");
                }
                found
            }
            None => None,
        };
        e.optional_text("prize", self.prize.as_deref(), NAME_MAX);
        let prize = self.prize.as_deref().map(str::trim).filter(|p| !p.is_empty()).map(str::to_string);
        if award == Some("special") && prize.is_none() {
            e.push("prize", "required");
        }
        e.into_result()?;
        Ok((award, if award == Some("special") { prize } else { None }))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Competition {
    pub id: i64,
    pub title: String,
    /// `unit`, `oilfield`, `city`, `province` or `national`.
    pub level: String,
    pub trade: String,
    pub trade_name: String,
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
    #[schema(value_type = String, format = Date)]
    pub held_on: String,
    pub entrants: i64,
    pub awarded: i64,
}

/// One entrant of one competition, with names, never ids alone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[schema(as = CompetitionEntry)]
pub struct Entry {
    pub competition_id: i64,
    pub title: String,
    pub level: String,
    pub trade_name: String,
    #[schema(value_type = String, format = Date)]
    pub held_on: String,
    pub person_id: i64,
    pub person_name: String,
    pub coach_id: Option<i64>,
    pub coach_name: Option<String>,
    pub rank: Option<i64>,
    /// `gold`, `silver`, `bronze`, `special`; none for an entrant without one.
    pub award: Option<String>,
    pub prize: Option<String>,
}

/// What a person's competition record adds up to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CompetitionSummary {
    /// Competitions entered, and awards won.
    pub entered: i64,
    pub awarded: i64,
    /// Entrants coached, and how many of them won an award.
    pub coached: i64,
    pub coached_awarded: i64,
}

/// Adds up a person's entries and the entries they coached.
pub fn summary(entries: &[Entry], coached: &[Entry]) -> CompetitionSummary {
    CompetitionSummary {
        entered: entries.len() as i64,
        awarded: entries.iter().filter(|e| e.award.is_some()).count() as i64,
        coached: coached.len() as i64,
        coached_awarded: coached.iter().filter(|e| e.award.is_some()).count() as i64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(person: i64, coach: Option<i64>, award: Option<&str>, prize: Option<&str>) -> EntryInput {
        EntryInput { person_id: person, coach_id: coach, rank: Some(1), award: award.map(Into::into), prize: prize.map(Into::into) }
    }

    #[test]
    fn an_entrant_is_not_their_own_coach() {
        let e = entry(3, Some(3), Some("gold"), None).check().unwrap_err();
        assert_eq!(e.0[0].field, "coach_id");
        assert_eq!(e.0[0].code, "own_coach");
    }

    #[test]
    fn a_special_prize_has_a_name_and_other_awards_keep_none() {
        assert_eq!(entry(3, None, Some("special"), None).check().unwrap_err().0[0].field, "prize");
        assert_eq!(entry(3, None, Some("special"), Some("最佳操作奖")).check().unwrap(), (Some("special"), Some("最佳操作奖".into())));
        assert_eq!(entry(3, None, Some("gold"), Some("x")).check().unwrap(), (Some("gold"), None));
        assert_eq!(entry(3, None, Some(" "), None).check().unwrap(), (None, None));
        assert_eq!(entry(3, None, Some("platinum"), None).check().unwrap_err().0[0].code, "unknown_choice");
        let far = EntryInput { rank: Some(0), ..entry(3, None, None, None) };
        assert_eq!(far.check().unwrap_err().0[0].field, "rank");
    }

    #[test]
    fn a_coach_counts_the_entrants_coached_and_those_awarded() {
        let e = |award: Option<&str>| Entry {
            competition_id: 1,
            title: "集输工技能竞赛".into(),
            level: "oilfield".into(),
            trade_name: "集输".into(),
            held_on: "2019-10-01".into(),
            person_id: 2,
            person_name: "李".into(),
            coach_id: Some(1),
            coach_name: Some("张晓静".into()),
            rank: None,
            award: award.map(Into::into),
            prize: None,
        };
        let coached: Vec<Entry> = [Some("gold"), Some("silver"), Some("bronze"), Some("bronze"), Some("special"), None].map(e).to_vec();
        let s = summary(&[e(Some("gold"))], &coached);
        assert_eq!(s, CompetitionSummary { entered: 1, awarded: 1, coached: 6, coached_awarded: 5 });
    }
}
