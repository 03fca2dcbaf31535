//! `docs/error-codes.md` is rendered from the catalogue in `crm-core/src/error/code.rs`; this
//! test fails when they drift. Regenerate with `UPDATE_DOCS=1 cargo test -p crm-core --test error_catalogue`.

use crm_core::ErrorCode;

#[test]
fn docs_list_every_code() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/error-codes.md");
    let expected = ErrorCode::catalogue_markdown();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(path, &expected).unwrap_or_else(|e| panic!("cannot write {path}: {e}"));
    }
    let actual = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        actual == expected,
        "docs/error-codes.md is out of date; run UPDATE_DOCS=1 cargo test -p crm-core --test error_catalogue"
    );
}
