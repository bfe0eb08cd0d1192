#![no_main]
//! The `.ecslint.toml` parser on arbitrary bytes (see ../harness.rs).

use libfuzzer_sys::fuzz_target;

#[path = "../harness.rs"]
mod harness;

fuzz_target!(|data: &[u8]| {
    harness::run_config(data);
});
