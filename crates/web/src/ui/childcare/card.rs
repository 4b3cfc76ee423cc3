//! 子女照辅班 on the first screens: one line per thing the role should open.

use tongxing_service::childcare::glance::ChildcareGlance;

use crate::i18n::Tr;

pub struct CareLine {
    pub href: String,
    pub text: String,
}

pub fn lines(tr: &Tr, g: ChildcareGlance) -> Vec<CareLine> {
    match g {
        ChildcareGlance::Nothing => Vec::new(),
        ChildcareGlance::Enrolment { open } => {
            vec![CareLine { href: "/childcare/import".into(), text: tr.f("home.childcare_enrol", open) }]
        }
        ChildcareGlance::Center { classes, children_in, alerts } => {
            let mut out = vec![CareLine { href: "/childcare".into(), text: tr.f2("home.childcare_today", classes, children_in) }];
            if alerts > 0 {
                out.push(CareLine { href: "/notifications".into(), text: tr.f("home.childcare_alerts", alerts) });
            }
            out
        }
        ChildcareGlance::Duty { day, classes } => classes
            .into_iter()
            .map(|(id, name, head)| CareLine {
                href: format!("/childcare/classes/{id}/days/{day}"),
                text: tr.f(if head { "home.childcare_head" } else { "home.childcare_shift" }, name),
            })
            .collect(),
    }
}
