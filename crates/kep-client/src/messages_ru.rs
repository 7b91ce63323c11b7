//! The Russian sentences kep-client produces (the CA's own messages arrive ready-made).

use kep_protocol::application::ApplicationStatus;

/// The session ended at the CA.
pub const SESSION_EXPIRED: &str = "Сессия истекла. Войдите снова по номеру телефона — вы вернётесь на тот же шаг, введённые данные сохранены.";
/// The flow file could not be written.
pub const FLOW_NOT_SAVED: &str = "Не удалось сохранить ход заполнения в папке приложения. Проверьте свободное место на диске и повторите.";
/// The statement could not be signed with the chosen key.
pub const NOT_SIGNED: &str = "Заявление не удалось подписать этим ключом. Проверьте, что выбран действующий сертификат, и повторите.";
/// The requisites stored at the CA no longer pass the checks.
pub const FIX_REQUISITES: &str = "Реквизиты заявки не проходят проверку: отредактируйте заявку.";
/// An action that needs an application was asked for outside one.
pub const NO_APPLICATION: &str = "Сначала выберите заявку в списке.";
/// The CA cannot be reached (what to do next is the UI's hint for `network`).
pub const CA_UNREACHABLE: &str =
    "Удостоверяющий центр не отвечает: связи с ним нет. Введённые данные сохранены.";
/// An action's deadline passed with no answer from the CA.
pub const CA_NOT_ANSWERING: &str = "Удостоверяющий центр не отвечает. Введённые данные сохранены, а повтор не выполнит действие дважды.";
/// The user cancelled the action (or logged out while it ran).
pub const CANCELLED: &str = "Действие отменено. Если удостоверяющий центр успел его выполнить, повтор это учтёт и не выполнит его дважды.";
/// The sensor sent far more events than a person makes.
pub const SENSOR_FLOOD: &str = "Слишком много событий датчика за раз.";
/// A key was asked for before the sensor's pool was full.
pub const SENSOR_NOT_FULL: &str =
    "Подвигайте мышью или понажимайте клавиши в окне датчика, пока шкала не заполнится.";
/// The token refused the remembered PIN (forgotten now; the token's own sentence follows).
pub const REMEMBERED_PIN_REFUSED: &str =
    "Запомненный PIN-код не подошёл и больше не хранится: введите PIN-код токена.";
/// Installation on a token without a PIN, none remembered.
pub const ENTER_PIN: &str = "Введите PIN-код токена.";
/// No key of this application is recorded (made elsewhere, or its files were removed).
pub const KEY_NOT_FOUND: &str = "Не найден ключ, для которого выпущен сертификат: он создавался на другом компьютере или его файлы удалены. Обратитесь в удостоверяющий центр.";
/// The key folder cannot be written.
pub const KEY_FOLDER_UNAVAILABLE: &str =
    "Папка ключей приложения недоступна: проверьте место на диске и права на папку данных.";
/// The certificate request could not be made with the new key.
pub const REQUEST_NOT_MADE: &str = "Запрос на сертификат не удалось сформировать. Повторите; если ошибка повторится, обратитесь в поддержку.";
/// The CA's answer could not be read.
pub const CA_ANSWER_UNREADABLE: &str =
    "Ответ удостоверяющего центра не удалось прочитать. Повторите позже.";
/// A wrong container password.
pub const WRONG_PASSWORD: &str = "Неверный пароль контейнера ключа. Проверьте раскладку клавиатуры и Caps Lock. Восстановить забытый пароль невозможно.";
/// A container password that is too short.
pub const PASSWORD_TOO_SHORT: &str = "Пароль должен быть не короче 8 символов.";
/// The key store holds no such key or certificate.
pub const KEY_STORE_ENTRY_NOT_FOUND: &str = "Сертификат не найден в хранилище приложения.";
/// The OS random number generator did not answer.
pub const RNG_FAILED: &str =
    "Генератор случайных чисел системы не ответил: ключ не создан. Повторите.";
/// The computer key store cannot be used.
pub const KEY_STORE_UNAVAILABLE: &str = "Хранилище ключей приложения недоступно или повреждено: проверьте место на диске и права на папку данных.";
/// The CA sent a certificate that does not parse.
pub const CERTIFICATE_DAMAGED: &str =
    "Удостоверяющий центр прислал повреждённый сертификат. Повторите установку позже.";
