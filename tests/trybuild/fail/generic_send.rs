//! A zero-argument `send` whose result type is inferred only from later code cannot be
//! instrumented: the error says what to write instead, at the call (not at the attribute).

struct Generic;
impl Generic {
    fn send<T: Default>(&self) -> T {
        T::default()
    }
}

struct GenericFuture;
impl GenericFuture {
    async fn send<T: Default>(&self) -> T {
        T::default()
    }
}

#[reqleak::check]
fn generic_send() -> u32 {
    let v: u32 = Generic.send();
    v
}

#[reqleak::check]
async fn generic_send_awaited() -> u32 {
    let v: u32 = GenericFuture.send().await;
    v
}

fn main() {
    let _ = generic_send;
    let _ = generic_send_awaited;
}
