//! Every function shape the attribute supports.

use std::future::Future;

#[reqleak::check]
fn sync_free(client: &reqwest::blocking::Client, url: &str) -> reqwest::Result<String> {
    client.get(url).send()?.text()
}

#[reqleak::check(strict)]
async fn async_free(client: &reqwest::Client, url: &str) -> Result<String, reqwest::Error> {
    let resp = client.get(url).send().await?.error_for_status()?;
    resp.text().await
}

#[reqleak::check(mode = "log")]
async fn returns_response(client: &reqwest::Client, url: &str) -> reqwest::Result<reqwest::Response> {
    client.get(url).send().await
}

#[reqleak::check]
fn generic<T: Clone, I: IntoIterator<Item = T>>(items: I) -> Vec<T> {
    items.into_iter().collect()
}

#[reqleak::check]
async fn generic_async<F: Future<Output = T>, T: Send>(fut: F, tx: tokio::sync::mpsc::Sender<T>) {
    tx.send(fut.await).await.ok();
}

#[reqleak::check]
fn question_mark(s: &str) -> Result<u8, Box<dyn std::error::Error>> {
    Ok(s.parse::<u8>()?)
}

#[reqleak::check]
fn impl_trait(n: u32) -> impl Iterator<Item = u32> {
    (0..n).map(|i| i * 2)
}

#[reqleak::check]
fn closures_and_blocks(client: reqwest::Client, url: String) -> std::thread::JoinHandle<()> {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    std::thread::spawn(move || {
        rt.block_on(async move {
            let _ = client.get(&url).send().await;
        })
    })
}

struct Api {
    client: reqwest::Client,
    last: Option<reqwest::Response>,
}

impl Api {
    #[reqleak::check]
    async fn method(&self, url: &str) -> reqwest::Result<reqwest::Response> {
        self.client.get(url).send().await
    }

    #[reqleak::check]
    async fn method_mut(&mut self, url: &str) -> &mut Option<reqwest::Response> {
        self.last = self.client.get(url).send().await.ok();
        &mut self.last
    }

    #[reqleak::check]
    fn borrow_mut(&mut self) -> &mut reqwest::Client {
        &mut self.client
    }

    #[reqleak::check]
    fn by_value(self) -> Option<reqwest::Response> {
        self.last
    }
}

trait Fetch {
    fn fetch(&self) -> usize;
}

impl Fetch for Api {
    #[reqleak::check]
    fn fetch(&self) -> usize {
        std::mem::size_of_val(&self.client)
    }
}

#[test]
#[reqleak::check]
fn sync_test() {}

#[reqleak::check]
#[test]
fn sync_test_below() {}

#[tokio::test]
#[reqleak::check]
async fn tokio_test_above() {}

#[reqleak::check]
#[tokio::test]
async fn tokio_test_below() -> Result<(), reqwest::Error> {
    Ok(())
}

fn main() {
    let _ = (sync_free, generic::<u8, Vec<u8>>, question_mark, impl_trait, closures_and_blocks);
    let _ = async_free;
    let _ = returns_response;
    let _ = generic_async::<std::future::Ready<u8>, u8>;
    let _ = Api::method;
    let _ = Api::method_mut;
    let _ = Api::borrow_mut;
    let _ = Api::by_value;
    let _ = <Api as Fetch>::fetch;
}
