#[reqleak::check]
struct Client {
    inner: reqwest::Client,
}

fn main() {}
