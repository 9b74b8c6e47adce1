#[reqleak::check(mode = "abort")]
fn fetch() {}

#[reqleak::check(mode = panic)]
fn fetch_again() {}

fn main() {
    fetch();
    fetch_again();
}