/// The certificate is not for the key on this computer.
pub const NOT_FOR_COMPUTER_KEY: &str =
    "Сертификат выпущен не для ключа на этом компьютере. Обратитесь в удостоверяющий центр.";
/// The certificate is not for the key on this token.
pub const NOT_FOR_TOKEN_KEY: &str =
    "Сертификат выпущен не для ключа на этом токене. Обратитесь в удостоверяющий центр.";
/// A signing candidate id that names no certificate.
pub const UNKNOWN_CANDIDATE: &str = "Сертификат не найден: обновите список и выберите снова.";
/// An expired or not yet valid certificate among the signing candidates.
pub const NOT_VALID: &str = "Срок действия сертификата истёк: им нельзя подписать заявление.";
/// Another person's certificate among the signing candidates.
pub const OTHER_PERSON: &str =
    "Сертификат выдан на другие ФИО, СНИЛС или ИНН: подписать им заявление нельзя.";
/// A certificate the CA has revoked or replaced, among the signing candidates.
pub const REVOKED: &str = "Сертификат отозван или заменён новым: им нельзя подписать заявление.";
/// A file of a type the CA does not take.
pub const FILE_WRONG_TYPE: &str = "Можно загрузить только PDF, JPEG или PNG.";
/// A file over the limit.
pub const FILE_TOO_LARGE: &str =
    "Файл больше 10 МБ: уменьшите его или отсканируйте с меньшим разрешением.";
/// A file that could not be read.
pub const FILE_UNREADABLE: &str =
    "Файл не удалось прочитать: проверьте, что он на месте и доступен.";

/// The desktop notification for a status the CA moved the application to: (title, text).
pub fn status_notification(status: ApplicationStatus, comment: &str) -> (&'static str, String) {
    use ApplicationStatus as S;
    let with_comment = |text: &str| {
        if comment.is_empty() {
            text.to_owned()
        } else {
            format!("{text} Комментарий: {comment}")
        }
    };
    match status {
        S::Approved => (
            "Ваш сертификат готов к выпуску!",
            "Удостоверяющий центр проверил заявку. Откройте приложение, чтобы перейти к выпуску."
                .into(),
        ),
        S::DocumentsRequired => (
            "Нужны документы",
            with_comment("Удостоверяющий центр просит загрузить документы."),
        ),
        S::Rejected => (
            "Заявка отклонена",
            with_comment("Удостоверяющий центр отклонил заявку."),
        ),
        S::StatementRejected => (
            "Заявление не принято",
            with_comment("Удалите прежнюю копию и загрузите исправленную."),
        ),
        S::ReadyForKey => (
            "Заявление принято",
            "Откройте приложение, чтобы создать ключ и отправить запрос на сертификат.".into(),
        ),
        S::AwaitingIdentity => (
            "Нужно подтвердить личность",
            "Передайте оригинал заявления сотруднику, ответственному за выпуск сертификатов в вашей организации.".into(),
        ),
        S::Issued => (
            "Сертификат выпущен",
            "Откройте приложение, чтобы установить сертификат.".into(),
        ),
        S::InReview => (
            "Заявка на проверке",
            "Удостоверяющий центр проверяет заявку, обычно 1–2 часа.".into(),
        ),
        _ => (
            "Статус заявки изменился",
            with_comment("Откройте приложение, чтобы продолжить."),
        ),
    }
}

/// Why no CA could be chosen, for the wizard.
pub fn ca_choice(error: &crate::ca_choice::CaChoiceError) -> String {
    use crate::ca_choice::CaChoiceError as E;
    match error {
        E::AdminConfig { path, .. } => format!(
            "Файл настроек организации «{}» не читается. Обратитесь к администратору.",
            path.display()
        ),
        E::Address { address, .. } => format!(
            "Адрес удостоверяющего центра «{address}» не подходит: нужен https:// (или http:// только для этого компьютера)."
        ),
        E::TrustAnchor { path, .. } => format!(
            "Корневой сертификат для связи с удостоверяющим центром («{}») не читается. Обратитесь к администратору.",
            path.display()
        ),
    }
}

