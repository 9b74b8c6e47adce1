// unconsumed_response through the whole request vocabulary: unknown methods between a known
// request start and the final `.send()` are builder extensions (`with_extension`, another
// crate's trait on `RequestBuilder`); a client made by `Client::builder()...build()` sends with
// `execute(request)`. Look-alikes: a channel's `send(v)`, `sqlx::query(..).execute(&pool)`,
// and other crates' builders that end in `.send()`.

mod builder_extensions {
    use reqwest_middleware::ClientWithMiddleware;

    #[derive(Clone)]
    pub struct Attempt(pub u32);

    // reqwest-middleware's `with_extension`, between `get(url)` and `send()`.
    pub async fn tagged(client: &ClientWithMiddleware, url: &str) -> reqwest_middleware::Result<()> {
        client.get(url).with_extension(Attempt(1)).send().await?; //~ unconsumed_response
        Ok(())
    }

    // Several extensions (another crate's trait on `RequestBuilder`) and steps, on reqwest's
    // own client.
    pub async fn traced(client: &reqwest::Client, url: &str) -> reqwest::Result<()> {
        client //~ unconsumed_response
            .post(url)
            .with_trace_id("abc")
            .header("x-a", "1")
            .with_retry_budget(3)
            .send()
            .await?;
        Ok(())
    }

    // The builder kept in a variable, extended, then sent.
    pub async fn in_steps(client: &reqwest::Client, url: &str) -> reqwest::Result<()> {
        let request = client.get(url).with_trace_id("abc");
        let request = request.timeout(std::time::Duration::from_secs(5));
        request.send().await?; //~ unconsumed_response
        Ok(())
    }

    // Read: silent.
    pub async fn read(client: &ClientWithMiddleware, url: &str) -> reqwest_middleware::Result<String> {
        Ok(client.get(url).with_extension(Attempt(1)).send().await?.text().await?)
    }
}

pub mod built_client_execute {
    use reqwest::redirect::Policy;

    // `Client::builder().redirect(..).build()` is a client; its `execute(request)` sends.
    pub async fn no_redirects(url: &str) -> reqwest::Result<()> {
        let client = reqwest::Client::builder().redirect(Policy::none()).build()?; //~ client_per_call
        let request = client.get(url).build()?;
        client.execute(request).await?; //~ unconsumed_response
        Ok(())
    }

    // The same, blocking, its body read: silent.
    pub fn read(client: &reqwest::blocking::Client, url: &str) -> reqwest::Result<String> {
        let request = client.get(url).build()?;
        client.execute(request)?.text()
    }

    // A built request handed to a client held in a struct.
    pub struct Api {
        http: reqwest::Client,
    }

    impl Api {
        pub async fn ping(&self, url: &str) -> reqwest::Result<()> {
            let request = self.http.get(url).build()?;
            self.http.execute(request).await?; //~ unconsumed_response
            Ok(())
        }
    }
}

mod look_alikes {
    // A channel's `send(v)`: not a request.
    pub fn notify(tx: &std::sync::mpsc::Sender<String>, url: &str) {
        let _ = tx.send(url.to_owned());
    }

    // A tokio channel, in a file that mentions reqwest.
    pub async fn notify_async(tx: &tokio::sync::mpsc::Sender<u32>) {
        let _ = tx.send(1).await;
    }

    // sqlx's `execute(&pool)`: not a client's `execute(request)`.
    pub async fn insert(pool: &sqlx::PgPool) -> Result<(), sqlx::Error> {
        sqlx::query("INSERT INTO t VALUES (1)").execute(pool).await?;
        Ok(())
    }

    // The AWS SDK's fluent builders end in `.send()` too.
    pub async fn upload(s3: &aws_sdk_s3::Client) -> Result<(), aws_sdk_s3::Error> {
        s3.put_object().bucket("b").key("k").send().await?;
        Ok(())
    }

    // awc (actix-web's client): `get(url)`, an unknown step, `send()`; the client is not
    // reqwest's.
    pub async fn actix(client: &awc::Client, url: &str) {
        let _ = client.get(url).insert_header(("x-a", "1")).send().await;
    }

    // A non-reqwest builder whose start is called `get`, extended, then sent.
    pub async fn cache(store: &Store) {
        store.get("key").with_ttl(5).send().await;
    }

    pub struct Store;
}
