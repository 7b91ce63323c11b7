//! Russian sentences the backend puts into `ApiError::message`. Kept together so that a
//! translation touches one file on the Rust side (the UI's own texts live in
//! `ui/src/lib/i18n/ru.ts`).

pub const INTERNAL_ERROR: &str = "Внутренняя ошибка приложения. Данные не потеряны; попробуйте ещё раз или перезапустите приложение.";