/// Why a setting was not changed.
pub fn settings(error: &crate::settings::SettingsError) -> String {
    use crate::ca_health::CaHealthError as H;
    use crate::settings::SettingsError as E;
    match error {
        E::Locked => "Адрес удостоверяющего центра задан вашей организацией: изменить его может только администратор.".into(),
        E::InRenewal => "Чтобы перейти в другой удостоверяющий центр, сначала выйдите из учётной записи. Заявка в текущем центре сохранится.".into(),
        E::Address(e) => ca_choice(e),
        E::Health(H::Unreachable(_)) => "По этому адресу нет связи: проверьте адрес и подключение к интернету. Настройки не изменены.".into(),
        E::Health(H::Timeout { .. }) => "Сервер по этому адресу не ответил за несколько секунд. Настройки не изменены.".into(),
        E::Health(H::NotCa(_)) => "По этому адресу отвечает не удостоверяющий центр, с которым работает приложение. Проверьте адрес.".into(),
        E::Health(H::NotReady(_)) => "Удостоверяющий центр по этому адресу сейчас не готов принимать заявки. Повторите позже.".into(),
        E::Health(H::Setup(_)) | E::Reopen(_) => kep_protocol::messages_ru::INTERNAL_ERROR.into(),
        E::NotSaved(_) => "Не удалось сохранить настройки в папке приложения. Проверьте свободное место на диске.".into(),
        E::Module(_) => "Этот файл не загружается как библиотека PKCS#11. Выберите библиотеку от производителя вашего токена.".into(),
    }
}

/// A 512-bit key asked of a token that makes only 256-bit ones.
pub const KEY_512_UNSUPPORTED: &str =
    "Этот токен не создаёт ключи ГОСТ 512 бит: выберите длину 256 бит или другой токен.";
/// A certificate asked about on the home is no longer present.
pub const CERTIFICATE_GONE: &str =
    "Этого сертификата больше нет на месте (токен вынут или файл удалён): список обновлён.";
/// Removal asked for a certificate that is still valid or on a token.
pub const CERTIFICATE_NOT_REMOVABLE: &str = "Удалить можно только сертификат с истёкшим сроком, хранящийся на этом компьютере. Сертификаты на токене приложение не удаляет.";

/// A revocation reason in words.
pub fn revocation_reason(reason: kep_pki::crl::RevocationReason) -> &'static str {
    use kep_pki::crl::RevocationReason as R;
    match reason {
        R::KeyCompromise => "ключ скомпрометирован",
        R::AffiliationChanged => "изменились данные владельца",
        R::Superseded => "заменён новым",
        R::CessationOfOperation => "прекращено действие по заявлению владельца",
    }
}

/// Why a certificate's status is «не удалось проверить», in one sentence.
pub fn status_unchecked(error: &crate::cert_status::StatusError) -> String {
    use crate::cert_status::StatusError as E;
    match error {
        E::Malformed(_) => "Сертификат не читается.".into(),
        E::Chain(
            kep_pki::chain::ChainError::NoIssuer { .. }
            | kep_pki::chain::ChainError::Untrusted { .. },
        ) => "Издатель сертификата неизвестен приложению: статус не запрашивался.".into(),
        E::Chain(_) => "Цепочка сертификата не проходит проверку: статус не запрашивался.".into(),
        E::NoLocation => "В сертификате не указано, где проверять его статус.".into(),
        E::Unreachable { .. } | E::Http { .. } => {
            "Нет связи со службой статусов удостоверяющего центра.".into()
        }
        E::Timeout(_) => "Служба статусов удостоверяющего центра не ответила вовремя.".into(),
        E::TooLarge { .. } => "Ответ службы статусов слишком большой, он не загружался.".into(),
        E::Ocsp(kep_pki::ocsp::AnswerError::Refused(_)) => {
            "Служба статусов удостоверяющего центра отказалась отвечать.".into()
        }
        E::Ocsp(_) => "Ответ службы статусов не прошёл проверку подписи или устарел.".into(),
        E::UnknownToResponder => "Удостоверяющий центр не знает этот сертификат.".into(),
        E::CrlUnreadable(_) | E::CrlNotSigned => "Список отзыва не прошёл проверку.".into(),
        E::CrlStale => "Список отзыва устарел.".into(),
        E::Worker(_) | E::Randomness(_) => "Проверка статуса прервалась.".into(),
    }
}

/// An expiry reminder's title.
pub const REMINDER_TITLE: &str = "Срок сертификата подходит к концу";

