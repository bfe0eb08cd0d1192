#![no_main]
//! Structure-aware: the fuzzer's bytes choose a syntactically valid Terraform module (variables,
//! a chain of locals with templates, for expressions, function calls, conditionals; no module
//! calls) whose task definition reads the last locals, so every input reaches the evaluator
//! (see `terraform_from_bytes` in ../harness.rs).

use libfuzzer_sys::fuzz_target;

#[path = "../harness.rs"]
mod harness;

fuzz_target!(|data: &[u8]| {
    harness::run_generated_terraform(data);
});
