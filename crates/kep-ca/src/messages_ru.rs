//! Every Russian sentence kep-ca sends: errors (`ApiError::message`), timeline comments and
//! notifications. One place, so that a translation or a wording review touches one file. (The
//! statement PDF's own text stays with its template in `statement_pdf.rs`; the dev seed's
//! sample requisites are data.)

pub const APPLICATION_NOT_FOUND: &str = "Заявка не найдена.";
pub const DECIDED_ONLY_IN_REVIEW: &str = "Решение принимается только по заявке на проверке.";
pub const READY_FOR_ISSUANCE: &str = "Ваш сертификат готов к выпуску!";
pub const COMMENT_REQUIRED: &str = "Напишите комментарий для заявителя.";
/// Renewal bytes that are not a certificate.
pub const NOT_A_CERTIFICATE: &str =
    "Это не сертификат: выберите сертификат, который нужно обновить.";
/// A renewal of another person's certificate.
pub const NOT_YOUR_CERTIFICATE: &str =
    "Этот сертификат выдан другому человеку: обновить его может только владелец.";
/// A renewal application was opened.
pub const RENEWAL_OPENED: &str = "Заявка на обновление сертификата создана.";
pub const EDITED_AFTER_APPROVAL: &str =
    "Реквизиты изменены после одобрения: заявка снова на проверке.";
pub const NOT_EDITABLE: &str = "Сейчас заявку нельзя редактировать.";
pub const ALREADY_SUBMITTED: &str = "Заявка уже отправлена.";
pub const FILL_REQUISITES_FIRST: &str = "Заполните реквизиты перед отправкой.";
pub const CHECK_REQUISITES_FIRST: &str = "Проверьте реквизиты перед отправкой.";
pub const REGISTRIES_CONFIRMED: &str = "СНИЛС и ИНН подтверждены в госсистемах.";
pub const SENT_WITH_SCANS: &str = "Заявка отправлена со сканами документов.";
pub const REGISTRIES_SILENT: &str =
    "ФНС и СФР не ответили. Загрузите сканы паспорта (главный разворот) и СНИЛС.";
pub const SFR_SILENT: &str =
    "СФР не ответил на проверку СНИЛС. Загрузите сканы паспорта (главный разворот) и СНИЛС.";
pub const FNS_SILENT: &str =
    "ФНС не ответила на проверку ИНН. Загрузите сканы паспорта (главный разворот) и СНИЛС.";
pub const REGISTRIES_MISMATCH: &str = "Данные СНИЛС и ИНН не совпали с госсистемами. Проверьте реквизиты или загрузите сканы паспорта и СНИЛС.";
pub const SNILS_MISMATCH: &str =
    "СНИЛС не совпал с данными СФР. Проверьте реквизиты или загрузите сканы паспорта и СНИЛС.";
pub const INN_MISMATCH: &str =
    "ИНН не совпал с данными ФНС. Проверьте реквизиты или загрузите сканы паспорта и СНИЛС.";

/// Why the automatic check sent the applicant to the documents, registry by registry: a
/// mismatch first (the applicant can fix the requisites), then a registry that did not answer.
pub fn registry_outcome(answer: &crate::registry::RegistryAnswer) -> &'static str {
    use crate::registry::RegistryVerdict as V;
    match (answer.snils, answer.inn) {
        (V::Mismatch, V::Mismatch) => REGISTRIES_MISMATCH,
        (V::Mismatch, _) => SNILS_MISMATCH,
        (_, V::Mismatch) => INN_MISMATCH,
        (V::Unavailable, V::Unavailable) => REGISTRIES_SILENT,
        (V::Unavailable, _) => SFR_SILENT,
        (_, V::Unavailable) => FNS_SILENT,
        (V::Confirmed, V::Confirmed) => REGISTRIES_CONFIRMED,
    }
}
pub const DOCUMENTS_BEFORE_SUBMISSION: &str =
    "Документы можно загрузить, пока заявка не отправлена.";
pub const STATEMENT_SCAN_NOT_NOW: &str = "Скан заявления сейчас загрузить нельзя.";
pub const ONLY_STATEMENT_SCAN_NOW: &str =
    "Сейчас можно загрузить только скан подписанного заявления.";
