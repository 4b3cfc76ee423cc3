//! The OpenAPI schemas of input fields, written beside the rules they state
//! (`Invalid::text`, `phone::normalize`, `id_number::parse`): whatever a field
//! rule accepts, its schema allows, and whatever the schema refuses, the rule
//! refuses — so a request the document calls valid passes the field rules,
//! and one it calls invalid is refused. What needs the database (that an id
//! names a row) or two fields at once (ends after it starts) stays a 422.
//! Used through `#[schema(schema_with = …)]` and `#[param(schema_with = …)]`.

use utoipa::openapi::schema::{AnyOfBuilder, ArrayBuilder, Object, ObjectBuilder, Schema, SchemaType, Type};
use utoipa::openapi::{Array, KnownFormat, SchemaFormat};

/// Defines functions of no arguments returning a field's schema, as
/// `schema_with` wants them: `field_schemas! { title = schema::text(60); }`.
#[macro_export]
macro_rules! field_schemas {
    ($($name:ident = $schema:expr;)*) => {$(
        fn $name() -> ::utoipa::openapi::RefOr<::utoipa::openapi::schema::Schema> {
            $schema.into()
        }
    )*};
}

/// What `validation::has_control_chars` refuses: C0 and C1 controls but tab and line breaks.
const CONTROL: &str = r"\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F";

fn string(nullable: bool) -> ObjectBuilder {
    let ty = if nullable { SchemaType::from_iter([Type::String, Type::Null]) } else { SchemaType::Type(Type::String) };
    ObjectBuilder::new().schema_type(ty)
}

/// A required text (`Invalid::text`): something besides spaces, at most `max`
/// characters, no control characters.
pub fn text(max: usize) -> Object {
    let pattern = format!("^[^{CONTROL}]*[^\\s{CONTROL}][^{CONTROL}]*$");
    string(false).min_length(Some(1)).max_length(Some(max)).pattern(Some(pattern)).build()
}

/// A text that may be left out or blank (`Invalid::optional_text`).
pub fn optional_text(max: usize) -> Object {
    string(true).max_length(Some(max)).pattern(Some(format!("^[^{CONTROL}]*$"))).build()
}

/// One of `values` with spaces around it, or blank: a filter that is trimmed first.
pub fn padded_choice(values: &[&str]) -> Object {
    string(true).pattern(Some(format!(r"^\s*({})?\s*$", values.join("|")))).build()
}

/// Blank, or an http(s) address of at most `max` characters.
pub fn optional_url(max: usize) -> Object {
    string(true).max_length(Some(max)).pattern(Some(format!("^(https?://[^{CONTROL}]*)?$"))).build()
}

/// One of `values`.
pub fn one_of(values: &[&str]) -> Object {
    string(false).enum_values(Some(values.iter().copied())).build()
}

/// One of `values`, or left out (`null`).
pub fn optional_one_of(values: &[&str]) -> Object {
    string(true).enum_values(Some(values.iter().map(|v| Some(*v)).chain([None]))).build()
}

/// Spaces, dashes and ideographic spaces `phone::normalize` drops, anywhere.
const SEP: &str = r"[ \-\u3000]*";

/// A service category code (`category::CATEGORIES`).
pub fn category() -> Object {
    one_of(crate::category::CATEGORIES)
}

/// A mainland mobile number as `phone::normalize` reads it: 1[3-9] and nine
/// more digits, maybe after +86 or 0086, with spaces or dashes anywhere.
fn phone_pattern() -> String {
    format!(r"^{SEP}(\+{SEP}8{SEP}6{SEP}|0{SEP}0{SEP}8{SEP}6{SEP})?1{SEP}[3-9]({SEP}[0-9]){{9}}{SEP}$")
}

pub fn phone() -> Object {
    string(false).pattern(Some(phone_pattern())).build()
}

/// A phone that may be left out or blank; it is trimmed first.
pub fn optional_phone() -> Object {
    let pattern = phone_pattern();
    let inner = &pattern[1..pattern.len() - 1];
    string(true).pattern(Some(format!(r"^\s*({inner})?\s*$"))).build()
}

/// A resident ID number, or blank: 17 digits and a check character whose
/// birth date (digits 7–14) is a real day from 1900 on. The checksum cannot
/// be written as a pattern: a wrong one is a 422 `id_checksum`.
pub fn optional_id_number() -> Object {
    let date = r"(19|[2-9][0-9])[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])";
    string(true).pattern(Some(format!(r"^\s*([0-9]{{6}}{date}[0-9]{{3}}[0-9Xx]\s*)?$"))).build()
}

/// A time as RFC 3339 with its offset (`activities::parse_time`).
pub fn time() -> Object {
    string(false).format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime))).build()
}

/// A time that may be left out or blank (read as "now").
pub fn optional_time() -> Schema {
    let blank = string(false).pattern(Some(r"^\s*$")).build();
    Schema::AnyOf(AnyOfBuilder::new().item(time()).item(blank).item(ObjectBuilder::new().schema_type(Type::Null)).build())
}

