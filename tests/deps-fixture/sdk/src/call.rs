/// A request of the SDK, before it is sent.
pub struct Call {
    inner: reqwest::RequestBuilder,
}

impl Call {
    pub(crate) fn new(inner: reqwest::RequestBuilder) -> Self {
        Call { inner }
    }

    /// Adds a header.
    pub fn header(self, name: &str, value: &str) -> Self {
        Call {
            inner: self.inner.header(name, value),
        }
    }

    /// Sends the request.
    pub async fn send(self) -> Result<reqwest::Response, crate::Error> {
        Ok(self.inner.send().await?)
    }
}
