//! Suggesting volunteers for a beneficiary (issue #15 §1): near them, with
//! skills that answer the agreed kinds of help or the beneficiary's needs,
//! and few pairs already — a volunteer at the region's cap is never offered.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::dispatch::rank::distance_km;

/// Other communities this close count as "nearest", ahead of the rest of the district.
pub const NEAR_KM: f64 = 3.0;
/// How many suggestions a form offers.
pub const SHOWN: usize = 10;

/// A volunteer who could take the pair, as the store finds them near the beneficiary.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Nearby {
    pub volunteer_id: i64,
    pub name: String,
    pub community_id: i64,
    pub community_name: String,
    pub lat: f64,
    pub lng: f64,
    /// Open pairs they already carry.
    pub load: i64,
    pub skills: Vec<String>,
}

/// Where the beneficiary lives and what they are helped with.
#[derive(Debug, Clone, PartialEq)]
pub struct Wanted<'a> {
    pub community_id: i64,
    pub lat: f64,
    pub lng: f64,
    /// The agreed kinds of help and the beneficiary's notes, as written.
    pub text: &'a str,
}

/// A suggested volunteer, best first in its list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[schema(as = CareCandidate)]
pub struct Candidate {
    pub volunteer_id: i64,
    pub name: String,
    pub community_name: String,
    /// 1 when they live in the beneficiary's community.
    pub same_community: i64,
    /// Open pairs they already carry.
    pub load: i64,
    /// The region's cap on open pairs per volunteer.
    pub max_pairs: i64,
    /// From their community to the beneficiary's, in km.
    pub distance_km: f64,
    /// Their skills that answer the agreed help or the beneficiary's needs.
    pub matching_skills: Vec<String>,
}

/// The words of a text to compare skills by: every two neighbouring Chinese
/// characters (Chinese has no spaces, and most skill names are two-character
/// words: 维修, 护理, 陪诊), and every Latin word of three letters or more.
pub fn terms(text: &str) -> HashSet<String> {
    fn flush(han: &mut Vec<char>, word: &mut String, out: &mut HashSet<String>) {
        out.extend(han.windows(2).map(|w| w.iter().collect::<String>()));
        if word.chars().count() >= 3 {
            out.insert(word.to_lowercase());
        }
        han.clear();
        word.clear();
    }
    let (mut out, mut han, mut word) = (HashSet::new(), Vec::new(), String::new());
    for c in text.chars() {
        let is_han = c.is_alphanumeric() && !c.is_ascii();
        let is_latin = c.is_ascii_alphanumeric();
        if (is_han && !word.is_empty()) || (is_latin && !han.is_empty()) || !(is_han || is_latin) {
            flush(&mut han, &mut word, &mut out);
        }
        if is_han {
            han.push(c);
        } else if is_latin {
            word.push(c);
        }
    }
    flush(&mut han, &mut word, &mut out);
    out
}

/// The skills that share a word with what is wanted, in the volunteer's order.
pub fn matching_skills(skills: &[String], wanted: &HashSet<String>) -> Vec<String> {
    skills.iter().filter(|s| !terms(s).is_disjoint(wanted)).cloned().collect()
}

