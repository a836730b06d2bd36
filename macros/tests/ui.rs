//! Compile-fail cases that need askui-runtime WITHOUT its `blocking` feature, which the
//! tests crate enables: trybuild builds them with this crate's dev-dependencies.
#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
