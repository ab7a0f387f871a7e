//! stylers derives a component's class name only from the number of non-whitespace characters
//! in its `style!` block, so two blocks of the same length share a class and one component
//! silently shows the other's styles. Fail the build's tests before that happens.
use std::collections::BTreeMap;
use std::path::Path;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src is readable").flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The body of every `style! { ... }` in `text`.
fn style_blocks(text: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("style! {") {
        let body = &rest[start + "style! {".len()..];
        let mut depth = 1;
        let mut end = body.len();
        for (i, c) in body.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = i;
                        break;
                    }
                }
                _ => {}
            }
        }
        blocks.push(body[..end].to_string());
        rest = &body[end..];
    }
    blocks
}

#[test]
fn every_style_block_gets_its_own_class() {
    let mut files = Vec::new();
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    let mut seen: BTreeMap<usize, String> = BTreeMap::new();
    let mut count = 0;
    for file in files {
        let text = std::fs::read_to_string(&file).expect("source is UTF-8");
        for (n, block) in style_blocks(&text).into_iter().enumerate() {
            count += 1;
            let weight = block.chars().filter(|c| !c.is_whitespace()).count();
            let here = format!("{} (block {})", file.display(), n + 1);
            if let Some(other) = seen.insert(weight, here.clone()) {
                panic!("{here} and {other} have {weight} non-whitespace characters: stylers gives them the same class. Change one.");
            }
        }
    }
    assert!(count > 0, "no style! blocks found: the scan is broken");
}

#[test]
fn scan_finds_nested_braces() {
    let blocks = style_blocks("let a = style! { .x { color: red; } .y { color: blue; } };");
    assert_eq!(blocks.len(), 1);
    assert!(blocks[0].contains(".y"));
}
