/// Shares its name with `sdk::download` and returns no response.
pub async fn download(path: &str) -> usize {
    path.len()
}
