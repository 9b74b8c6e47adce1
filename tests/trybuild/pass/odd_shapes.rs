//! Function shapes and bodies beyond `shapes.rs`: every one must compile (and behave) as it does
//! without the attribute.
#![deny(warnings)]
#![allow(dead_code)]

use std::future::Future;
use std::sync::Arc;

// ---- signatures ----------------------------------------------------------------------------

#[reqleak::check]
fn borrowed_out<'a>(x: &'a mut Vec<u8>) -> &'a mut u8 {
    x.push(1);
    &mut x[0]
}

#[reqleak::check]
fn elided_borrow(x: &[u8]) -> &u8 {
    &x[0]
}

#[reqleak::check]
fn two_lifetimes<'a, 'b: 'a>(a: &'a str, b: &'b str) -> &'a str {
    if a.len() > b.len() {
        a
    } else {
        b
    }
}

#[reqleak::check]
fn with_where<T, U>(t: T, u: U) -> String
where
    T: std::fmt::Display,
    U: std::fmt::Debug + Clone,
{
    format!("{t} {:?}", u.clone())
}

#[reqleak::check]
fn const_generic<const N: usize>(a: [u8; N]) -> [u8; N] {
    let mut out = [0u8; N];
    out.copy_from_slice(&a);
    out
}

#[reqleak::check]
fn impl_arg(items: impl IntoIterator<Item = u8>, f: impl Fn(u8) -> u8) -> Vec<u8> {
    items.into_iter().map(f).collect()
}

#[reqleak::check]
fn returns_future(
    client: reqwest::Client,
    url: String,
) -> impl Future<Output = reqwest::Result<u16>> {
    async move {
        let resp = client.get(&url).send().await?;
        Ok(resp.status().as_u16())
    }
}

#[reqleak::check]
fn returns_borrowing_iter<'a>(v: &'a [u32]) -> impl Iterator<Item = &'a u32> + 'a {
    v.iter().filter(|x| **x > 1)
}

#[reqleak::check]
fn returns_closure() -> impl Fn(&str) -> &str {
    |s| s.trim()
}

#[reqleak::check]
fn diverges(code: i32) -> ! {
    std::process::exit(code)
}

#[reqleak::check]
fn diverges_by_panic(msg: &str) -> ! {
    panic!("{msg}")
}

#[reqleak::check]
unsafe fn unsafe_fn(p: *const u8) -> u8 {
    *p
}

#[reqleak::check]
#[track_caller]
fn tracked(x: Option<u8>) -> u8 {
    x.unwrap()
}

#[track_caller]
#[reqleak::check]
fn tracked_below() -> &'static std::panic::Location<'static> {
    std::panic::Location::caller()
}

/// Documented.
#[inline]
#[must_use]
#[reqleak::check]
pub(crate) fn decorated(a: u8) -> u8 {
    a + 1
}

#[cfg(not(any()))]
#[reqleak::check]
#[inline(always)]
pub fn cfg_on(a: u8) -> u8 {
    a
}

#[cfg(any())]
#[reqleak::check]
pub fn cfg_off() -> ThisTypeDoesNotExist {}

#[reqleak::check]
#[allow(clippy::needless_return)]
fn early_return(n: u8) -> u8 {
    if n > 3 {
        return n;
    }
    n * 2
}

#[reqleak::check]
async fn early_return_async(
    client: &reqwest::Client,
    url: &str,
    skip: bool,
) -> reqwest::Result<usize> {
    if skip {
        return Ok(0);
    }
    let resp = client.get(url).send().await?;
    Ok(resp.bytes().await?.len())
}

#[reqleak::check]
fn option_question(v: &[u8]) -> Option<u8> {
    let first = v.first()?;
    Some(*first + 1)
}

#[reqleak::check]
fn labeled(v: &[u8]) -> u8 {
    let found = 'outer: {
        for x in v {
            if *x > 2 {
                break 'outer *x;
            }
        }
        0
    };
    let again = 'l: loop {
        break 'l found;
    };
    again
}

#[reqleak::check]
fn let_else(s: &str) -> u8 {
    let Ok(n) = s.parse::<u8>() else {
        return 0;
    };
    n
}

#[reqleak::check]
fn closure_returning_ref(v: &[String]) -> usize {
    let pick = |i: usize| -> &String { &v[i] };
    let first: &str = pick(0);
    first.len()
}

