//@ lints: await_holding_response
// In blocking code, a call of a function of the crate that sends a request or blocks the
// thread (its summary says so, through any depth of calls) holds an unread response as a
// request made in place would. A request made by a callable parameter (`build()`) is a request.

use std::time::Duration;

use reqwest::blocking::{Client, RequestBuilder, Response};
use reqwest::StatusCode;

pub struct Api {
    http: Client,
    token: String,
    delay_ms: Option<u64>,
}

impl Api {
    fn refresh_token(&self) -> reqwest::Result<String> {
        self.http.post("https://auth.example/token").send()?.text()
    }

    // Blocks through another function of the crate.
    fn reauthenticate(&mut self) -> reqwest::Result<()> {
        self.token = self.refresh_token()?;
        Ok(())
    }

    fn pause(&self) {
        if let Some(ms) = self.delay_ms {
            std::thread::sleep(Duration::from_millis(ms));
        }
    }

    // Neither sends nor blocks.
    fn count(&self, res: &Response) -> usize {
        res.headers().len() + self.token.len()
    }

    // ------------------------------------------------------------ flagged

    // A retry that refreshes the token while the 401 is unread.
    pub fn events(&mut self) -> reqwest::Result<String> {
        for _ in 0..3 {
            let res = self.http.get("https://api.example/events").send()?; //~ await_holding_response
            if res.status() == StatusCode::UNAUTHORIZED {
                self.reauthenticate()?;
                continue;
            }
            return res.text();
        }
        Ok(String::new())
    }

    // A pause after a write, the response handed back unread.
    pub fn edit(&self, body: String) -> reqwest::Result<Response> {
        let res = self.http.post("https://api.example/edit").body(body).send()?; //~ await_holding_response
        self.pause();
        Ok(res)
    }

    // A request made by the callable it is given, held across a back-off.
    pub fn send_waiting(&self, build: impl Fn() -> RequestBuilder) -> reqwest::Result<Response> {
        loop {
            let res = build().send()?; //~ await_holding_response
            if res.status() == StatusCode::TOO_MANY_REQUESTS {
                std::thread::sleep(Duration::from_secs(1));
                continue;
            }
            return Ok(res);
        }
    }

    // ------------------------------------------------------------ silent

    // The body is read before the token is refreshed.
    pub fn events_read(&mut self) -> reqwest::Result<String> {
        let res = self.http.get("https://api.example/events").send()?;
        let status = res.status();
        let text = res.text()?;
        if status == StatusCode::UNAUTHORIZED {
            self.reauthenticate()?;
        }
        Ok(text)
    }

    // A function that neither sends nor blocks.
    pub fn sized(&self) -> reqwest::Result<(usize, String)> {
        let res = self.http.get("https://api.example/events").send()?;
        let n = self.count(&res);
        Ok((n, res.text()?))
    }
}
