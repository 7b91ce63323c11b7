//! One window with one static page.
#![forbid(unsafe_code)]

fn main() {
    if let Err(error) = tauri::Builder::default().run(tauri::generate_context!()) {
        eprintln!("minimal-tauri: {error}");
        std::process::exit(1);
    }
}
