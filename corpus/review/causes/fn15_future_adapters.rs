// Miss cause 15: future adapters between `.send()` and `.await` (`.instrument(span)`,
// `.with_metrics(..)`, `.map_err(..)` on the future) hide the source (pict-rs ingest.rs:222).
use tracing::Instrument;
pub async fn validate(client: &reqwest::Client, url: &str) -> Result<(), String> {
    let response = client //~ unconsumed_response
        .post(url)
        .send()
        .instrument(tracing::info_span!("external-validation"))
        .await
        .map_err(|e| e.to_string())?;
    if !response.status().is_success() {
        return Err("validation failed".into());
    }
    Ok(())
}
