// await_holding_response on shapes from published crates (docs/review.md, "Causes").


mod generic_bound_retry {
    // Miss cause 7: the response type is only in a generic bound; a transient 5xx is held across the
    // back-off sleep and dropped unread (hf-hub retry.rs:143; async-openai middleware/retry/openai.rs:161
    // with `S: tower::Service<_, Response = Response>`).
    use std::future::Future;
    use reqwest::Response;
    pub async fn retry<F, Fut>(mut f: F) -> Result<Response, reqwest::Error>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<Response, reqwest::Error>>,
    {
        loop {
            let result = f().await; //~ await_holding_response
            let transient = matches!(&result, Ok(r) if r.status().is_server_error());
            if !transient {
                return result;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }
}

mod middleware_next_run {
    // Miss cause 8: a retry middleware: `next.run(..)` is a source only through reqwest-middleware's
    // signature (reqwest-retry middleware.rs:157). Needs the built-in table / dependency index.
    use reqwest_middleware::{Middleware, Next, Result};
    use reqwest::{Request, Response};
    use http::Extensions;
    pub struct Retry;
    #[async_trait::async_trait]
    impl Middleware for Retry {
        async fn handle(&self, req: Request, ext: &mut Extensions, next: Next<'_>) -> Result<Response> {
            loop {
                let duplicate = req.try_clone().unwrap();
                let result = next.clone().run(duplicate, ext).await; //~ await_holding_response
                if matches!(&result, Ok(r) if r.status().is_server_error()) {
                    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                    continue;
                }
                break result;
            }
        }
    }
}

mod tuple_in_boxfuture {
    // Miss cause 9: a same-crate function returns the response inside a tuple inside a BoxFuture;
    // the caller destructures it and holds it, unread, across the whole ranged download
    // (http-downloader downloader.rs:470).
    use futures_util::future::{BoxFuture, FutureExt};
    fn request<'a>(client: &'a reqwest::Client, url: &'a str) -> BoxFuture<'a, Result<(reqwest::Response, Option<String>), reqwest::Error>> {
        async move { Ok((client.get(url).send().await?, None)) }.boxed()
    }
    async fn download_ranges(client: &reqwest::Client, url: &str) -> Result<(), reqwest::Error> {
        client.get(url).header("Range", "bytes=0-1023").send().await?.bytes().await?;
        Ok(())
    }
    pub async fn start(client: &reqwest::Client, url: &str, ranged: bool) -> Result<u64, reqwest::Error> {
        let (response, _location) = match request(client, url).await { //~ await_holding_response
            Ok(r) => r,
            Err(e) => return Err(e),
        };
        let len = response.content_length().unwrap_or(0);
        if ranged {
            download_ranges(client, url).await?; // the full-file GET is still alive and unread
            return Ok(len);
        }
        Ok(response.bytes().await?.len() as u64)
    }
}

pub mod local_fs_await {
    // FP cause 9 (debatable): a short local await that prepares the sink, between receiving the
    // response and reading it (async-openai download.rs:47: `tokio::fs::create_dir_all(..).await`).
    // Nothing waits on the connection. Proposal: `tokio::fs::*` awaits are not "unrelated waits".
    pub async fn download(url: &str, dir: &std::path::Path) -> Result<(), Box<dyn std::error::Error>> {
        let client = reqwest::Client::new(); //~ client_per_call
        let response = client.get(url).send().await?; // silent: not an exit taken on a failure status that makes an error of it
        tokio::fs::create_dir_all(dir).await?; // preparing the sink: silent (proposal)
        tokio::fs::write(dir.join("f"), response.bytes().await?).await?;
        Ok(())
    }
}

mod tower_service_retry {
    // async-openai's retry layer: `S::Future` of a `Service<_, Response = Response>` is a
    // response future; a 429 response is held across the back-off sleep.
    use reqwest::Response;

    pub async fn retry_request<S>(
        mut service: S,
        first_attempt: S::Future, //~ await_holding_response
        request: String,
    ) -> Result<Response, String>
    where
        S: tower::Service<String, Response = Response, Error = String>,
    {
        use tower::ServiceExt;
        let mut result = first_attempt.await;
        loop {
            match result {
                Ok(response) if response.status().as_u16() == 429 => {
                    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                    drop(response);
                    result = service.ready().await?.call(request.clone()).await; //~ await_holding_response
                }
                other => return other,
            }
        }
    }
}