/// An expiry reminder's text.
pub fn reminder(owner: &str, days_left: i64) -> String {
    let days = match days_left {
        0 => "сегодня последний день".to_owned(),
        d => format!("осталось {d} {}", days_word(d)),
    };
    format!(
        "Сертификат {owner}: {days}. Обновите его в KEP Renew — «Мои сертификаты», «Обновить сертификат»."
    )
}

/// «день», «дня» or «дней» after `n`.
pub fn days_word(n: i64) -> &'static str {
    match (n % 10, n % 100) {
        (1, r) if r != 11 => "день",
        (2..=4, r) if !(12..=14).contains(&r) => "дня",
        _ => "дней",
    }
}

/// «Проверить»: the statement's signature checks.
pub const RECORD_SIGNATURE_OK: &str =
    "Подпись заявления верна: заявление не изменилось с момента подписания.";
/// «Проверить»: a scan was sent; it is kept (a scan has no signature to check).
pub const RECORD_SCAN_KEPT: &str =
    "Заявление подписано от руки: сохранён отправленный скан (электронной подписи у скана нет).";
/// «Проверить»: the statement's files are missing.
pub const RECORD_STATEMENT_MISSING: &str = "Файлы заявления в папке записи не найдены.";
/// «Проверить»: the chain checks.
pub const RECORD_CHAIN_OK: &str =
    "Цепочка сертификата проверена до корневого сертификата удостоверяющего центра.";
/// «Проверить»: the certificate file is missing.
pub const RECORD_CERTIFICATE_MISSING: &str = "Файл сертификата в папке записи не найден.";

/// «Проверить»: the statement's signature does not check.
pub fn record_signature_bad(reason: &str) -> String {
    format!("Подпись заявления не прошла проверку: {reason}")
}

/// «Проверить»: the chain does not check.
pub fn record_chain_bad(reason: &str) -> String {
    format!("Цепочка сертификата не прошла проверку: {reason}")
}

/// Signing files and checking signatures.
pub mod file_signatures {
    use crate::file_signatures::FileSignatureError;
    use kep_pki::chain::ChainError;
    use kep_protocol::certificate::{CertificateStatus, StatusSource};
    use std::time::SystemTime;

    /// The verdict: everything checks.
    pub const HEADLINE_VALID: &str = "Подпись действительна: файл не изменён после подписания, сертификат подписавшего выдан доверенным удостоверяющим центром и не отозван.";
    /// The verdict: the signature itself does not verify.
    pub const HEADLINE_BROKEN: &str =
        "Подпись недействительна: она повреждена или не сходится с сертификатом подписавшего.";
    /// The verdict: a genuine signature over other content.
    pub const HEADLINE_OTHER_CONTENT: &str = "Подпись недействительна для этого файла: файл изменён после подписания или подпись сделана под другим файлом.";
    /// The verdict: the certificate was not valid at the claimed signing time.
    pub const HEADLINE_NOT_VALID_THEN: &str = "Подпись недействительна: сертификат подписавшего не действовал в указанное время подписания.";
    /// The verdict: revoked.
    pub const HEADLINE_REVOKED: &str = "Подпись недействительна: сертификат подписавшего отозван. Без штампа времени нельзя подтвердить, что подпись сделана до отзыва.";
    /// The verdict: an untrusted CA.
    pub const HEADLINE_UNTRUSTED: &str = "Подпись не подтверждена: файл не изменён, но сертификат выдан удостоверяющим центром, которого нет в перечне аккредитованных, — квалифицированной такую подпись считать нельзя.";
    /// The verdict: the certificate has expired since.
    pub const HEADLINE_EXPIRED_NOW: &str = "Подпись не подтверждена: файл не изменён, но срок сертификата уже истёк, а время подписания указано самим подписавшим и штампом времени не подтверждено.";
    /// The verdict: the status is not known.
    pub const HEADLINE_STATUS_UNKNOWN: &str = "Подпись не подтверждена: файл не изменён и сертификат выдан доверенным удостоверяющим центром, но проверить, не отозван ли он, сейчас не удалось.";

    /// The content is what was signed.
    pub const CONTENT_UNCHANGED: &str = "Файл не изменён после подписания.";
    /// The content differs.
    pub const CONTENT_CHANGED: &str = "Файл отличается от подписанного: он изменён после подписания, обрезан или подпись сделана под другим файлом.";
    /// The signature itself is broken.
    pub const SIGNATURE_BROKEN: &str =
        "Подпись не сходится с ключом сертификата: подпись повреждена или подделана.";

