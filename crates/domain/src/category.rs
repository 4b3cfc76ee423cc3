//! Service categories: the codes that needs, teams and skills share. Their
//! names live in the i18n catalogue under `category.<code>`.

pub const CATEGORIES: &[&str] = &[
    "elderly_care",
    "disability_support",
    "child_care",
    "hardship_relief",
    "health",
    "environment",
    "civility",
    "policy_outreach",
    "repair",
    "legal_aid",
    "counselling",
    "emergency",
    "culture_sports",
    "education",
];

pub fn is_known(code: &str) -> bool {
    CATEGORIES.contains(&code)
}