pub const FILE_TOO_LARGE: &str = "Файл больше 10 МБ.";
pub const FILE_TYPE_REFUSED: &str = "Можно загрузить только PDF, JPEG или PNG.";
pub const TOO_MANY_DOCUMENTS: &str = "В заявке уже 20 документов: удалите лишние.";
pub const DOCUMENT_NOT_FOUND: &str = "Документ не найден.";
pub const DOCUMENTS_OF_SENT_APPLICATION: &str = "Документы отправленной заявки удалить нельзя.";
pub const REQUEST_TOO_LARGE: &str = "Запрос на сертификат больше 64 КБ.";
pub const OTHER_REQUEST_ACCEPTED: &str = "По этой заявке уже принят другой запрос на сертификат.";
pub const REQUEST_NOT_NOW: &str =
    "Запрос на сертификат принимается, когда заявление принято («Готов к выпуску»).";
pub const REQUEST_DAMAGED: &str =
    "Запрос на сертификат повреждён или его подпись неверна. Создайте ключ заново.";
pub const KEY_REUSED: &str =
    "Этот ключ уже использовался для сертификата. Создайте новую ключевую пару.";
pub const APPLICATION_CHANGED: &str = "Заявка изменилась, обновите страницу.";
pub const GOST_KEY_REQUIRED: &str = "Для квалифицированного сертификата нужен ключ ГОСТ Р 34.10-2012. Ключ ECDSA P-256 этот УЦ не принимает.";
pub const KEY_ALGORITHM_UNSUPPORTED: &str = "Алгоритм ключа не поддерживается.";
pub const CERTIFICATE_ISSUED: &str = "Сертификат выпущен. Установите его.";
pub const IDENTITY_CONFIRMED: &str =
    "Личность подтверждена при личном присутствии: выпуск начался.";
pub const IDENTITY_NOT_NOW: &str = "Личность подтверждают, когда запрос на сертификат уже принят.";
pub const CERTIFICATE_NOT_ISSUED: &str = "Сертификат ещё не выпущен.";
pub const CERTIFICATE_INSTALLED: &str = "Сертификат установлен. Прежний сертификат заменён новым.";
pub const STATEMENT_AFTER_APPROVAL: &str = "Заявление появится, когда УЦ одобрит заявку.";
pub const STATEMENT_SIGNING_NOT_NOW: &str = "Сейчас заявление подписывать не нужно.";
pub const SIGNATURE_TOO_LARGE: &str = "Файл подписи больше 64 КБ.";
pub const SIGNER_DAMAGED: &str = "Сертификат подписи повреждён.";
pub const SIGNER_NOT_QUALIFIED: &str =
    "Заявление подписано неквалифицированным сертификатом. Нужна действующая КЭП.";
pub const SIGNER_OTHER_PERSON: &str = "Заявление подписано сертификатом другого человека: ФИО, СНИЛС и ИНН в нём должны совпадать с заявкой.";
pub const STATEMENT_SCAN_SUBMISSION_NOT_NOW: &str = "Сейчас заявление отправлять не нужно.";
pub const UPLOAD_STATEMENT_SCAN: &str = "Загрузите скан подписанного заявления.";
pub const STATEMENT_SCAN_SENT: &str = "Скан заявления отправлен на проверку.";
pub const STATEMENT_DECIDED_ONLY_IN_REVIEW: &str =
    "Решение принимается только по заявлению на проверке.";
pub const CALL_FAILED: &str = "Не удалось позвонить. Попробуйте запросить звонок ещё раз.";
pub const CODE_EXPIRED: &str = "Срок действия кода истёк. Запросите новый звонок.";
pub const CODE_ATTEMPTS_EXHAUSTED: &str = "Слишком много неверных попыток. Запросите новый звонок.";
pub const SESSION_ENDED: &str = "Сеанс завершён. Войдите снова по номеру телефона.";
pub const OPERATOR_LOGIN_WRONG: &str = "Неверный логин или пароль оператора.";
pub const OPERATOR_CREDENTIALS_TOO_SHORT: &str = "Нужны логин и пароль не короче 10 символов.";
pub const OPERATOR_EXISTS: &str = "Такой оператор уже есть.";
pub const OPERATOR_LOGIN_REQUIRED: &str = "Нужен вход оператора.";
pub const OPERATOR_DISABLED: &str =
    "Учётная запись оператора отключена. Обратитесь к администратору УЦ.";
pub const OPERATOR_TOTP_REQUIRED: &str = "Введите шестизначный код из приложения-аутентификатора.";
pub const OPERATOR_TOTP_WRONG: &str = "Неверный код из приложения-аутентификатора (или он уже использован). Дождитесь следующего кода.";
pub const OPERATOR_TOTP_ENROLLMENT_REQUIRED: &str =
    "Для входа нужен второй фактор: подключите приложение-аутентификатор в консоли оператора.";
