//! Responses that go through the SDK's checker and retry helper: the index says what each
//! does with what it is given (`check` hands the response back only on success, `Retry::unsent`
//! returns the response to the request its closure makes).

use reqwest::Method;
use sdk::{check, Error, Retry};

pub struct Jobs {
    http: reqwest::Client,
    retry: Retry,
}

impl Jobs {
    /// A PUT whose success `check` confirmed: a write's answer, nothing to read.
    pub async fn cancel(&self, url: &str) -> Result<(), Error> {
        let response = self.http.put(url).send().await?;
        check(response).await?;
        Ok(())
    }

    /// The same PUT, made by the retry helper's closure.
    pub async fn cancel_with_retry(&self, url: &str) -> Result<(), Error> {
        let response = self.retry.unsent(|| self.http.put(url).send()).await?;
        check(response).await?;
        Ok(())
    }

    /// A GET whose body is what it is sent for, checked and dropped unread.
    pub async fn touch(&self, url: &str) -> Result<(), Error> {
        let response = self.retry.unsent(|| self.http.get(url).send()).await?; // FLAGGED
        check(response).await?;
        Ok(())
    }

    fn log_request(&self, method: Method, url: &str) -> reqwest::RequestBuilder {
        self.http.request(method, url).header("accept", "text/plain")
    }

    /// A HEAD through the helper with a `Method` parameter and the retry helper: only its
    /// length is wanted, and it has no body.
    pub async fn log_size(&self, url: &str) -> Result<Option<u64>, Error> {
        let head = self.retry.unsent(|| self.log_request(Method::HEAD, url).send()).await?;
        Ok(check(head).await?.content_length())
    }

    /// The same made as a GET: the whole log is sent for its length.
    pub async fn log_size_by_get(&self, url: &str) -> Result<Option<u64>, Error> {
        let response = self.retry.unsent(|| self.log_request(Method::GET, url).send()).await?; // FLAGGED
        Ok(check(response).await?.content_length())
    }
}
