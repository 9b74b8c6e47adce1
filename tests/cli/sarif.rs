//! Validation of SARIF logs against the official schema (`sarif-schema-2.1.0.json` beside this
//! file), shared by the tests that read reqleak's SARIF output.

/// Asserts that `log` is valid SARIF 2.1.0 (and that the validator rejects a broken log).
pub fn validate(log: &serde_json::Value) {
    // The official schema's two `language` patterns have a stray `]`
    // (`^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$`), which the validator's meta-schema check
    // rejects as a regex; reqleak never writes `language`, so the pattern is replaced in
    // memory by the one the spec describes (the file stays verbatim).
    const BROKEN: &str = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";
    let text = include_str!("sarif-schema-2.1.0.json");
    assert_eq!(text.matches(BROKEN).count(), 2);
    let text = text.replace(BROKEN, "^[a-zA-Z]{2}(-[a-zA-Z]{2})?$");
    let schema: serde_json::Value = serde_json::from_str(&text).expect("schema is JSON");
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "invalid SARIF: {errors:#?}");
    // And the validator does reject what is not SARIF.
    let mut broken = log.clone();
    broken["runs"][0]["results"] = serde_json::json!([{"level": "fatal"}]);
    assert!(!validator.is_valid(&broken));
}