/// A calendar day, YYYY-MM-DD (`campaigns::campaign::parse_date`).
pub fn date() -> Object {
    string(false).format(Some(SchemaFormat::KnownFormat(KnownFormat::Date))).build()
}

/// A number from `min` to `max`.
pub fn number_range(min: f64, max: f64) -> Object {
    ObjectBuilder::new()
        .schema_type(Type::Number)
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Double)))
        .minimum(Some(min))
        .maximum(Some(max))
        .build()
}

/// The id of a row: ids start at 1.
pub fn id() -> Object {
    ObjectBuilder::new().schema_type(Type::Integer).format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64))).minimum(Some(1)).build()
}

/// An id that may be left out.
pub fn optional_id() -> Object {
    let mut o = id();
    o.schema_type = SchemaType::from_iter([Type::Integer, Type::Null]);
    o
}

/// A whole number from `min` to `max`.
pub fn int_range(min: i64, max: i64) -> Object {
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
        .minimum(Some(min))
        .maximum(Some(max))
        .build()
}

/// The same, or left out.
pub fn optional_int_range(min: i64, max: i64) -> Object {
    let mut o = int_range(min, max);
    o.schema_type = SchemaType::from_iter([Type::Integer, Type::Null]);
    o
}

/// A number above `above` (not equal to it) and at most `max`, maybe left out.
pub fn optional_number_above(above: f64, max: f64) -> Object {
    let ty = SchemaType::from_iter([Type::Number, Type::Null]);
    ObjectBuilder::new()
        .schema_type(ty)
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Double)))
        .exclusive_minimum(Some(above))
        .maximum(Some(max))
        .build()
}

/// A number from `min` to `max`, maybe left out.
pub fn optional_number_range(min: f64, max: f64) -> Object {
    let ty = SchemaType::from_iter([Type::Number, Type::Null]);
    ObjectBuilder::new()
        .schema_type(ty)
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Double)))
        .minimum(Some(min))
        .maximum(Some(max))
        .build()
}

/// A list of ids.
pub fn ids() -> Array {
    ArrayBuilder::new().items(id()).build()
}

/// Skills as `registry::VolunteerInput::check` takes them: at most 20, each
/// at most 32 characters without control characters (blanks are dropped).
pub fn skills() -> Array {
    ArrayBuilder::new()
        .items(optional_text(crate::registry::SKILL_MAX).into_non_null())
        .max_items(Some(crate::registry::SKILLS_MAX))
        .build()
}

trait NonNull {
    fn into_non_null(self) -> Object;
}

impl NonNull for Object {
    fn into_non_null(mut self) -> Object {
        self.schema_type = SchemaType::Type(Type::String);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::Regex;
    use rstest::rstest;

    fn matches(schema: &Object, value: &str) -> bool {
        Regex::new(schema.pattern.as_deref().unwrap()).unwrap().is_match(value)
    }

    #[rstest]
    #[case("13812341234")]
    #[case("138 1234 1234")]
    #[case("+86 138-1234-1234")]
    #[case("008613812341234")]
    #[case("1 3 8 1 2 3 4 1 2 3 4")]
    #[case("12812341234")]
    #[case("1381234123")]
    #[case("1381234123a")]
    #[case("+8613812341234 ")]
    #[case("")]
    #[case("+ 86 13812341234")]
    fn the_phone_pattern_accepts_exactly_what_normalize_does(#[case] raw: &str) {
        assert_eq!(matches(&phone(), raw), crate::phone::normalize(raw).is_some(), "{raw:?}");
        let blank = raw.trim().is_empty();
        let trimmed = crate::phone::normalize(raw.trim()).is_some();
        assert_eq!(matches(&optional_phone(), raw), blank || trimmed, "{raw:?} (optional, trimmed first)");
    }

    #[rstest]
    #[case("11010519491231002X", true)]
    #[case(" 11010519491231002x ", true)]
    #[case("", true)]
    #[case("110105194913310021", false)]
    #[case("11010518991231002X", false)]
    #[case("1101051949123100", false)]
    fn the_id_number_pattern_allows_every_valid_number(#[case] raw: &str, #[case] allowed: bool) {
        assert_eq!(matches(&optional_id_number(), raw), allowed, "{raw:?}");
        if crate::id_number::parse(raw).is_ok() {
            assert!(allowed, "{raw:?} is valid, so the pattern must allow it");
        }
    }

    #[rstest]
    #[case("张晓静", true)]
    #[case("  张 ", true)]
    #[case("   ", false)]
    #[case("a\u{7}b", false)]
    #[case("第一行\n第二行", true)]
    fn the_text_pattern_is_the_text_rule(#[case] raw: &str, #[case] allowed: bool) {
        assert_eq!(matches(&text(64), raw), allowed, "{raw:?}");
        let mut e = crate::Invalid::default();
        e.text("f", raw, 64);
        assert_eq!(e.is_empty(), allowed, "{raw:?}: the rule");
    }
}
