pub mod native;
pub mod tray_host;
pub mod webdriver;