#[reqleak::check]
async fn async_move_closure(client: reqwest::Client, url: String) -> usize {
    let fetch =
        move |u: String| async move { client.get(u).send().await.map(|r| r.status().as_u16()) };
    fetch(url).await.map(usize::from).unwrap_or(0)
}

#[reqleak::check]
fn recursive(n: u64) -> u64 {
    if n < 2 {
        n
    } else {
        recursive(n - 1) + recursive(n - 2)
    }
}

#[reqleak::check]
async fn recursive_async(n: u64) -> u64 {
    if n == 0 {
        0
    } else {
        Box::pin(recursive_async(n - 1)).await + 1
    }
}

#[reqleak::check]
fn macro_rules_inside(v: u8) -> u8 {
    macro_rules! double {
        ($e:expr) => {
            $e * 2
        };
    }
    double!(v)
}

#[reqleak::check]
fn items_inside(v: u8) -> u8 {
    struct Local(u8);
    impl Local {
        fn get(&self) -> u8 {
            self.0
        }
    }
    fn helper(x: u8) -> Local {
        Local(x)
    }
    const K: u8 = 1;
    static S: u8 = 2;
    helper(v).get() + K + S
}

// ---- sources that are not reqwest ----------------------------------------------------------

struct Outbox(Vec<u8>);
impl Outbox {
    fn send(&mut self) -> usize {
        self.0.len()
    }
    async fn send_async(&self) -> usize {
        self.0.len()
    }
}

struct Query(&'static str);
struct Pool;
impl Query {
    async fn execute(self, _pool: &Pool) -> Result<u64, std::io::Error> {
        Ok(self.0.len() as u64)
    }
}

#[reqleak::check]
async fn other_sends(mut out: Outbox, pool: &Pool) -> Result<u64, std::io::Error> {
    let n = out.send();
    let m = out.send_async().await;
    let done = Query("update").execute(pool).await?;
    Ok(done + (n + m) as u64)
}

struct Generic;
impl Generic {
    fn send<T: Default>(&self) -> T {
        T::default()
    }
}

// A `send` whose type is inferred from later code needs it named at the call (see
// fail/generic_send.rs).
#[reqleak::check]
fn generic_send() -> u32 {
    let v = Generic.send::<u32>();
    let w: u32 = Generic::send(&Generic);
    v + w
}

#[reqleak::check]
fn ref_send(b: &mut Builder) -> usize {
    Builder::default().send().flag().0 + b.send().0
}

#[derive(Default)]
struct Builder(usize);
impl Builder {
    fn send(&mut self) -> &mut Self {
        self
    }
    fn flag(&mut self) -> &mut Self {
        self.0 += 1;
        self
    }
}

#[reqleak::check]
fn forget_a_borrow() {
    std::mem::forget(std::convert::identity(&String::new()));
}

// ---- reqwest in odd places -----------------------------------------------------------------

#[reqleak::check]
async fn select_and_join(client: &reqwest::Client, a: &str, b: &str) -> u16 {
    let (ra, rb) = tokio::join!(client.get(a).send(), client.get(b).send());
    let s =
        ra.map(|r| r.status().as_u16()).unwrap_or(0) + rb.map(|r| r.status().as_u16()).unwrap_or(0);
    tokio::select! {
        r = client.get(a).send() => s + r.map(|r| r.status().as_u16()).unwrap_or(0),
        _ = tokio::time::sleep(std::time::Duration::from_secs(5)) => s,
    }
}

#[reqleak::check]
async fn printing_macros(client: &reqwest::Client, url: &str) -> bool {
    let code = stringify!(client.get(url).send().await);
    let resp = dbg!(client.get(url).send().await);
    assert!(resp.is_ok(), "{}", code);
    assert!(
        client.get(url).send().await.is_ok(),
        "{}",
        client.get(url).send().await.is_ok()
    );
    resp.is_ok()
}

#[reqleak::check]
async fn stored_future(client: &reqwest::Client, url: &str) -> reqwest::Result<u16> {
    let pending = client.get(url).send();
    let resp = pending.await?;
    Ok(resp.status().as_u16())
}

#[reqleak::check]
async fn into_url<T: reqwest::IntoUrl>(
    client: &reqwest::Client,
    url: T,
) -> reqwest::Result<bytes::Bytes> {
    client.get(url).send().await?.bytes().await
}

#[reqleak::check]
async fn into_url_get<U: Into<reqwest::Url>>(url: U) -> reqwest::Result<u16> {
    let url: reqwest::Url = url.into();
    Ok(reqwest::get(url).await?.status().as_u16())
}

#[derive(Debug)]
enum AppError {
    Http(reqwest::Error),
    Parse(std::num::ParseIntError),
}
impl From<reqwest::Error> for AppError {
    fn from(e: reqwest::Error) -> Self {
        AppError::Http(e)
    }
}
impl From<std::num::ParseIntError> for AppError {
    fn from(e: std::num::ParseIntError) -> Self {
        AppError::Parse(e)
    }
}

#[reqleak::check]
async fn converted_errors(
    client: &reqwest::Client,
    url: &str,
    n: &str,
) -> Result<reqwest::Response, AppError> {
    let _n: u8 = n.parse()?;
    let resp = client.get(url).send().await?.error_for_status()?;
    Ok(resp)
}

#[reqleak::check]
fn blocking_converted(
    client: &reqwest::blocking::Client,
    url: &str,
) -> Result<reqwest::blocking::Response, AppError> {
    Ok(client.get(url).send()?)
}

// ---- receivers and impls -------------------------------------------------------------------

struct Svc {
    client: reqwest::Client,
    n: u8,
}

impl Svc {
    #[reqleak::check]
    fn boxed(self: Box<Self>) -> u8 {
        self.n
    }

    #[reqleak::check]
    fn arced(self: Arc<Self>) -> u8 {
        self.n
    }

    #[reqleak::check]
    fn mut_self(mut self) -> u8 {
        self.n += 1;
        self.n
    }

    #[reqleak::check]
    async fn async_arc(self: Arc<Self>, url: String) -> reqwest::Result<u16> {
        Ok(self.client.get(url).send().await?.status().as_u16())
    }

    #[reqleak::check]
    fn uses_self_type() -> Self {
        Self {
            client: reqwest::Client::new(),
            n: 0,
        }
    }
}

struct Wrap<T>(T);

impl<T: Clone + Send + 'static> Wrap<T> {
    #[reqleak::check]
    fn get(&self) -> T {
        self.0.clone()
    }

    #[reqleak::check]
    async fn get_async(&self) -> T {
        self.0.clone()
    }

    #[reqleak::check]
    fn into_inner(self) -> T {
        self.0
    }
}

