// FP cause 1: test code is analyzed. `#[cfg(test)]` modules, `#[tokio::test]` functions and
// files under tests/ (45 of today's 74 default findings). Mock bodies cost nothing.
// Expected (spec, target selection): silent by default; flagged only with --tests/--all-targets.
#[cfg(test)]
mod test {
    #[tokio::test]
    async fn caches() -> Result<(), reqwest::Error> {
        let client = reqwest::Client::new();
        client.get("http://127.0.0.1:1/").send().await?; // only with --tests: //~ unconsumed_response
        Ok(())
    }
}
