//! Compile-time behaviour of `#[reqleak::check]`: misuse is a clear error at the culprit token,
//! and every supported function shape compiles.

#[test]
fn check_attribute() {
    let t = trybuild::TestCases::new();
    t.compile_fail("trybuild/fail/*.rs");
    t.pass("trybuild/pass/*.rs");
}
