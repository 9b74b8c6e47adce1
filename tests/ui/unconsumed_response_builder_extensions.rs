//@ lints: unconsumed_response
// A trait of the crate implemented for reqwest's `RequestBuilder` (an extension: `custom_send`)
// takes the builder as `self`, as a wrapper's method does: the response it hands back answers
// the builder's method, and its summary says whether it checked the status. A write it sends
// and checks has nothing left to read; a GET it hands back still has its body.

use reqwest::{RequestBuilder, Response, StatusCode};

pub enum Error {
    Http(reqwest::Error),
    Gone,
}

impl From<reqwest::Error> for Error {
    fn from(e: reqwest::Error) -> Self {
        Error::Http(e)
    }
}

pub(crate) trait CustomSend {
    async fn custom_send(self) -> Result<Response, Error>;
    async fn raw_send(self) -> Result<Response, Error>;
}

impl CustomSend for RequestBuilder {
    // Hands the response back only on a success status.
    async fn custom_send(self) -> Result<Response, Error> {
        Ok(deprecated(self.send().await?)?.error_for_status()?)
    }

    // Hands it back whatever the status.
    async fn raw_send(self) -> Result<Response, Error> {
        Ok(self.send().await?)
    }
}

fn deprecated(response: Response) -> Result<Response, Error> {
    if response.status() == StatusCode::GONE {
        drop(response);
        Err(Error::Gone)
    } else {
        Ok(response)
    }
}

pub struct Api {
    client: reqwest::Client,
}

impl Api {
    // ------------------------------------------------------------ silent

    // A DELETE whose success the extension checked.
    pub async fn delete_icon(&self, url: &str) -> Result<(), Error> {
        self.client.delete(url).custom_send().await?;
        Ok(())
    }

    // A PATCH, through a binding.
    pub async fn edit(&self, url: &str, body: String) -> Result<(), Error> {
        let request = self.client.patch(url).body(body);
        request.custom_send().await?;
        Ok(())
    }

    // A GET whose body is read.
    pub async fn project(&self, url: &str) -> Result<String, Error> {
        Ok(self.client.get(url).custom_send().await?.text().await?)
    }

    // ------------------------------------------------------------ flagged

    // A GET: its body is what the request was sent for.
    pub async fn touch(&self, url: &str) -> Result<(), Error> {
        self.client.get(url).custom_send().await?; //~ unconsumed_response
        Ok(())
    }

    // A DELETE whose status nothing checked.
    pub async fn delete_unchecked(&self, url: &str) -> Result<(), Error> {
        self.client.delete(url).raw_send().await?; //~ unconsumed_response
        Ok(())
    }
}