    /// Chained to the CA this app works with.
    pub const TRUSTED_THIS_CA: &str =
        "Сертификат выдан удостоверяющим центром, с которым работает приложение.";
    /// No status was asked.
    pub const STATUS_NOT_ASKED: &str = "Статус не запрашивался: сертификат не удалось проверить до доверенного удостоверяющего центра.";

    /// Chained to an accredited CA.
    pub fn trusted_accredited(name: &str, inn: &str) -> String {
        format!("Сертификат выдан аккредитованным удостоверяющим центром «{name}» (ИНН {inn}).")
    }

    /// Why the certificate is not trusted.
    pub fn untrusted(error: &ChainError, list_known: bool) -> String {
        match error {
            ChainError::NoIssuer { .. } | ChainError::Untrusted { .. } if !list_known => {
                "Сертификат выдан удостоверяющим центром, которого приложение не знает, а перечень аккредитованных центров сейчас получить не удалось: повторите проверку позже.".into()
            }
            ChainError::NoIssuer { .. } | ChainError::Untrusted { .. } => {
                "Сертификат выдан удостоверяющим центром, которого нет в перечне аккредитованных Минцифры.".into()
            }
            other => format!(
                "Цепочка сертификата не проходит проверку: {}",
                kep_pki::messages_ru::chain_error(other)
            ),
        }
    }

    /// A moment as people read it: Moscow time, which has no summer time since 2014.
    pub fn when(at: SystemTime) -> String {
        let moscow = time::UtcOffset::from_hms(3, 0, 0).unwrap_or(time::UtcOffset::UTC);
        let t = time::OffsetDateTime::from(at).to_offset(moscow);
        format!(
            "{:02}.{:02}.{} {:02}:{:02} МСК",
            t.day(),
            u8::from(t.month()),
            t.year(),
            t.hour(),
            t.minute()
        )
    }

