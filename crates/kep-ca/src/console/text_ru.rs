//! Every word the operator console shows (its one catalogue).

use kep_protocol::application::{ApplicationStatus, DocumentKind};

pub const TITLE: &str = "Консоль оператора УЦ";
pub const SIGN_IN: &str = "Вход оператора";
pub const LOGIN: &str = "Логин";
pub const PASSWORD: &str = "Пароль";
pub const TOTP: &str = "Код из приложения-аутентификатора";
pub const TOTP_HINT: &str = "Шесть цифр; если приложение ещё не подключено, оставьте пустым.";
pub const SIGN_IN_BUTTON: &str = "Войти";
pub const SIGN_OUT: &str = "Выйти";
pub const ENROLL_TITLE: &str = "Подключение приложения-аутентификатора";
pub const ENROLL_STEPS: &str = "Отсканируйте QR-код приложением-аутентификатором (например, «Яндекс Ключ», Google Authenticator, FreeOTP) или введите секрет вручную, затем введите первый код из приложения.";
pub const ENROLL_SECRET: &str = "Секрет для ручного ввода";
pub const ENROLL_BUTTON: &str = "Подключить и войти";
pub const QUEUE: &str = "Очередь заявок";
pub const SEARCH: &str = "Поиск";
pub const SEARCH_HINT: &str = "Телефон, ФИО, СНИЛС или номер заявки";
pub const NOTHING_FOUND: &str = "Заявок не найдено.";
pub const QUEUE_EMPTY: &str = "В этой очереди заявок нет.";
pub const NUMBER: &str = "№";
pub const APPLICANT: &str = "Заявитель";
pub const PHONE: &str = "Телефон";
pub const STATUS: &str = "Статус";
pub const AGE: &str = "Ждёт";
pub const OVERDUE: &str = "дольше 2 часов";
pub const APPLICATION: &str = "Заявка";
pub const REQUISITES: &str = "Реквизиты";
pub const DOCUMENTS: &str = "Документы";
pub const NO_DOCUMENTS: &str = "Документов нет.";
pub const TIMELINE: &str = "История";
pub const OPEN: &str = "Открыть";
pub const DECISION: &str = "Решение";
pub const APPROVE: &str = "Одобрить";
pub const REQUEST_DOCUMENTS: &str = "Запросить документы";
pub const REJECT: &str = "Отклонить";
pub const COMMENT: &str = "Комментарий для заявителя";
pub const COMMENT_HINT: &str = "Обязателен, чтобы запросить документы или отклонить.";
pub const BACK: &str = "← К очереди";
pub const PAGE: &str = "Страница";
pub const NOT_DRAWN: &str =
    "Этот файл нельзя показать: он повреждён или в неподдерживаемом формате.";
pub const DOWNLOAD: &str = "Скачать файл";
pub const ROLE_REVIEWER: &str = "оператор";
pub const ROLE_OFFICER: &str = "ответственный за выпуск";
pub const REFUSED: &str = "Действие не выполнено";
pub const DONE: &str = "Готово.";
pub const SESSION_OVER: &str = "Сеанс завершён: войдите снова.";
pub const CSRF_REFUSED: &str =
    "Форма устарела или отправлена не со страницы консоли. Обновите страницу и повторите.";
pub const NOT_FOUND: &str = "Страница не найдена.";
pub const FORM_MALFORMED: &str = "Форма не понята. Обновите страницу и заполните её ещё раз.";
pub const FIELD_NAME: &str = "ФИО";
pub const FIELD_BIRTH_DATE: &str = "Дата рождения";
pub const FIELD_PASSPORT: &str = "Паспорт";
pub const FIELD_SNILS: &str = "СНИЛС";
pub const FIELD_INN: &str = "ИНН";
pub const FIELD_PHONE: &str = "Телефон";
pub const FIELD_EMAIL: &str = "Эл. почта";
pub const FIELD_PLACE: &str = "Регион, населённый пункт";
pub const CHECK_IN_PERSON: &str = "Проверьте лично:";
pub const CHECK_PASSPORT_SHOWN: &str = "паспорт предъявлен";
pub const CHECK_PERSON_MATCHES: &str = "заявитель — владелец паспорта";
pub const CHECK_REQUISITES_MATCH: &str = "реквизиты заявки совпадают с паспортом";
pub const CONFIRM_IDENTITY: &str = "Подтвердить личность";
pub const CHECKLIST_INCOMPLETE: &str = "Отметьте все пункты проверки: паспорт предъявлен, заявитель — его владелец, реквизиты совпадают.";
pub const TIME_ZONE: &str = "МСК";

