//! The Russian sentence the wizard shows for each token error. All of kep-token's user-facing
//! text is here.

use crate::error::TokenError;

/// Shown when the token holds no certificate with its private key beside it.
pub const NO_SIGNING_CERTIFICATE: &str = "На токене нет сертификата с закрытым ключом, которым можно подписать заявление. \
     Ключи в контейнерах КриптоПро это приложение использовать не может: подпишите заявление на бумаге и загрузите скан.";

/// Shown (as a notice, not an error) when the factory PIN is still set.
pub const DEFAULT_PIN_NOTICE: &str = "На токене установлен стандартный PIN-код 12345678. Рекомендуем сменить его в программе обслуживания токена.";

/// The warning the wizard shows before a container password is chosen.
pub const PASSWORD_UNRECOVERABLE: &str =
    "Важно: при утере пароля восстановить его будет невозможно!";

/// The sentence for `error`.
pub fn message(error: &TokenError) -> String {
    match error {
        TokenError::Module(_) => {
            "Не удалось загрузить библиотеку токена (PKCS#11). Проверьте, что драйвер Рутокена установлен.".into()
        }
        TokenError::NoToken => "Токен не найден. Вставьте токен в компьютер и повторите.".into(),
        TokenError::PinIncorrect { final_try_next: true, .. } => {
            "Неверный PIN-код. Осталась одна попытка: после следующей ошибки токен заблокируется.".into()
        }
        TokenError::PinIncorrect { count_low: true, .. } => {
            "Неверный PIN-код. Попыток осталось немного — проверьте раскладку и Caps Lock.".into()
        }
        TokenError::PinIncorrect { .. } => "Неверный PIN-код. Попробуйте ещё раз.".into(),
        TokenError::PinFinalTry => {
            "Осталась последняя попытка ввода PIN-кода: при ошибке токен заблокируется. Продолжить?".into()
        }
        TokenError::PinLocked => {
            "PIN-код заблокирован. Разблокировать его можно PIN-кодом администратора (по умолчанию 87654321) в программе обслуживания токена или у ответственного за выдачу токенов.".into()
        }
        TokenError::PinInvalid => "PIN-код недопустимой длины или содержит недопустимые символы.".into(),
        TokenError::Unsupported(_) => {
            "Токен не поддерживает алгоритм ГОСТ Р 34.10-2012. Нужен токен с ГОСТ-криптографией (например, Рутокен ЭЦП).".into()
        }
        TokenError::KeyNotFound => "Закрытый ключ не найден на токене.".into(),
        TokenError::InstallMismatch => {
            "Сертификат не удалось записать на токен: прочитанная копия не совпала. Ничего не изменено; повторите установку.".into()
        }
        TokenError::SessionClosed => "Связь с токеном прервалась. Вставьте токен и повторите.".into(),
        TokenError::NotLoggedIn => "Токен больше не авторизован. Введите PIN-код ещё раз.".into(),
        TokenError::HandleInvalid => "Ключ на токене стал недоступен. Извлеките и снова вставьте токен, затем повторите.".into(),
        TokenError::NoTokenLabelled(label) => format!("Токен «{label}» не найден. Проверьте, что он подключён."),
        TokenError::LabelAmbiguous(label) => format!(
            "Подключено несколько токенов с именем «{label}». Оставьте один или переименуйте остальные."
        ),
        TokenError::Pkcs11 { .. } => "Токен вернул ошибку. Извлеките и снова вставьте токен, затем повторите.".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_has_a_russian_sentence() {
        let errors = [
            TokenError::Module("x".into()),
            TokenError::NoToken,
            TokenError::PinIncorrect {
                final_try_next: true,
                count_low: true,
            },
            TokenError::PinIncorrect {
                final_try_next: false,
                count_low: true,
            },
            TokenError::PinIncorrect {
                final_try_next: false,
                count_low: false,
            },
            TokenError::PinFinalTry,
            TokenError::PinLocked,
            TokenError::PinInvalid,
            TokenError::Unsupported("x"),
            TokenError::KeyNotFound,
            TokenError::InstallMismatch,
            TokenError::SessionClosed,
            TokenError::NotLoggedIn,
            TokenError::HandleInvalid,
            TokenError::NoTokenLabelled("CA".into()),
            TokenError::LabelAmbiguous("CA".into()),
            TokenError::Pkcs11 {
                function: "C_Sign".into(),
                code: "x".into(),
            },
        ];
        for e in errors {
            let m = message(&e);
            assert!(m.chars().any(|c| ('а'..='я').contains(&c)), "{e:?}: {m}");
            assert!(m.ends_with('.') || m.ends_with('?'), "{m}");
        }
        assert!(NO_SIGNING_CERTIFICATE.contains("КриптоПро"));
    }
}
