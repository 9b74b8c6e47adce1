//! A zero-argument `send` whose result type is inferred only from later code cannot be
//! instrumented: the error says what to write instead.

struct Generic;
impl Generic {
    fn send<T: Default>(&self) -> T {
        T::default()
    }
}

#[reqleak::check]
fn generic_send() -> u32 {
    let v: u32 = Generic.send();
    v
}

fn main() {
    let _ = generic_send;
}
