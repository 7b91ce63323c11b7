//! The Russian sentences the app crate itself produces (everything below it has its own
//! catalogue).

/// No data folder can be found for the app.
pub const NO_DATA_FOLDER: &str = "Не удалось найти папку данных приложения.";
/// The save dialog's title for the statement blank.
pub const SAVE_BLANK_TITLE: &str = "Сохранить бланк заявления";
/// The statement blank's suggested file name.
pub const BLANK_FILE_NAME: &str = "Заявление на сертификат.pdf";
/// The blank could not be written where the person chose.
pub const BLANK_NOT_SAVED: &str = "Бланк не удалось сохранить в этой папке: выберите другую.";
/// The save dialog's title for a certificate.
pub const SAVE_CERTIFICATE_TITLE: &str = "Сохранить сертификат";
/// The save dialog's filter name for certificates.
pub const CERTIFICATE_FILTER: &str = "Сертификат X.509";
/// A certificate's suggested file name.
pub const CERTIFICATE_FILE_NAME: &str = "Сертификат.cer";
/// The certificate could not be written where the person chose.
pub const CERTIFICATE_NOT_SAVED: &str =
    "Сертификат не удалось сохранить в этой папке: выберите другую.";
/// A file the UI names is no longer in the list.
pub const FILE_NOT_LISTED: &str = "Файл больше не в списке: добавьте его снова.";
/// The open dialog's title for the scans.
pub const PICK_SCANS_TITLE: &str = "Выберите сканы документов";
/// The open dialog's title for documents to sign or signatures to check.
pub const PICK_DOCUMENTS_TITLE: &str = "Выберите файлы для подписи или проверки";
/// The save dialog's title for a signature.
pub const SAVE_SIGNATURE_TITLE: &str = "Сохранить подпись";
/// The folder dialog's title for several signatures.
pub const SIGNATURES_FOLDER_TITLE: &str = "Выберите папку для файлов подписи";
/// The save dialog's filter name for signatures.
pub const SIGNATURE_FILTER: &str = "Электронная подпись";
/// The save dialog's title for a check's report.
pub const SAVE_REPORT_TITLE: &str = "Сохранить протокол проверки";
/// The report could not be written where the person chose.
pub const REPORT_NOT_SAVED: &str = "Протокол не удалось сохранить в этой папке: выберите другую.";
/// The open dialog's title for a PKCS#11 library.
pub const PICK_LIBRARY_TITLE: &str = "Выберите библиотеку PKCS#11 производителя токена";
/// The update's signature is not the release key's (or the package changed).
pub const UPDATE_SIGNATURE_REJECTED: &str = "Обновление не прошло проверку подписи и не установлено. Программа продолжает работать в текущей версии.";
/// The release server cannot be reached.
pub const UPDATE_UNREACHABLE: &str = "Не удалось скачать обновление: нет связи с сервером обновлений. Программа продолжает работать в текущей версии; повторите позже.";
/// The downloaded file is not a package of this kind.
pub const UPDATE_DAMAGED: &str = "Скачанный файл обновления повреждён и не установлен. Программа продолжает работать в текущей версии.";
/// The package manager refused (no administrator rights given).
pub const UPDATE_NOT_INSTALLED: &str = "Обновление не установлено: для установки нужны права администратора компьютера. Программа продолжает работать в текущей версии.";
/// Anything else went wrong.
pub const UPDATE_FAILED: &str = "Обновление не установлено из-за внутренней ошибки. Программа продолжает работать в текущей версии.";
/// This build has no release server.
pub const UPDATES_NOT_CONFIGURED: &str = "В этой сборке программы обновления не настроены.";
/// The offer was withdrawn meanwhile.
pub const UPDATE_GONE: &str = "Сервер обновлений больше не предлагает новую версию.";

/// Another version is offered now than the one the person agreed to.
pub fn update_changed(version: &str) -> String {
    format!(
        "Сейчас предлагается другая версия — {version}. Прочитайте, что в ней нового, и нажмите «Установить» снова."
    )
}

/// The autostart entry could not be read or written.
pub const AUTOSTART_FAILED: &str = "Не удалось изменить автозапуск: система не дала записать настройку входа. Напоминания работают, пока программа открыта.";
