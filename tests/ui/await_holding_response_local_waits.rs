// await_holding_response: an await on a function of the crate whose summary says it waits only
// on the local disk (its awaits are `tokio::fs` work), or never suspends, pins nothing while a
// response is held before it is read; so does an await on a method of a local bound to a local
// file (`file.seek(..).await`, `file.set_len(..).await`). Look-alikes: a helper that sends a request, sleeps, or
// awaits through a macro the walk cannot see into is still an unrelated wait.

use std::path::Path;

use reqwest::Client;
use tokio::io::{AsyncSeekExt, AsyncWriteExt};

#[derive(Debug)]
enum Error {
    Http(reqwest::Error),
    Io(std::io::Error),
}

impl From<reqwest::Error> for Error {
    fn from(error: reqwest::Error) -> Self {
        Error::Http(error)
    }
}

impl From<std::io::Error> for Error {
    fn from(error: std::io::Error) -> Self {
        Error::Io(error)
    }
}

// Only local file work, through another local helper: names nothing of reqwest.
async fn open_output(path: &Path) -> std::io::Result<tokio::fs::File> {
    if tokio::fs::metadata(path).await.is_ok() {
        remove_stale(path).await?;
    }
    tokio::fs::File::create(path).await
}

async fn remove_stale(path: &Path) -> std::io::Result<()> {
    tokio::fs::remove_file(path).await
}

// An `async fn` with no await at all never suspends.
async fn label(path: &Path) -> String {
    path.display().to_string()
}

// Waits on a timer: another party's time, not the disk.
async fn pause() {
    tokio::time::sleep(std::time::Duration::from_millis(10)).await;
}

// Sends a request of its own.
async fn notify(client: &Client, url: &str) -> Result<(), Error> {
    client.post(url).send().await?.text().await?;
    Ok(())
}

// Awaits through a macro the walk cannot see into.
async fn both(path: &Path) -> std::io::Result<()> {
    let (a, b) = tokio::join!(tokio::fs::metadata(path), pause_io());
    a.map(|_| ()).and(b)
}

async fn pause_io() -> std::io::Result<()> {
    Ok(())
}

// ---------------------------------------------------------------- silent

async fn download(client: &Client, url: &str, path: &Path) -> Result<(), Error> {
    let resp = client.get(url).send().await?.error_for_status()?;
    let mut file = open_output(path).await?;
    let name = label(path).await;
    let bytes = resp.bytes().await?;
    file.write_all(&bytes).await?;
    println!("{name}");
    Ok(())
}

// The file opened and positioned before the body is streamed into it.
async fn resume(client: &Client, url: &str, path: &Path, at: u64) -> Result<(), Error> {
    let resp = client.get(url).send().await?.error_for_status()?;
    let mut file = tokio::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .await?;
    file.seek(std::io::SeekFrom::Start(at)).await?;
    let bytes = resp.bytes().await?;
    file.write_all(&bytes).await?;
    Ok(())
}

// ---------------------------------------------------------------- flagged

// A local shadowed by something else than a file: its await is another wait.
async fn resume_then_notify(client: &Client, url: &str, path: &Path, hook: &str) -> Result<(), Error> {
    let resp = client.get(url).send().await?.error_for_status()?; //~ await_holding_response
    let file = tokio::fs::File::create(path).await?;
    drop(file);
    let file = client.clone();
    file.post(hook).send().await?.error_for_status()?;
    tokio::fs::write(path, resp.bytes().await?).await?;
    Ok(())
}

async fn download_slowly(client: &Client, url: &str, path: &Path) -> Result<(), Error> {
    let resp = client.get(url).send().await?.error_for_status()?; //~ await_holding_response
    pause().await;
    let bytes = resp.bytes().await?;
    tokio::fs::write(path, &bytes).await?;
    Ok(())
}

async fn download_and_tell(client: &Client, url: &str, hook: &str) -> Result<Vec<u8>, Error> {
    let resp = client.get(url).send().await?.error_for_status()?; //~ await_holding_response
    notify(client, hook).await?;
    Ok(resp.bytes().await?.to_vec())
}

async fn download_checked(client: &Client, url: &str, path: &Path) -> Result<Vec<u8>, Error> {
    let resp = client.get(url).send().await?.error_for_status()?; //~ await_holding_response
    both(path).await?;
    Ok(resp.bytes().await?.to_vec())
}
