//! The Russian sentence for each refusal. All of kep-pki's user-facing text is here, so a
//! translation touches this one file.

use super::{Field, ValidationKind};

/// The field's name in the accusative case, for «Укажите …».
fn accusative(field: Field) -> &'static str {
    match field {
        Field::Surname => "фамилию",
        Field::GivenName => "имя",
        Field::Patronymic => "отчество",
        Field::BirthDate => "дату рождения",
        Field::PassportSeries => "серию паспорта",
        Field::PassportNumber => "номер паспорта",
        Field::PassportIssueDate => "дату выдачи паспорта",
        Field::PassportIssuer => "кем выдан паспорт",
        Field::PassportDivisionCode => "код подразделения",
        Field::Snils => "СНИЛС",
        Field::Inn => "ИНН",
        Field::Email => "адрес электронной почты",
        Field::Phone => "номер мобильного телефона",
        Field::RegionCode => "код региона",
        Field::RegionName => "регион",
        Field::Locality => "населённый пункт",
    }
}

/// The sentence shown under `field` when it is refused for `kind`.
pub fn message(field: Field, kind: ValidationKind) -> String {
    use ValidationKind as K;
    let text = match kind {
        K::Empty => return format!("Укажите {}.", accusative(field)),
        K::TooLong => "Слишком длинное значение.",
        K::InvalidCharacters => "Поле содержит недопустимые символы.",
        K::SnilsLength => "СНИЛС состоит из 11 цифр.",
        K::SnilsChecksum => "Неверное контрольное число СНИЛС.",
        K::InnLength => "ИНН физического лица состоит из 12 цифр.",
        K::InnOfOrganization => {
            "Это ИНН организации (10 цифр). Укажите ИНН физического лица — 12 цифр."
        }
        K::InnChecksum => "Неверные контрольные цифры ИНН.",
        K::PhoneFormat => {
            "Укажите российский номер мобильного телефона, например +7 912 345-67-89."
        }
        K::PhoneNotMobile => "Это не номер мобильного телефона: он начинается с +7 9.",
        K::EmailFormat => "Неверный адрес электронной почты.",
        K::PassportSeries => "Серия паспорта состоит из 4 цифр.",
        K::PassportNumber => "Номер паспорта состоит из 6 цифр.",
        K::DivisionCode => "Код подразделения — 6 цифр в виде 123-456.",
        K::NameCharacters => "Допустимы только русские буквы, дефис, пробел и апостроф.",
        K::DateFormat => "Укажите дату в формате ДД.ММ.ГГГГ.",
        K::DateInFuture => "Дата не может быть в будущем.",
        K::TooYoung => "Паспорт выдаётся с 14 лет: проверьте дату рождения.",
        K::TooOld => "Проверьте дату рождения.",
        K::PassportIssuedTooEarly => {
            "Паспорт не выдаётся раньше 14 лет: проверьте дату выдачи и дату рождения."
        }
        K::RegionCode => "Код региона — две цифры, от 01 до 99.",
    };
    text.to_owned()
}
