#![no_main]
//! Bytes as a Terraform `.tf.json` file (a module of one file) (see ../harness.rs).

use libfuzzer_sys::fuzz_target;

#[path = "../harness.rs"]
mod harness;

fuzz_target!(|data: &[u8]| {
    harness::run(harness::Front::TerraformJson, data);
});
