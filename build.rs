// Collects every component's `style!` block into one CSS file that index.html links.
// Written to OUT_DIR, not into the checkout: with a shared CARGO_TARGET_DIR a second checkout whose
// files are older than the last build never reruns this script, so a file in the checkout would be
// missing there. Trunk.toml's pre_build hook copies it to ./target/stylers.css from the OUT_DIR
// cargo reports for the build it just made (fresh or not).
fn main() {
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=build.rs");
    let out = std::path::Path::new(&std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("stylers.css");
    stylers::build(Some(out.to_string_lossy().into_owned()));
}