pub const OPERATOR_TOTP_ENROLLED: &str =
    "Приложение-аутентификатор уже подключено. Сбросить его может администратор УЦ.";

/// The account was locked after wrong passwords or codes.
pub fn operator_locked(retry_after_s: i64) -> String {
    let minutes = (retry_after_s.max(1) + 59) / 60;
    format!(
        "Слишком много неверных попыток входа: учётная запись заблокирована. Повторите через {minutes} мин."
    )
}
pub const OPERATORS_ONLY: &str = "Это действие доступно только оператору УЦ.";
pub const OFFICER_ONLY: &str =
    "Личность подтверждает только сотрудник, ответственный за выпуск сертификатов.";
pub const ALREADY_REVOKED: &str = "Сертификат уже отозван.";
pub const CERTIFICATE_NOT_FOUND: &str = "Сертификат не найден.";
pub const LOG_IN: &str = "Войдите по номеру телефона.";
pub const NO_CALLS_YET: &str = "Звонков ещё не было.";
pub const BODY_TOO_LARGE: &str = "Слишком большой запрос.";
pub const MALFORMED_REQUEST: &str = "Неверный формат запроса.";
pub const NO_SUCH_ROUTE: &str = "Такого адреса в API нет.";
pub const REQUEST_TOO_BIG: &str = "Запрос слишком большой.";
pub const METHOD_NOT_ALLOWED: &str = "Этот метод для этого адреса не поддерживается.";
pub const MEDIA_TYPE_REFUSED: &str = "Тип содержимого запроса не подходит.";
pub const NOT_UNDERSTOOD: &str = "Запрос не понят: проверьте адрес, параметры и тело запроса.";
pub const IDEMPOTENCY_KEY_MALFORMED: &str =
    "Заголовок Idempotency-Key должен содержать от 16 до 100 латинских букв, цифр, «-» или «_».";
pub const INTERNAL: &str = "Внутренняя ошибка сервиса.";
/// The database cannot be reached for a moment.
pub const DATABASE_UNAVAILABLE: &str = "Сервис удостоверяющего центра временно недоступен. Ничего не потеряно: повторите действие через минуту.";
pub const IDEMPOTENCY_KEY_REUSED: &str =
    "Этот ключ идемпотентности уже использован для другого запроса.";
pub const IDEMPOTENCY_IN_PROGRESS: &str =
    "Предыдущая попытка этого действия ещё выполняется. Повторите через несколько секунд.";

/// «Запрос на сертификат принят…» when issuance starts at once.
pub const REQUEST_ACCEPTED_ISSUING: &str = "Запрос на сертификат принят. Заявление подписано КЭП и данные подтверждены в госсистемах: выпуск начался.";
/// «Запрос на сертификат принят…» when identity is to be confirmed in person.
pub const REQUEST_ACCEPTED_IDENTITY_NEXT: &str = "Запрос на сертификат принят. Передайте оригинал заявления сотруднику, ответственному за выпуск сертификатов в вашей организации: он подтвердит вашу личность.";
/// The policy wants a signer identified in person.
pub const IN_PERSON_SIGNER_REQUIRED: &str = "УЦ принимает подпись только сертификатом, выданным при личном присутствии. Подпишите заявление от руки и загрузите скан.";
/// The operator accepted the scanned statement (timeline).
pub const STATEMENT_ACCEPTED: &str = "Заявление принято. Создайте ключ и отправьте запрос на сертификат; личность подтвердит ответственный сотрудник.";

/// The notices to the applicant (SMS text and e-mail), every one in this one place.
/// Statements signed with a КЭП: which CA issued it and how its status was learnt, on the
/// timeline; why another CA's signer was not taken, to the applicant.
pub mod other_ca {
    use crate::trust::capped_get::GetError;
    use crate::trust::crl_fetch::CrlFetchError;
    use crate::trust::fetch_policy::Refused;
    use crate::trust::issuer_fetch::IssuerFetchError;
    use crate::trust::listed_issuer::NotListed;
    use crate::trust::other_ca_signer::{Attempt, OtherCaRefusal, StatusSource, Vouched};
    use kep_pki::ocsp::AnswerError;

    /// What comes after the signer is vouched for.
    const SIGNED_NEXT: &str = "Создайте ключ и отправьте запрос на сертификат.";
    /// The way forward when the КЭП cannot be taken.
    const PAPER_INSTEAD: &str = "Подпишите заявление от руки и загрузите скан.";

