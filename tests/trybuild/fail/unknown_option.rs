#[reqleak::check(strict, verbose)]
fn fetch() {}

fn main() {
    fetch();
}
