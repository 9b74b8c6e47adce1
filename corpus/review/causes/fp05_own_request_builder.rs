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
