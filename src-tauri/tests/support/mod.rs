pub mod atspi;
pub mod native;
pub mod tray_host;
pub mod webdriver;