    /// Signed with a certificate of this CA.
    pub fn signed_here() -> String {
        format!(
            "Заявление подписано действующей КЭП, выданной этим УЦ; сертификат не отозван (проверено по списку отзыва УЦ). {SIGNED_NEXT}"
        )
    }

    /// Signed with a certificate of an accredited CA on the list.
    pub fn signed_listed(vouched: &Vouched) -> String {
        let issuer = &vouched.issuer;
        let how = match &vouched.status {
            StatusSource::Ocsp(url) => format!("ответ OCSP {url}: действует"),
            StatusSource::Crl(url) => format!("список отзыва {url}: не отозван"),
        };
        format!(
            "Заявление подписано действующей КЭП, выданной аккредитованным УЦ {} (ИНН {}); статус сертификата проверен: {how}. {SIGNED_NEXT}",
            issuer.ca_name, issuer.ca_inn
        )
    }

    fn refused(r: &Refused) -> String {
        match r {
            Refused::Scheme(url) => format!("{url}: запрашиваются только адреса http и https"),
            Refused::NotAUrl { url, .. } => format!("{url}: это не адрес"),
            Refused::Loopback(ip) => format!("{ip} — адрес самого УЦ, запрос не отправлен"),
            Refused::LinkLocal(ip) => format!("{ip} — локальный адрес, запрос не отправлен"),
            Refused::NotPublic(ip) => format!("{ip} — не публичный адрес, запрос не отправлен"),
        }
    }

    fn get(e: &GetError) -> String {
        match e {
            GetError::Refused(r) => refused(r),
            GetError::Request { url, .. } => format!("{url} не ответил вовремя"),
            GetError::Status { url, status } => format!("{url} ответил ошибкой {status}"),
            GetError::TooLarge { url, cap } => {
                format!("{url}: ответ больше {} КБ", cap / 1024)
            }
        }
    }

    fn answer(e: &AnswerError) -> &'static str {
        match e {
            AnswerError::Unreadable(_) | AnswerError::NotBasic => "ответ не читается",
            AnswerError::Refused(_) => "служба отказалась отвечать",
            AnswerError::Unauthorized | AnswerError::BadSignature => {
                "ответ подписан не издателем сертификата"
            }
            AnswerError::NotAsked | AnswerError::Nonce => "ответ не на этот запрос",
            AnswerError::Stale => "ответ устарел",
        }
    }

    fn attempt(a: &Attempt) -> String {
        match a {
            Attempt::NoAddress => "в сертификате нет адресов OCSP и списков отзыва".to_owned(),
            Attempt::OcspGet { error, .. } => format!("OCSP: {}", get(error)),
            Attempt::OcspRequest { url, .. } => format!("OCSP {url}: запрос не составлен"),
            Attempt::OcspAnswer { url, error } => format!("OCSP {url}: {}", answer(error)),
            Attempt::OcspUnknown(url) => format!("OCSP {url}: сертификат службе неизвестен"),
            Attempt::Crl(CrlFetchError::Get(e)) => format!("список отзыва: {}", get(e)),
            Attempt::Crl(CrlFetchError::Unreadable { url, .. }) => {
                format!("список отзыва {url} не читается")
            }
            Attempt::Crl(CrlFetchError::WrongSigner(url)) => {
                format!("список отзыва {url} подписан не издателем сертификата")
            }
            Attempt::Crl(CrlFetchError::Stale(url)) => format!("список отзыва {url} устарел"),
        }
    }

    fn issuer_fetch(e: &IssuerFetchError) -> String {
        match e {
            IssuerFetchError::Signer(_) => "сертификат подписи не читается".to_owned(),
            IssuerFetchError::NoAddress => "в сертификате нет адреса сертификата УЦ".to_owned(),
            IssuerFetchError::Get(e) => get(e),
            IssuerFetchError::NotACertificate(url) => format!("{url} дал не сертификат"),
        }
    }

    /// The status could not be learnt (the applicant's message and the timeline's comment).
    pub fn status_unknown(subject: &str, attempts: &[Attempt]) -> String {
        let why: Vec<String> = attempts.iter().map(attempt).collect();
        format!(
            "Не удалось проверить, не отозван ли сертификат «{subject}», которым подписано заявление ({}). КЭП не принята. {PAPER_INSTEAD}",
            why.join("; ")
        )
    }

    /// Why another CA's signer was not taken, for the applicant.
    pub fn refusal(r: &OtherCaRefusal) -> String {
        match r {
            OtherCaRefusal::NoList | OtherCaRefusal::Store(_) => {
                "Не удалось прочитать список аккредитованных удостоверяющих центров.".to_owned()
            }
            OtherCaRefusal::NotListed {
                listed: NotListed::Unknown(_),
                fetch,
            } => {
                let why = fetch
                    .as_ref()
                    .map(|e| format!(" (сертификат УЦ не получен: {})", issuer_fetch(e)))
                    .unwrap_or_default();
                format!(
                    "Сертификат подписи выдан удостоверяющим центром, которого нет в перечне аккредитованных{why}. {PAPER_INSTEAD}"
                )
            }
            OtherCaRefusal::NotListed {
                listed: NotListed::NotAccredited { name, state },
                ..
            } => format!(
                "Аккредитация УЦ {name}, выдавшего сертификат подписи, не действует ({state}). {PAPER_INSTEAD}"
            ),
            OtherCaRefusal::NotListed {
                listed: NotListed::Invalid(e),
                ..
            } => super::signer_not_valid(&kep_pki::messages_ru::chain_error(e)),
            OtherCaRefusal::ListedCaItself => super::SIGNER_NOT_QUALIFIED.to_owned(),
            OtherCaRefusal::Revoked {
                subject,
                at,
                reason,
            } => {
                let date =
                    kep_pki::identifiers::date::display(time::OffsetDateTime::from(*at).date());
                let why = reason
                    .map(|r| format!(": {}", crate::console::text_ru::revocation_reason(r)))
                    .unwrap_or_default();
                format!("Сертификат «{subject}», которым подписано заявление, отозван {date}{why}.")
            }
            OtherCaRefusal::StatusUnknown { subject, attempts } => {
                status_unknown(subject, attempts)
            }
        }
    }
}

