pub mod native;
pub mod webdriver;
