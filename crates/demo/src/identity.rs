//! Mobile and ID numbers derived from a person's index through bijections, so
//! they are unique by construction at any size — no retry-until-unused loop
//! that slows down as the region grows.

use rand::Rng;
use tongxing_domain::id_number::check_char;

/// Real mainland mobile prefixes (China Mobile, Unicom, Telecom).
const PHONE_PREFIXES: &[&str] = &[
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151", "152", "153", "155", "156", "157", "158", "159",
    "166", "176", "177", "178", "180", "181", "182", "183", "184", "185", "186", "187", "188", "189", "198", "199",
];
/// The eight digits after the prefix.
const PHONE_SUFFIXES: u64 = 100_000_000;
/// Every (prefix, suffix) pair, split for the permutation into the last four
/// digits and everything before them (prefix choice and first four digits).
const PHONE_LOW: u64 = 10_000;
const PHONE_HIGH: u64 = PHONE_PREFIXES.len() as u64 * PHONE_SUFFIXES / PHONE_LOW;
const PHONE_SPACE: u64 = PHONE_LOW * PHONE_HIGH;

/// Dongying's county codes; 370521 is Kenli's code before it became a district
/// in 2016, which is what everyone born there before then carries.
const ID_REGIONS: &[&str] = &["370502", "370503", "370521", "370522", "370523"];
/// Day of year 0..365 maps to a valid date in every year (a leap year's
/// 31 December simply never occurs).
const ID_DAYS: u64 = 365;
/// The 3-digit sequence's last digit encodes sex (odd male, even female), so
/// 500 pairs are left for the uniqueness key.
const ID_SEQ_PAIRS: u64 = 500;
/// Size of the (region, day of year, sequence pair) key; the birth year is
/// left free so ages can follow a realistic distribution.
pub const ID_SPACE: u64 = ID_REGIONS.len() as u64 * ID_DAYS * ID_SEQ_PAIRS;
/// Any factorisation of ID_SPACE works for the permutation; this one is even.
const ID_LOW: u64 = 2_500;
const ID_HIGH: u64 = ID_SPACE / ID_LOW;

/// Seed-dependent keys of the two permutations.
#[derive(Debug, Clone, Copy)]
pub struct Numbering {
    phone_key: u64,
    id_key: u64,
}

impl Numbering {
    pub fn new(rng: &mut impl Rng) -> Self {
        Numbering { phone_key: rng.gen(), id_key: rng.gen() }
    }

    /// The index is permuted over all (prefix, suffix) pairs, so distinct
    /// indices below 35·10⁸ give distinct numbers.
    pub fn phone(&self, index: usize) -> String {
        let i = index as u64 % PHONE_SPACE;
        let number = permute(i, PHONE_LOW, PHONE_HIGH, self.phone_key);
        let prefix = PHONE_PREFIXES[(number / PHONE_SUFFIXES) as usize];
        let suffix = number % PHONE_SUFFIXES;
        format!("{prefix}{suffix:08}")
    }

    /// An 18-character ID number for the person at `index`, born in
    /// `birth_year`. The key (region, day of year, sequence pair) is a
    /// permutation of the index, so two indices never share a number whatever
    /// the birth years. Beyond `ID_SPACE` people no unique key is left, hence
    /// `None`.
    pub fn id_number(&self, index: usize, birth_year: u32, female: bool) -> Option<String> {
        let i = index as u64;
        if i >= ID_SPACE {
            return None;
        }
        let key = permute(i, ID_LOW, ID_HIGH, self.id_key);
        let regions = ID_REGIONS.len() as u64;
        let region = ID_REGIONS[(key % regions) as usize];
        let day_of_year = (key / regions) % ID_DAYS;
        let pair = key / regions / ID_DAYS;
        let sequence = pair * 2 + u64::from(!female);
        let (month, day) = month_day(birth_year, day_of_year as u32);
        let first17 = format!("{region}{birth_year:04}{month:02}{day:02}{sequence:03}");
        let check = check_char(first17.as_bytes());
        Some(format!("{first17}{check}"))
    }
}

/// A keyed permutation of `0..low·high`: three Feistel rounds in mixed radix.
/// Each round adds a hash of one half to the other modulo its radix — undone
/// by subtracting the same hash — so no two inputs collide, while neighbouring
/// inputs come out looking unrelated (no 13441495684, 13541495684, …).
fn permute(x: u64, low: u64, high: u64, key: u64) -> u64 {
    let (mut hi, mut lo) = (x / low, x % low);
    lo = (lo + mix(hi ^ key) % low) % low;
    hi = (hi + mix(lo ^ key.rotate_left(21)) % high) % high;
    lo = (lo + mix(hi ^ key.rotate_left(42)) % low) % low;
    hi * low + lo
}

/// SplitMix64's finaliser: a cheap, well-spread 64-bit hash.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn is_leap(year: u32) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

/// 1-based (month, day) of a 0-based day of the year.
fn month_day(year: u32, mut day_of_year: u32) -> (u32, u32) {
    let february = if is_leap(year) { 29 } else { 28 };
    let lengths = [31, february, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    for (month, &length) in lengths.iter().enumerate() {
        if day_of_year < length {
            return (month as u32 + 1, day_of_year + 1);
        }
        day_of_year -= length;
    }
    (12, 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permute_is_a_bijection() {
        let (low, high) = (12, 35);
        let mut seen: Vec<u64> = (0..low * high).map(|x| permute(x, low, high, 99)).collect();
        seen.sort_unstable();
        assert_eq!(seen, (0..low * high).collect::<Vec<_>>());
        assert_eq!(PHONE_SPACE, 35 * PHONE_SUFFIXES);
        assert_eq!(ID_LOW * ID_HIGH, ID_SPACE);
        assert_eq!(ID_SEQ_PAIRS * 2, 1000);
    }

    #[test]
    fn neighbouring_indices_get_unrelated_phones() {
        let n = Numbering { phone_key: 12_345, id_key: 0 };
        let (a, b) = (n.phone(1000), n.phone(1001));
        assert_ne!(a[3..], b[3..]);
        assert_ne!(a[7..], b[7..]);
        assert_eq!(n.phone(usize::MAX).len(), 11, "large indices do not overflow");
    }

    #[test]
    fn month_day_handles_leap_years() {
        assert_eq!(month_day(1980, 0), (1, 1));
        assert_eq!(month_day(1980, 59), (2, 29));
        assert_eq!(month_day(1981, 59), (3, 1));
        assert_eq!(month_day(1981, 364), (12, 31));
        assert_eq!(month_day(1980, 364), (12, 30));
    }

    #[test]
    fn sex_digit_follows_the_flag() {
        let n = Numbering { phone_key: 0, id_key: 0 };
        let female = n.id_number(3, 1990, true).unwrap();
        let male = n.id_number(3, 1990, false).unwrap();
        assert_eq!((female.as_bytes()[16] - b'0') % 2, 0);
        assert_eq!((male.as_bytes()[16] - b'0') % 2, 1);
        assert!(n.id_number(ID_SPACE as usize, 1990, true).is_none());
    }
}
