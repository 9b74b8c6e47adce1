use std::time::Instant;
fn main() {
    let paths: Vec<String> = std::io::stdin().lines().map(|l| l.unwrap()).collect();
    let texts: Vec<String> = paths.iter().map(|p| std::fs::read_to_string(p).unwrap_or_default()).collect();
    let lazy: Vec<String> = texts.iter().map(|t| reqleak_lint::dbg_plan(t, false)).collect();
    let nodoc: Vec<String> = texts.iter().map(|t| reqleak_lint::dbg_plan(t, true)).collect();
    let ns = |v: &Vec<String>| v.iter().map(|t| t.bytes().filter(|b| !b.is_ascii_whitespace()).count()).sum::<usize>();
    eprintln!("nonspace full {} lazy {} nodoc {}", ns(&texts), ns(&lazy), ns(&nodoc));
    for _ in 0..3 {
        for (name, set) in [("full", &texts), ("lazy", &lazy), ("nodoc", &nodoc)] {
            let s = Instant::now();
            let kept: Vec<syn::File> = set.iter().filter_map(|t| syn::parse_file(t).ok()).collect();
            let p = s.elapsed();
            let s = Instant::now();
            drop(kept);
            eprint!("{name} parse {p:?} drop {:?} | ", s.elapsed());
        }
        eprintln!();
    }
}