/// A passport as the requisites give it.
pub fn passport(series: &str, number: &str, issued: &str, issuer: &str, code: &str) -> String {
    format!("{series} {number}, выдан {issued} {issuer}, код {code}")
}

/// The reasons a reviewer may give for revoking, as the form offers them.
pub const REVOKE_REASONS: [(&str, &str); 3] = [
    ("key_compromise", "компрометация ключа"),
    ("affiliation_changed", "изменились сведения о владельце"),
    ("cessation_of_operation", "по заявлению владельца"),
];

pub const AUDIT: &str = "Журнал действий";
pub const AUDIT_ACTOR: &str = "Кто";
pub const AUDIT_ACTION: &str = "Действие";
pub const AUDIT_SUBJECT: &str = "Объект";
pub const AUDIT_WHEN: &str = "Когда";
pub const AUDIT_FILTER: &str = "Показать";
pub const AUDIT_EMPTY: &str = "Записей нет.";
pub const AUDIT_OLDER: &str = "Более ранние записи →";
pub const STATEMENT: &str = "Заявление";
pub const STATEMENT_BLANK: &str = "Бланк УЦ";
pub const STATEMENT_SCAN: &str = "Загруженный скан";
pub const CERTIFICATES: &str = "Сертификаты заявителя";
pub const SERIAL: &str = "Серийный номер";
pub const VALID_UNTIL: &str = "Действует до";
pub const REVOKE: &str = "Отозвать";
pub const REVOKE_REASON: &str = "Причина отзыва";
pub const ACTIVE: &str = "действует";
pub const REVOKED: &str = "отозван";
pub const SUPERSEDED: &str = "заменён новым";

/// A revocation reason's name.
pub fn revocation_reason(reason: kep_pki::crl::RevocationReason) -> &'static str {
    use kep_pki::crl::RevocationReason as R;
    match reason {
        R::KeyCompromise => "компрометация ключа",
        R::AffiliationChanged => "изменились сведения о владельце",
        R::Superseded => "заменён новым",
        R::CessationOfOperation => "прекращение действия по заявлению владельца",
    }
}

/// A status as the console names it.
pub fn status(status: ApplicationStatus) -> &'static str {
    use ApplicationStatus as S;
    match status {
        S::Draft => "Черновик",
        S::DocumentsRequired => "Нужны документы",
        S::InReview => "На проверке",
        S::Rejected => "Отклонена",
        S::Approved => "Одобрена, ждёт подписи заявления",
        S::StatementInReview => "Заявление на проверке",
        S::StatementRejected => "Заявление отклонено",
        S::ReadyForKey => "Готов к выпуску",
        S::AwaitingIdentity => "Подтверждение личности",
        S::Issuing => "Выпуск сертификата",
        S::Issued => "Выпущен",
        S::Completed => "Установлен",
    }
}

/// A document kind as the console names it.
pub fn document_kind(kind: DocumentKind) -> &'static str {
    match kind {
        DocumentKind::PassportMain => "Паспорт, главный разворот",
        DocumentKind::PassportRegistration => "Паспорт, регистрация",
        DocumentKind::Snils => "СНИЛС",
        DocumentKind::Inn => "ИНН",
        DocumentKind::SignedStatementScan => "Скан подписанного заявления",
        DocumentKind::Other => "Другой документ",
    }
}

/// How long something has waited: «35 мин», «2 ч 10 мин», «3 дн».
pub fn waited(seconds: i64) -> String {
    let minutes = seconds.max(0) / 60;
    match minutes {
        0..60 => format!("{minutes} мин"),
        60..1440 => format!("{} ч {} мин", minutes / 60, minutes % 60),
        _ => format!("{} дн", minutes / 1440),
    }
}

/// A file's size: «812 Б», «34 КиБ», «2,4 МиБ».
pub fn size(bytes: u64) -> String {
    match bytes {
        0..1024 => format!("{bytes} Б"),
        1024..1_048_576 => format!("{} КиБ", bytes / 1024),
        _ => format!("{:.1} МиБ", bytes as f64 / 1_048_576.0).replace('.', ","),
    }
}
