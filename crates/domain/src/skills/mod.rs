//! 技能传承 (PRODUCT.md C11): the national five-level ladder, when a person
//! may apply for the next level, and the rules of what people enter about
//! certifications, training, 师带徒 and the front-line problem board.

pub mod apprenticeship;
pub mod attachments;
pub mod competitions;
pub mod inputs;
pub mod ladder;
pub mod sheet;
pub mod views;
