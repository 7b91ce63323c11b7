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