/// The volunteers to offer, best first: the beneficiary's own community,
/// then communities within `NEAR_KM`, then the rest; within each, more
/// matching skills, then fewer pairs, then nearer. Nobody at `cap` is offered.
pub fn suggest(wanted: &Wanted, pool: Vec<Nearby>, cap: i64, limit: usize) -> Vec<Candidate> {
    let words = terms(wanted.text);
    let mut ranked: Vec<(u8, Candidate)> = pool
        .into_iter()
        .filter(|n| n.load < cap)
        .map(|n| {
            let same = n.community_id == wanted.community_id;
            let km = if same { 0.0 } else { (distance_km(wanted.lat, wanted.lng, n.lat, n.lng) * 10.0).round() / 10.0 };
            let tier = if same {
                0
            } else if km <= NEAR_KM {
                1
            } else {
                2
            };
            let c = Candidate {
                volunteer_id: n.volunteer_id,
                matching_skills: matching_skills(&n.skills, &words),
                name: n.name,
                community_name: n.community_name,
                same_community: i64::from(same),
                load: n.load,
                max_pairs: cap,
                distance_km: km,
            };
            (tier, c)
        })
        .collect();
    ranked.sort_by(|(ta, a), (tb, b)| {
        ta.cmp(tb)
            .then(b.matching_skills.len().cmp(&a.matching_skills.len()))
            .then(a.load.cmp(&b.load))
            .then(a.distance_km.total_cmp(&b.distance_km))
            .then(a.volunteer_id.cmp(&b.volunteer_id))
    });
    ranked.into_iter().take(limit).map(|(_, c)| c).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn person(id: i64, community_id: i64, lat: f64, load: i64, skills: &[&str]) -> Nearby {
        Nearby {
            volunteer_id: id,
            name: format!("v{id}"),
            community_id,
            community_name: format!("c{community_id}"),
            lat,
            lng: 118.5,
            load,
            skills: skills.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn home(text: &str) -> Wanted<'_> {
        Wanted { community_id: 1, lat: 37.45, lng: 118.5, text }
    }

    fn ids(c: &[Candidate]) -> Vec<i64> {
        c.iter().map(|c| c.volunteer_id).collect()
    }

    #[test]
    fn a_skill_matches_when_it_shares_a_word_with_the_help_or_the_needs() {
        let skills: Vec<String> = ["家电维修", "书法", "医疗护理", "First aid"].iter().map(|s| s.to_string()).collect();
        let wanted = terms("厨房水龙头漏水需要维修；术后需要护理。Needs first-aid checks");
        assert_eq!(matching_skills(&skills, &wanted), vec!["家电维修", "医疗护理", "First aid"]);
        assert!(matching_skills(&skills, &terms("聊天陪伴、代购")).is_empty());
        assert!(matching_skills(&skills, &terms("")).is_empty());
    }

    #[test]
    fn single_characters_and_short_words_never_match_on_their_own() {
        assert!(terms("医 a to").is_empty());
        assert_eq!(terms("代购"), HashSet::from(["代购".to_string()]));
    }

    #[test]
    fn the_own_community_comes_first_then_skills_then_the_fewest_pairs() {
        let pool = vec![
            person(1, 2, 37.46, 0, &["维修"]),     // next door (about 1 km), skilled, free
            person(2, 1, 37.45, 3, &[]),           // same community, busy, unskilled
            person(3, 2, 37.46, 0, &[]),           // next door, free, unskilled
            person(4, 3, 37.60, 0, &["家电维修"]), // 17 km away, skilled
            person(5, 2, 37.46, 1, &["家电维修"]), // next door, skilled, one pair
        ];
        let got = suggest(&home("水龙头需要维修"), pool, 5, 10);
        assert_eq!(ids(&got), vec![2, 1, 5, 3, 4]);
        assert_eq!(got[1].matching_skills, vec!["维修"]);
        assert_eq!((got[0].same_community, got[0].distance_km), (1, 0.0));
        assert!((got[1].distance_km - 1.1).abs() < 0.05, "{}", got[1].distance_km);
        assert_eq!(got[4].distance_km, 16.7);
    }

    #[test]
    fn nobody_at_the_cap_is_offered_and_the_list_is_cut() {
        let pool = (1..=20).map(|i| person(i, 1, 37.45, i % 4, &[])).collect();
        let got = suggest(&home(""), pool, 3, SHOWN);
        assert_eq!(got.len(), SHOWN);
        assert!(got.iter().all(|c| c.load < 3 && c.max_pairs == 3));
        assert!(got.windows(2).all(|w| w[0].load <= w[1].load));
    }

    proptest! {
        #[test]
        fn suggestions_are_under_the_cap_and_ordered_by_tier_then_skills(
            people in proptest::collection::vec((1i64..4, 0.0f64..0.2, 0i64..6, proptest::bool::ANY), 0..30),
        ) {
            let pool = people.iter().enumerate()
                .map(|(i, (c, dlat, load, skilled))| person(i as i64, *c, 37.45 + dlat, *load, if *skilled { &["维修"] } else { &[] }))
                .collect();
            let got = suggest(&home("维修"), pool, 4, 50);
            prop_assert!(got.iter().all(|c| c.load < 4));
            let tier = |c: &Candidate| if c.same_community == 1 { 0 } else if c.distance_km <= NEAR_KM { 1 } else { 2 };
            for w in got.windows(2) {
                let (a, b) = (&w[0], &w[1]);
                prop_assert!(tier(a) <= tier(b));
                if tier(a) == tier(b) {
                    prop_assert!(a.matching_skills.len() >= b.matching_skills.len());
                }
            }
        }
    }
}
