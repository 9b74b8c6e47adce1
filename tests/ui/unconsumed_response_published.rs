// unconsumed_response on shapes from published crates (docs/review.md, "Causes"): each module
// reproduces one real finding the analysis must make, or one false positive it must not.


mod head_in_closure {
    // FP cause 2: a HEAD built inside a closure handed to a same-crate retry helper (hf-hub
    // repository/mod.rs:1217). The HEAD response is held across another request, but it has no body.
    use reqwest::{Client, Response};
    async fn retry<F, Fut>(mut f: F) -> Result<Response, reqwest::Error>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<Response, reqwest::Error>>,
    {
        f().await
    }
    async fn revision_exists(client: &Client, url: &str) -> Result<bool, reqwest::Error> {
        Ok(client.get(url).send().await?.text().await?.len() > 2)
    }
    pub async fn file_exists(client: &Client, url: &str) -> Result<bool, reqwest::Error> {
        let response = retry(|| client.head(url).send()).await?; // HEAD: must stay silent
        if response.status() == reqwest::StatusCode::NOT_FOUND {
            return Ok(!revision_exists(client, url).await?);
        }
        Ok(true)
    }
}

mod head_request_new {
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
}

mod own_request_builder {
    // FP cause 5: a same-crate method named `request` returning the crate's OWN builder, whose
    // `send()` returns the crate's own response type (object_store aws/client.rs:646, gcp/client.rs:570).
    // Name-based chain detection (`.request(..)` .. `.send()`) takes it for reqwest.
    pub struct HttpResponse;
    pub struct Request<'a>(&'a S3Client);
    impl Request<'_> {
        pub async fn send(self) -> Result<HttpResponse, ()> { Ok(HttpResponse) }
    }
    pub struct S3Client;
    impl S3Client {
        fn request(&self, _method: http::Method, _path: &str) -> Request<'_> { Request(self) }
        pub async fn delete_request(&self, path: &str) -> Result<(), ()> {
            self.request(http::Method::DELETE, path).send().await?; // not reqwest: silent
            Ok(())
        }
    }
}

mod empty_success_body {
    // FP cause 6: the success response of a write is discarded after its status was checked
    // (rustic_backend rest.rs:445/477/506; atuin-client api_client.rs:522/534/596/615). The
    // servers answer these with empty bodies; statically undecidable. Proposal: a response
    // discarded right after `error_for_status()?` (or a same-crate status checker that hands it
    // back) on POST/PUT/PATCH/DELETE is a deliberate discard: silent (or pedantic).
    pub fn remove(client: &reqwest::blocking::Client, url: &str) -> Result<(), reqwest::Error> {
        _ = client.delete(url).send()?.error_for_status()?; // deliberate: silent (proposal)
        Ok(())
    }
    pub async fn ping(client: &reqwest::Client, url: &str) -> Result<String, reqwest::Error> {
        // InfluxDB answers GET /ping with 204: undecidable, stays a finding (accept or suppress)
        let res = client.get(url).send().await?; //~ unconsumed_response
        Ok(res.headers().get("X-Influxdb-Version").map(|v| v.to_str().unwrap_or("").to_owned()).unwrap_or_default())
    }
}

mod error_manufacturing {
    // FP cause 7: `client.get("").send()` only manufactures a reqwest::Error (the empty URL fails
    // in the builder; nothing is sent) (monolith net.rs:155, session.rs:195). It is neither a
    // response nor "another request" for await_holding_response.
    pub fn fetch(client: &reqwest::blocking::Client, url: &str) -> Result<Vec<u8>, reqwest::Error> {
        if url.starts_with("file:") {
            client.get("").send()?; // cannot succeed: silent
        }
        let response = client.get(url).send()?; //~ error_body_dropped
        if response.status() != reqwest::StatusCode::OK {
            return Err(client.get("").send().unwrap_err()); // not another request
        }
        Ok(response.bytes()?.to_vec())
    }
}

mod passthrough_helper {
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
            let response = self.hf_client.http.get(&self.url).send().await.map_err(|e| e.to_string())?; //~ unconsumed_response
            if response.status() == StatusCode::NOT_FOUND {
                return Ok(false);
            }
            self.hf_client.check_response(response).await?;
            Ok(true)
        }
        pub async fn create(&self, exist_ok: bool) -> Result<String, String> {
            let response = self.hf_client.http.post(&self.url).send().await.map_err(|e| e.to_string())?; // silent: not an exit taken on a failure status that makes an error of it
            if response.status().as_u16() == 409 && exist_ok {
                return Ok(self.url.clone()); // the 409 body is dropped unread
            }
            let response = self.hf_client.check_response(response).await?;
            response.text().await.map_err(|e| e.to_string())
        }
    }
}

mod wrapper_struct_send {
    // Miss cause 12: the crate's own wrapper `Response { inner: reqwest::Response }` returned by its
    // own `RequestBuilder::send(self, bool)` (an argument, so not a source by name); a GET is made only
    // to test the status and dropped unread (binstalk-downloader remote.rs:375).
    pub struct Response { inner: reqwest::Response }
    impl Response {
        pub fn status(&self) -> reqwest::StatusCode { self.inner.status() }
        pub async fn bytes(self) -> Result<bytes::Bytes, reqwest::Error> { self.inner.bytes().await }
    }
    pub struct RequestBuilder { inner: reqwest::RequestBuilder }
    impl RequestBuilder {
        pub async fn send(self, error_for_status: bool) -> Result<Response, reqwest::Error> {
            let inner = self.inner.send().await?;
            Ok(Response { inner: if error_for_status { inner.error_for_status()? } else { inner } })
        }
    }
    pub struct Client(reqwest::Client);
    impl Client {
        pub fn get(&self, url: &str) -> RequestBuilder { RequestBuilder { inner: self.0.get(url) } }
        pub async fn remote_gettable(&self, url: &str) -> Result<bool, reqwest::Error> {
            Ok(self.get(url).send(false).await?.status().is_success()) //~ unconsumed_response
        }
    }
}

mod future_adapters {
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
}
