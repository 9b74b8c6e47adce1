// This file never names the HTTP crate: every type comes from client.rs.
use crate::Client;
impl Client {
    pub async fn json_query(&self) -> Result<Vec<u8>, String> {
        let res = self.client.get(format!("{}/query", self.url)).send().await.map_err(|e| e.to_string())?; //~ error_body_dropped
        if !res.status().is_success() {
            return Err(res.status().to_string());
        }
        Ok(res.bytes().await.map_err(|e| e.to_string())?.to_vec())
    }
    pub async fn exists(&self) -> Result<bool, String> {
        let response = self.client.get(&self.url).send().await.map_err(|e| e.to_string())?; //~ unconsumed_response
        if response.status().as_u16() == 404 {
            return Ok(false);
        }
        self.check_response(response).await?; // what it hands back on success is dropped
        Ok(true)
    }
}
