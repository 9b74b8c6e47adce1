// FP cause 3: HEAD through `Request::new(Method::HEAD, url)` given to a same-crate sender
// (binstalk-downloader remote.rs:339).
use reqwest::{Client, Method, Request, Response, StatusCode, Url};
struct Remote(Client);
impl Remote {
    async fn send_request(&self, req: Request) -> Result<Response, reqwest::Error> {
        self.0.execute(req).await
    }
    pub async fn head_or_get(&self, url: Url) -> Result<Response, reqwest::Error> {
        let res = self.send_request(Request::new(Method::HEAD, url.clone())).await; // HEAD: silent
        match res {
            Ok(r) if r.status() == StatusCode::METHOD_NOT_ALLOWED => {
                self.send_request(Request::new(Method::GET, url)).await
            }
            res => res,
        }
    }
}
