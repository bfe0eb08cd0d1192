//! Tests that need a tool this machine may not have are compiled as `#[ignore]`d unless the
//! variable that points at the tool is set, so a missing environment shows as "ignored", never
//! as a pass. `.ci/run` sets them.

fn main() {
    rule_fixture_tests();
    // Set by cargo-fuzz: the YAML front-end then also checks its fast path against saphyr's
    // loader on every input.
    println!("cargo::rustc-check-cfg=cfg(fuzzing)");
    // Data and tools outside the repository: the third-party corpus (tests/corpus.rs,
    // tests/inspect.rs, tests/modules.rs, tests/integrations.rs), the reference data
    // (tests/cost.rs, tests/pricing.rs, tests/api_model.rs), the real clients and the shared
    // recipes (tests/integrations.rs).
    for (var, cfg) in [
        ("ECSLINT_CORPUS", "ecslint_corpus"),
        ("ECSLINT_REFERENCE", "ecslint_reference"),
        ("ECSLINT_TOOLS", "ecslint_tools"),
        ("ECSLINT_RECIPES", "ecslint_recipes"),
    ] {
        println!("cargo::rustc-check-cfg=cfg({cfg})");
        println!("cargo::rerun-if-env-changed={var}");
        if std::env::var_os(var).is_some_and(|v| !v.is_empty()) {
            println!("cargo::rustc-cfg={cfg}");
        }
    }
    // tests/terraform_oracle.rs and the `terraform fmt` check of tests/adoption.rs.
    println!("cargo::rustc-check-cfg=cfg(ecslint_terraform)");
    println!("cargo::rerun-if-env-changed=ECSLINT_TERRAFORM");
    if std::env::var_os("ECSLINT_TERRAFORM").is_some_and(|v| !v.is_empty()) {
        println!("cargo::rustc-cfg=ecslint_terraform");
    }
    // tests/distribution.rs: act, pre-commit, pip with maturin and hadolint from .ci/tools.sh.
    println!("cargo::rustc-check-cfg=cfg(ecslint_dist)");
    println!("cargo::rerun-if-env-changed=ECSLINT_DIST");
    if std::env::var_os("ECSLINT_DIST").is_some_and(|v| !v.is_empty()) {
        println!("cargo::rustc-cfg=ecslint_dist");
    }
    // tests/distribution.rs: the Rust standard library for x86_64-unknown-linux-musl.
    println!("cargo::rustc-check-cfg=cfg(ecslint_musl)");
    println!("cargo::rerun-if-env-changed=ECSLINT_MUSL");
    if std::env::var_os("ECSLINT_MUSL").is_some_and(|v| !v.is_empty()) {
        println!("cargo::rustc-cfg=ecslint_musl");
    }
    // tests/lsp_nvim.rs: headless Neovim (Debian 0.7.x and PyPI 0.11.x) from .ci/tools.sh.
    println!("cargo::rustc-check-cfg=cfg(ecslint_nvim)");
    println!("cargo::rerun-if-env-changed=ECSLINT_NVIM");
    if std::env::var_os("ECSLINT_NVIM").is_some_and(|v| !v.is_empty()) {
        println!("cargo::rustc-cfg=ecslint_nvim");
    }
    // tests/lsp_nvim.rs: pytest-lsp (a Python with it installed) from .ci/tools.sh.
    println!("cargo::rustc-check-cfg=cfg(ecslint_pytest_lsp)");
    println!("cargo::rerun-if-env-changed=ECSLINT_PYTEST_LSP");
    if std::env::var_os("ECSLINT_PYTEST_LSP").is_some_and(|v| !v.is_empty()) {
        println!("cargo::rustc-cfg=ecslint_pytest_lsp");
    }
}

/// tests/rule_fixtures.rs: one `#[test]` per `testdata/rules/<ID>/` directory, so a failure
/// names its rule (and `cargo test --test rule_fixtures ecs207` runs one rule's fixtures).
fn rule_fixture_tests() {
    println!("cargo::rerun-if-changed=testdata/rules");
    let mut ids: Vec<String> = std::fs::read_dir("testdata/rules")
        .map(|dir| {
            dir.filter_map(Result::ok)
                .filter(|e| e.path().is_dir())
                .filter_map(|e| e.file_name().into_string().ok())
                .collect()
        })
        .unwrap_or_default();
    ids.sort();
    let mut out = String::new();
    for id in ids {
        let ident: String = id
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .collect();
        out.push_str(&format!(
            "#[test]\nfn {ident}() {{\n    check_rule({id:?});\n}}\n"
        ));
    }
    let dest =
        std::path::Path::new(&std::env::var("OUT_DIR").unwrap()).join("rule_fixture_tests.rs");
    std::fs::write(dest, out).unwrap();
}
