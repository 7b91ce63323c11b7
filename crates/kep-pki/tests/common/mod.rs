//! Shared fixtures of kep-pki's integration tests.
#![allow(dead_code)] // each test file uses a part

use kep_pki::{Requisites, RequisitesInput};
use time::macros::date;

/// "Today" of the tests.
pub const TODAY: time::Date = date!(2026 - 11 - 24);

/// A valid applicant.
pub fn sample_input() -> RequisitesInput {
    RequisitesInput {
        surname: "Иванов".into(),
        given_name: "Иван".into(),
        patronymic: "Иванович".into(),
        birth_date: "15.03.1985".into(),
        passport_series: "45 06".into(),
        passport_number: "123456".into(),
        passport_issue_date: "2005-04-01".into(),
        passport_issuer: "ОВД района Тверской г. Москвы".into(),
        passport_division_code: "772-001".into(),
        snils: "112-233-445 95".into(),
        inn: "500100732259".into(),
        email: "ivanov@example.ru".into(),
        phone: "8 (912) 345-67-89".into(),
        region_code: "77".into(),
        region_name: "г. Москва".into(),
        locality: "Москва".into(),
    }
}

/// The sample applicant's validated requisites.
pub fn sample() -> Requisites {
    sample_input().validate(TODAY).expect("the sample is valid")
}
