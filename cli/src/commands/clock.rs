//! The clock check: this machine's offset from a time server (SNTP).

use std::time::Duration;

use crate::failure::Failure;
use crate::print;

pub fn check(server: &str, json: bool) -> Result<(), Failure> {
    let m = twofold_core::clock::measure(server, Duration::from_secs(5))
        .map_err(|e| Failure::Failed(format!("the clock could not be checked: {e}")))?;
    if json {
        print::json(&m);
    } else {
        println!("{:.3}", m.offset_seconds);
    }
    Ok(())
}