pub mod notices {
    use crate::notifier::Notice;

    /// The application is approved: the certificate is ready to be issued.
    pub fn ready_for_issuance() -> Notice {
        Notice::new(super::READY_FOR_ISSUANCE, super::READY_FOR_ISSUANCE)
    }

    /// The reviewer rejected the application.
    pub fn rejected(comment: &str) -> Notice {
        Notice::new("Заявка отклонена", format!("Заявка отклонена: {comment}"))
    }

    /// The reviewer asks for documents.
    pub fn documents_requested(comment: &str) -> Notice {
        Notice::new(
            "Нужны документы",
            format!("Для заявки нужны документы: {comment}"),
        )
    }

    /// The operator rejected the scanned statement.
    pub fn statement_rejected(comment: &str) -> Notice {
        Notice::new(
            "Заявление не принято",
            format!("Заявление не принято: {comment}"),
        )
    }

    /// The operator accepted the scanned statement.
    pub fn statement_accepted() -> Notice {
        Notice::new(
            "Заявление принято",
            "Заявление принято: можно создать ключ.",
        )
    }

    /// The certificate is issued.
    pub fn issued() -> Notice {
        Notice::new(
            "Сертификат выпущен",
            "Сертификат выпущен: откройте приложение, чтобы установить его.",
        )
    }
}

/// The requisites fail a check (the first problem named).
pub fn check_requisites(first: &str) -> String {
    format!("Проверьте реквизиты: {first}")
}

/// The policy does not accept keys made by `tool`.
pub fn sign_tool_refused(tool: &str) -> String {
    format!(
        "УЦ не выпускает квалифицированные сертификаты для ключей, созданных средством «{tool}». Создайте ключ на токене."
    )
}

/// The signature is not over this application's statement.
pub fn signature_not_over_statement(why: &str) -> String {
    format!("Подпись не подходит к заявлению этой заявки: {why}")
}

/// The signer's certificate does not validate.
pub fn signer_not_valid(why: &str) -> String {
    format!("Сертификат, которым подписано заявление, не действует: {why}")
}

/// A new call may be asked for in `seconds`.
pub fn call_again_in(seconds: i64) -> String {
    format!("Повторный звонок можно запросить через {seconds} с.")
}

/// A wrong code, `left` tries remain.
pub fn code_wrong(left: u32) -> String {
    format!("Неверный код. Осталось попыток: {left}.")
}

/// No list of accredited CAs was imported yet.
pub const NO_TRUST_LIST: &str = "Список аккредитованных удостоверяющих центров ещё не загружен.";