trait Remote {
    async fn fetch(&self, url: &str) -> reqwest::Result<u16>;

    #[reqleak::check]
    fn default_method(&self) -> u8 {
        7
    }

    #[reqleak::check]
    async fn default_async(&self, client: &reqwest::Client, url: &str) -> reqwest::Result<u16> {
        Ok(client.get(url).send().await?.status().as_u16())
    }
}

impl Remote for Svc {
    #[reqleak::check]
    async fn fetch(&self, url: &str) -> reqwest::Result<u16> {
        let resp = self.client.get(url).send().await?;
        Ok(resp.status().as_u16())
    }
}

fn main() {
    let _ = (
        borrowed_out,
        elided_borrow,
        two_lifetimes,
        with_where::<u8, u8>,
    );
    let _ = const_generic::<3>;
    let _ = impl_arg(vec![1u8], |x| x);
    let _ = returns_future;
    let _ = returns_borrowing_iter;
    let _ = (
        diverges,
        diverges_by_panic,
        unsafe_fn as unsafe fn(*const u8) -> u8,
    );
    let _ = (
        tracked,
        tracked_below,
        decorated(1),
        cfg_on,
        early_return,
        option_question,
    );
    let _ = (
        labeled,
        let_else,
        closure_returning_ref,
        recursive,
        macro_rules_inside,
        items_inside,
    );
    let _ = (generic_send, ref_send, blocking_converted, forget_a_borrow);
    let _ = early_return_async;
    let _ = async_move_closure;
    let _ = recursive_async;
    let _ = other_sends;
    let _ = select_and_join;
    let _ = stored_future;
    let _ = printing_macros;
    let _ = returns_closure;
    let _ = into_url::<String>;
    let _ = into_url_get::<reqwest::Url>;
    let _ = converted_errors;
    let _ = (
        Svc::boxed,
        Svc::arced,
        Svc::mut_self,
        Svc::async_arc,
        Svc::uses_self_type,
    );
    let _ = (Wrap::<u8>::get, Wrap::<u8>::into_inner);
    let _ = Wrap::<u8>::get_async;
    let _ = <Svc as Remote>::fetch;
    let _ = <Svc as Remote>::default_method;
    let _ = <Svc as Remote>::default_async;
    let _ = AppError::Parse;
}