    /// [`when`] of an RFC 3339 time (as it is, if it does not read).
    pub fn when_rfc3339(at: &str) -> String {
        time::OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339)
            .map(|t| when(t.into()))
            .unwrap_or_else(|_| at.to_owned())
    }

    /// What the signing time is worth.
    pub fn time_note(at: Option<SystemTime>) -> String {
        match at {
            Some(at) => format!(
                "Время подписания {} указано самим подписавшим: штампа времени в подписи нет, поэтому оно не подтверждено.",
                when(at)
            ),
            None => "Время подписания в подписи не указано.".into(),
        }
    }

    /// The status, in words.
    pub fn status_note(status: &CertificateStatus, not_after: &str) -> String {
        match status {
            CertificateStatus::Valid { source, checked_at } => format!(
                "Сертификат не отозван: по {} на {}.",
                match source {
                    StatusSource::Ocsp => "ответу службы OCSP удостоверяющего центра",
                    StatusSource::Crl => "списку отозванных сертификатов удостоверяющего центра",
                },
                when_rfc3339(checked_at)
            ),
            CertificateStatus::Revoked { revoked_at, reason } => format!(
                "Сертификат отозван {}{}.",
                when_rfc3339(revoked_at),
                reason
                    .as_deref()
                    .map(|r| format!(", причина: {r}"))
                    .unwrap_or_default()
            ),
            CertificateStatus::Superseded { revoked_at } => format!(
                "Сертификат отозван {}: заменён новым.",
                when_rfc3339(revoked_at)
            ),
            CertificateStatus::Expired => format!(
                "Срок действия сертификата истёк {}: статус больше не публикуется.",
                when_rfc3339(not_after)
            ),
            CertificateStatus::Unchecked { reason } => {
                format!("Не удалось проверить, не отозван ли сертификат: {reason}")
            }
        }
    }

    /// Why one file was not signed.
    pub fn file_problem(problem: &crate::file_signatures::FileProblem) -> String {
        use crate::file_signatures::FileProblem as P;
        match problem {
            P::Unreadable(_) => {
                "Файл не удалось прочитать до конца: проверьте, что он на месте и не открыт для записи другой программой.".into()
            }
            P::NotSigned(_) => "Ключ не подписал файл: проверьте, что токен вставлен, и повторите.".into(),
            P::NotWritten(_) => {
                "Подпись не удалось записать в эту папку: выберите другое место сохранения.".into()
            }
        }
    }

    /// Why signing or checking did not happen.
    pub fn refusal(error: &FileSignatureError) -> String {
        use FileSignatureError as E;
        match error {
            E::UnknownFile => "Файл больше не в списке: добавьте его снова.".into(),
            E::UnknownCertificate => super::UNKNOWN_CANDIDATE.into(),
            E::CertificateUnreadable(_) => super::CERTIFICATE_DAMAGED.into(),
            E::NoKey => "Ключа этого сертификата здесь нет: вставьте токен, на котором он записан.".into(),
            E::NotValidNow => "Сертификат сейчас не действует: подписать им нельзя.".into(),
            E::Revoked => "Сертификат отозван: подписать им нельзя.".into(),
            E::KeyMismatch => "Ключ не соответствует сертификату: подписать им нельзя.".into(),
            E::NotASignature(_) => "Это не файл электронной подписи: выберите файл .sig или .p7s.".into(),
            E::Truncated => "Файл подписи обрывается: он повреждён или скачан не до конца.".into(),
            E::UnknownAlgorithm(oid) => format!("Подпись сделана по алгоритму, который приложение не знает ({oid})."),
            E::NoSignerCertificate => "В подпись не включён сертификат подписавшего: без него проверить её нельзя.".into(),
            E::SeveralSigners => "В файле несколько подписей: приложение проверяет подпись одного подписавшего.".into(),
            E::NeedsFile => "Подпись хранится отдельно от документа: добавьте подписанный файл вместе с подписью.".into(),
            E::SignatureTooLarge => "Файл подписи слишком большой (больше 64 МБ).".into(),
            E::Unreadable(_) => super::FILE_UNREADABLE.into(),
            E::Report(_) | E::Worker(_) => "Не удалось завершить действие. Повторите; если ошибка повторится, обратитесь в поддержку.".into(),
            E::Key(_) => "Ключ не открылся.".into(),
        }
    }

    /// The PDF report of a check.
    pub mod report {
        /// The title.
        pub const TITLE: &str = "Протокол проверки электронной подписи";
        /// Sections.
        pub const DOCUMENT: &str = "Документ";
        /// Sections.
        pub const SIGNER: &str = "Подписавший";
        /// Sections.
        pub const RESULTS: &str = "Результаты проверки";
        /// Sections.
        pub const CHAIN: &str = "Цепочка сертификатов";
        /// Field labels.
        pub const SIGNED_FILE: &str = "Подписанный файл";
        /// The signed file, for an attached signature.
        pub const INSIDE_SIGNATURE: &str = "содержится в файле подписи";
        /// Field labels.
        pub const FILE_SHA256: &str = "SHA-256 файла";
        /// Field labels.
        pub const SIGNATURE_FILE: &str = "Файл подписи";
        /// Field labels.
        pub const OWNER: &str = "Владелец сертификата";
        /// Field labels.
        pub const SNILS: &str = "СНИЛС";
        /// Field labels.
        pub const INN: &str = "ИНН";
        /// Field labels.
        pub const SERIAL: &str = "Серийный номер";
        /// Field labels.
        pub const ISSUER: &str = "Издатель";
        /// Field labels.
        pub const VALIDITY: &str = "Срок действия";
        /// Field labels.
        pub const KEY_ALGORITHM: &str = "Алгоритм ключа";
        /// Field labels.
        pub const THUMBPRINT: &str = "Отпечаток SHA-1";
        /// Field labels.
        pub const SIGNING_TIME: &str = "Время подписания";
        /// Field labels.
        pub const INTEGRITY: &str = "Целостность";
        /// Field labels.
        pub const TRUST: &str = "Доверие";
        /// Field labels.
        pub const STATUS: &str = "Статус сертификата";

        /// The validity period.
        pub fn validity(from: &str, to: &str) -> String {
            format!("с {from} по {to}")
        }

        /// One certificate of the chain.
        pub fn link(subject: &str, serial: &str, not_after: &str) -> String {
            format!("{subject}, серийный номер {serial}, действует по {not_after}")
        }

        /// Who checked, and when.
        pub fn checked(when: &str, version: &str) -> String {
            format!("Проверка выполнена {when} приложением KEP Renew {version}.")
        }

        /// The report's suggested file name.
        pub fn file_name(of: &str) -> String {
            format!("Протокол проверки {of}.pdf")
        }
    }
}
