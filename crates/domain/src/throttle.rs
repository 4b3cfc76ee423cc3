//! Rate limits against guessing and flooding, kept so that they cannot be
//! turned against the people they protect (OWASP ASVS 2.2): wrong passwords
//! lock out the pair of account and address that sent them, not the account
//! everywhere; a much higher ceiling per account stops a guesser spread over
//! many addresses; each further failure of a pair waits longer.

use std::time::Duration;

/// The counter of one account tried from one address.
pub fn login_pair(login: &str, ip: &str) -> String {
    format!("login:{login}@{ip}")
}

/// The counter of one account from every address.
pub fn login_account(login: &str) -> String {
    format!("login:{login}")
}

/// The counter of every login tried from one address.
pub fn login_address(ip: &str) -> String {
    format!("login@{ip}")
}

/// The counter of public submissions from one phone.
pub fn need_phone(phone: &str) -> String {
    format!("need:{phone}")
}

/// The counter of public submissions from one address.
pub fn need_address(ip: &str) -> String {
    format!("need@{ip}")
}

/// The counter of public childcare enrolments for one guardian's phone.
pub fn childcare_phone(phone: &str) -> String {
    format!("childcare:{phone}")
}

/// The counter of public childcare enrolments (and wrong code-and-mobile
/// look-ups) from one address.
pub fn childcare_address(ip: &str) -> String {
    format!("childcare@{ip}")
}

/// The counter of join codes sent to one phone (each is an SMS someone pays for).
pub fn join_code_phone(phone: &str) -> String {
    format!("join-code:{phone}")
}

/// The counter of join codes asked for from one address, whatever the phone.
pub fn join_code_address(ip: &str) -> String {
    format!("join-code@{ip}")
}

/// The counter of join applications for one phone.
pub fn join_phone(phone: &str) -> String {
    format!("join:{phone}")
}

/// The counter of join applications from one address.
pub fn join_address(ip: &str) -> String {
    format!("join@{ip}")
}

/// How long the answer to the `failures`-th failed login of one pair waits:
/// nothing for the first two (a typo), then 250 ms doubling up to 4 s, so a
/// guesser gets a handful of tries a minute while a person barely notices.
pub fn login_delay(failures: i64) -> Duration {
    match failures {
        ..=2 => Duration::ZERO,
        n => Duration::from_millis((250u64 << (n - 3).min(4)).min(4_000)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_from_the_third_failure_and_stop_at_four_seconds() {
        let ms: Vec<u128> = (0..10).map(|n| login_delay(n).as_millis()).collect();
        assert_eq!(ms, [0, 0, 0, 250, 500, 1000, 2000, 4000, 4000, 4000]);
    }

    #[test]
    fn a_pair_an_account_and_an_address_are_different_counters() {
        let keys = [
            login_pair("admin", "10.0.0.1"),
            login_account("admin"),
            login_address("10.0.0.1"),
            need_phone("1"),
            need_address("1"),
            join_code_phone("1"),
            join_code_address("1"),
            join_address("1"),
            join_phone("1"),
        ];
        let unique: std::collections::HashSet<_> = keys.iter().collect();
        assert_eq!(unique.len(), keys.len());
    }
}
