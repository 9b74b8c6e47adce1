// Miss cause 11: a same-crate status checker hands the response back on success
// (`check_response(r) -> Result<Response, _>`), called as a method through a field
// (`self.hf_client.check_response(..)`). The caller discards what it returns (hf-hub
// repository/mod.rs:1151, 1185: the repo-info JSON is never read) or reads it after an unread
// 409 exit (mod.rs:946, buckets/mod.rs:994). Today passing the response to the helper counts as
// a release and a method reached through a field is not resolved; with summaries the helper is a
// pass-through (returns its parameter on one path, reads it on the other). Its return type is
// written through the crate's own alias `HFResult<Response>`, which is not recognised as
// `Result<Response, _>` today.
use reqwest::{Client, Response, StatusCode};
pub type HFResult<T> = Result<T, String>;
pub struct HfClient { http: Client }
impl HfClient {
    pub async fn check_response(&self, response: Response) -> HFResult<Response> {
        if response.status().is_success() {
            return Ok(response);
        }
        Err(response.text().await.unwrap_or_default())
    }
}
pub struct Repo { hf_client: HfClient, url: String }
impl Repo {
    pub async fn exists(&self) -> Result<bool, String> {
        let response = self.hf_client.http.get(&self.url).send().await.map_err(|e| e.to_string())?;
        if response.status() == StatusCode::NOT_FOUND {
            return Ok(false);
        }
        self.hf_client.check_response(response).await?; //~ unconsumed_response
        Ok(true)
    }
    pub async fn create(&self, exist_ok: bool) -> Result<String, String> {
        let response = self.hf_client.http.post(&self.url).send().await.map_err(|e| e.to_string())?; //~ response_unread_on_early_exit
        if response.status().as_u16() == 409 && exist_ok {
            return Ok(self.url.clone()); // the 409 body is dropped unread
        }
        let response = self.hf_client.check_response(response).await?;
        response.text().await.map_err(|e| e.to_string())
    }
}
