// Collects every component's `style!` block into one CSS file that index.html links.
fn main() {
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=build.rs");
    stylers::build(Some("./target/stylers.css".into()));
}
