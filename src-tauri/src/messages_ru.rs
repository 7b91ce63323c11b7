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
/// A file the UI names is no longer in the list.
pub const FILE_NOT_LISTED: &str = "Файл больше не в списке: добавьте его снова.";
/// The open dialog's title for the scans.
pub const PICK_SCANS_TITLE: &str = "Выберите сканы документов";
/// The open dialog's title for a PKCS#11 library.
pub const PICK_LIBRARY_TITLE: &str = "Выберите библиотеку PKCS#11 производителя токена";
