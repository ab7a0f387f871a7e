//! What will be written, as the operator reviews it: any config entry (intentions, exports) as
//! JSON and HCL with changed lines marked, and the `consul config write` command for a runbook
//! or change review.
use serde_json::Value;

/// Pretty JSON with keys sorted (serde_json's map order), so diffs are stable.
pub fn to_json(entry: &Value) -> String {
    serde_json::to_string_pretty(entry).unwrap_or_else(|_| entry.to_string())
}

/// The entry in the HCL form `consul config write` accepts.
pub fn to_hcl(entry: &Value) -> String {
    let mut out = String::new();
    if let Some(obj) = entry.as_object() {
        write_body(&mut out, obj, 0);
    }
    out
}

fn write_body(out: &mut String, obj: &serde_json::Map<String, Value>, depth: usize) {
    let width = obj.keys().map(|k| hcl_key(k).len()).max().unwrap_or(0);
    for (key, value) in obj {
        let key = hcl_key(key);
        out.push_str(&"  ".repeat(depth));
        out.push_str(&format!("{key:width$} = "));
        write_value(out, value, depth);
        out.push('\n');
    }
}

fn write_value(out: &mut String, value: &Value, depth: usize) {
    let pad = "  ".repeat(depth);
    match value {
        Value::Object(obj) if obj.is_empty() => out.push_str("{}"),
        Value::Object(obj) => {
            out.push_str("{\n");
            write_body(out, obj, depth + 1);
            out.push_str(&pad);
            out.push('}');
        }
        Value::Array(items) if items.is_empty() => out.push_str("[]"),
        Value::Array(items) => {
            out.push_str("[\n");
            for item in items {
                out.push_str(&"  ".repeat(depth + 1));
                write_value(out, item, depth + 1);
                out.push_str(",\n");
            }
            out.push_str(&pad);
            out.push(']');
        }
        Value::String(s) => out.push_str(&hcl_string(s)),
        other => out.push_str(&other.to_string()),
    }
}

/// A quoted HCL 1 string (`consul config write` parses with hashicorp/hcl v1). JSON's escapes
/// (`\"`, `\\`, `\n`, `\t`, `\uXXXX` for control characters; other text as UTF-8) read back
/// exactly, except that HCL 1 scans `${…}` without honouring quotes or escapes
/// (hcl/scanner/scanner.go scanString, hcl/strconv/quote.go Unquote) and has no `$${`. So
/// every `$` is written `\u0024`: Unquote turns it into `$` and it never starts `${`.
fn hcl_string(s: &str) -> String {
    Value::String(s.to_string())
        .to_string()
        .replace('$', "\\u0024")
}

/// Identifiers stay bare; anything else (Meta keys like `app.kubernetes.io/name`) is quoted.
fn hcl_key(key: &str) -> String {
    let bare = key
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if bare {
        key.to_string()
    } else {
        hcl_string(key)
    }
}

/// One line of a rendered diff.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DiffLine {
    Same(String),
    Added(String),
    Removed(String),
}

impl DiffLine {
    pub fn text(&self) -> &str {
        match self {
            Self::Same(t) | Self::Added(t) | Self::Removed(t) => t,
        }
    }

    /// The gutter mark: `+`, `-` or a space.
    pub fn mark(&self) -> char {
        match self {
            Self::Same(_) => ' ',
            Self::Added(_) => '+',
            Self::Removed(_) => '-',
        }
    }
}

/// The most lines compared pairwise (the changed middle after the common start and end are
/// cut): past it the diff would cost too much memory and time, so every old line is shown
/// removed and every new one added instead. A change to one part of a large entry stays cheap.
pub const DIFF_BUDGET: usize = 4_000_000;

/// Lines of `old` and `new` marked as kept, removed or added (a longest-common-subsequence diff
/// of the part between the common start and the common end).
pub fn line_diff(old: &str, new: &str) -> Vec<DiffLine> {
    let a: Vec<&str> = if old.is_empty() {
        Vec::new()
    } else {
        old.lines().collect()
    };
    let b: Vec<&str> = new.lines().collect();
    let head = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let tail = a[head..]
        .iter()
        .rev()
        .zip(b[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (mid_a, mid_b) = (&a[head..a.len() - tail], &b[head..b.len() - tail]);
    let mut out = Vec::with_capacity(a.len().max(b.len()));
    out.extend(a[..head].iter().map(|l| DiffLine::Same(l.to_string())));
    if mid_a.len().saturating_mul(mid_b.len()) > DIFF_BUDGET {
        out.extend(mid_a.iter().map(|l| DiffLine::Removed(l.to_string())));
        out.extend(mid_b.iter().map(|l| DiffLine::Added(l.to_string())));
    } else {
        lcs_diff(mid_a, mid_b, &mut out);
    }
    out.extend(
        a[a.len() - tail..]
            .iter()
            .map(|l| DiffLine::Same(l.to_string())),
    );
    out
}

fn lcs_diff(a: &[&str], b: &[&str], out: &mut Vec<DiffLine>) {
    let (n, m) = (a.len(), b.len());
    // One flat table: (n + 1) × (m + 1), within DIFF_BUDGET.
    let width = m + 1;
    let mut lcs = vec![0u32; (n + 1) * width];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i * width + j] = if a[i] == b[j] {
                lcs[(i + 1) * width + j + 1] + 1
            } else {
                lcs[(i + 1) * width + j].max(lcs[i * width + j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        if a[i] == b[j] {
            out.push(DiffLine::Same(a[i].to_string()));
            i += 1;
            j += 1;
        } else if lcs[(i + 1) * width + j] >= lcs[i * width + j + 1] {
            out.push(DiffLine::Removed(a[i].to_string()));
            i += 1;
        } else {
            out.push(DiffLine::Added(b[j].to_string()));
            j += 1;
        }
    }
    out.extend(a[i..].iter().map(|l| DiffLine::Removed(l.to_string())));
    out.extend(b[j..].iter().map(|l| DiffLine::Added(l.to_string())));
}

/// A diff as shown: lines, and runs of unchanged lines folded away.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Shown {
    Line(DiffLine),
    /// This many unchanged lines, not shown.
    Fold(usize),
}

/// Diffs up to this many lines are shown whole.
pub const FOLD_ABOVE: usize = 200;

/// The lines to show: the whole diff when short; otherwise each change with `context` unchanged
/// lines around it, longer unchanged runs folded (thousands of DOM lines would freeze the page).
pub fn fold(diff: &[DiffLine], context: usize) -> Vec<Shown> {
    if diff.len() <= FOLD_ABOVE {
        return diff.iter().cloned().map(Shown::Line).collect();
    }
    let changed: Vec<usize> = diff
        .iter()
        .enumerate()
        .filter(|(_, l)| !matches!(l, DiffLine::Same(_)))
        .map(|(i, _)| i)
        .collect();
    let near = |i: usize| {
        let at = changed.partition_point(|&c| c < i);
        let after = changed.get(at).is_some_and(|&c| c - i <= context);
        let before = at > 0 && i - changed[at - 1] <= context;
        after || before
    };
    let mut out = Vec::new();
    let mut folded = 0;
    for (i, line) in diff.iter().enumerate() {
        if near(i) {
            if folded > 0 {
                out.push(Shown::Fold(folded));
                folded = 0;
            }
            out.push(Shown::Line(line.clone()));
        } else {
            folded += 1;
        }
    }
    if folded > 0 {
        out.push(Shown::Fold(folded));
    }
    out
}

/// A long command as shown on the page: its first and last lines around a count of the rest
/// (Copy command still copies all of it). Tens of thousands of lines of text cost the page
/// more to lay out than everything else in a review.
pub fn shown_command(command: &str, keep: usize) -> String {
    let lines: Vec<&str> = command.lines().collect();
    if lines.len() <= 2 * keep + 1 {
        return command.to_string();
    }
    let hidden = lines.len() - 2 * keep;
    format!(
        "{}\n… {hidden} more lines (Copy command copies them all) …\n{}\n",
        lines[..keep].join("\n"),
        lines[lines.len() - keep..].join("\n")
    )
}

/// Whether a diff changes anything.
pub fn has_changes(diff: &[DiffLine]) -> bool {
    diff.iter().any(|l| !matches!(l, DiffLine::Same(_)))
}

/// The same write from a shell: the file, then a check-and-set write that fails rather than
/// overwriting a change made since (`-modify-index=0` means "only if it does not exist yet").
pub fn write_command(entry: &Value, modify_index: Option<u64>) -> String {
    let name = entry.get("Name").and_then(Value::as_str).unwrap_or("entry");
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let file = format!("{}-{safe}.hcl", file_prefix(entry));
    format!(
        "cat > {file} <<'EOF'\n{}EOF\nconsul config write -cas -modify-index={} {file}\n",
        to_hcl(entry),
        modify_index.unwrap_or(0)
    )
}

/// The terminal command for deleting `entry` with check-and-set.
pub fn delete_command(entry: &Value, modify_index: u64) -> String {
    let field = |k: &str| entry.get(k).and_then(Value::as_str).unwrap_or_default();
    format!(
        "consul config delete -kind {} -name {} -cas -modify-index={modify_index}\n",
        shell_word(field("Kind")),
        shell_word(field("Name"))
    )
}

/// A word the shell takes as it is: single-quoted unless plainly safe.
fn shell_word(word: &str) -> String {
    if !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// Names the file after what it configures: `intentions-api.hcl`, `exported-services-default.hcl`.
fn file_prefix(entry: &Value) -> &str {
    match entry.get("Kind").and_then(Value::as_str) {
        Some("service-intentions") | None => "intentions",
        Some(kind) if kind.chars().all(|c| c.is_ascii_lowercase() || c == '-') => kind,
        Some(_) => "entry",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn entry() -> Value {
        json!({"Kind": "service-intentions", "Name": "api",
               "Meta": {"app.kubernetes.io/name": "api", "owner": "a"},
               "Sources": [{"Name": "web", "Peer": "dc2", "Action": "allow", "Description": "say \"hi\" ${x}"},
                           {"Name": "admin", "Permissions": [{"Action": "allow", "HTTP": {"Methods": ["GET"], "PathPrefix": "/a"}}]}]})
    }

    #[test]
    fn hcl_strings_never_start_an_hcl1_interpolation() {
        assert_eq!(hcl_string("budget ${"), r#""budget \u0024{""#);
        assert_eq!(hcl_string(r#"say ${"hi"}"#), r#""say \u0024{\"hi\"}""#);
        assert_eq!(hcl_string("a\tb\n\\"), r#""a\tb\n\\""#);
        assert_eq!(hcl_key("$x"), r#""\u0024x""#);
    }

    #[test]
    fn hcl_matches_consul_config_write_syntax() {
        let hcl = to_hcl(&entry());
        let expected = r#"Kind    = "service-intentions"
Meta    = {
  "app.kubernetes.io/name" = "api"
  owner                    = "a"
}
Name    = "api"
Sources = [
  {
    Action      = "allow"
    Description = "say \"hi\" \u0024{x}"
    Name        = "web"
    Peer        = "dc2"
  },
  {
    Name        = "admin"
    Permissions = [
      {
        Action = "allow"
        HTTP   = {
          Methods    = [
            "GET",
          ]
          PathPrefix = "/a"
        }
      },
    ]
  },
]
"#;
        assert_eq!(hcl, expected);
    }

    #[test]
    fn diff_marks_only_changed_lines() {
        let old = to_json(&entry());
        let mut changed = entry();
        changed["Sources"][0]["Action"] = json!("deny");
        let diff = line_diff(&old, &to_json(&changed));
        let marked: Vec<_> = diff.iter().filter(|l| l.mark() != ' ').collect();
        assert_eq!(marked.len(), 2);
        assert_eq!(
            marked[0],
            &DiffLine::Removed("      \"Action\": \"allow\",".into())
        );
        assert_eq!(
            marked[1],
            &DiffLine::Added("      \"Action\": \"deny\",".into())
        );
        assert!(has_changes(&diff));
        assert!(!has_changes(&line_diff(&old, &old)));
    }

    #[test]
    fn large_entries_diff_cheaply_and_a_huge_middle_falls_back() {
        // 3,000 services with one added in the middle: only the middle is compared.
        let old: Vec<String> = (0..18_000).map(|i| format!("line {i}")).collect();
        let mut new = old.clone();
        new.insert(9_000, "added".into());
        let diff = line_diff(&old.join("\n"), &new.join("\n"));
        assert_eq!(diff.len(), 18_001);
        assert_eq!(
            diff.iter()
                .filter(|l| !matches!(l, DiffLine::Same(_)))
                .count(),
            1
        );
        assert_eq!(diff[9_000], DiffLine::Added("added".into()));
        // Everything different: past the budget, old lines removed and new ones added.
        let a: Vec<String> = (0..3_000).map(|i| format!("a{i}")).collect();
        let b: Vec<String> = (0..3_000).map(|i| format!("b{i}")).collect();
        let diff = line_diff(&a.join("\n"), &b.join("\n"));
        assert_eq!(diff.len(), 6_000);
        assert!(matches!(diff[0], DiffLine::Removed(_)));
        assert!(matches!(diff[5_999], DiffLine::Added(_)));
    }

    #[test]
    fn long_diffs_fold_unchanged_runs_short_ones_do_not() {
        let short = line_diff("a\nb", "a\nc");
        assert_eq!(fold(&short, 3).len(), short.len());
        let old: Vec<String> = (0..1000).map(|i| format!("l{i}")).collect();
        let mut new = old.clone();
        new[500] = "changed".into();
        let diff = line_diff(&old.join("\n"), &new.join("\n"));
        let shown = fold(&diff, 3);
        assert_eq!(shown.first(), Some(&Shown::Fold(497)));
        assert_eq!(shown.last(), Some(&Shown::Fold(496)));
        let lines = shown.iter().filter(|s| matches!(s, Shown::Line(_))).count();
        assert_eq!(lines, 3 + 2 + 3, "context, removed and added, context");
        assert!(shown.contains(&Shown::Line(DiffLine::Added("changed".into()))));
    }

    #[test]
    fn long_commands_are_shown_shortened() {
        assert_eq!(shown_command("a\nb\nc\n", 1), "a\nb\nc\n");
        let long: String = (0..100).map(|i| format!("l{i}\n")).collect();
        let shown = shown_command(&long, 3);
        assert_eq!(
            shown,
            "l0\nl1\nl2\n… 94 more lines (Copy command copies them all) …\nl97\nl98\nl99\n"
        );
    }

    #[test]
    fn diff_from_nothing_adds_every_line() {
        let diff = line_diff("", "a\nb");
        assert_eq!(
            diff,
            vec![DiffLine::Added("a".into()), DiffLine::Added("b".into())]
        );
        let diff = line_diff("a\nb", "b");
        assert_eq!(
            diff,
            vec![DiffLine::Removed("a".into()), DiffLine::Same("b".into())]
        );
    }

    #[test]
    fn command_uses_check_and_set() {
        let cmd = write_command(&entry(), Some(42));
        assert!(cmd.starts_with("cat > intentions-api.hcl <<'EOF'\nKind"));
        assert!(
            cmd.ends_with("EOF\nconsul config write -cas -modify-index=42 intentions-api.hcl\n")
        );
        assert_eq!(
            delete_command(&json!({"Kind": "service-intentions", "Name": "a b"}), 7),
            "consul config delete -kind service-intentions -name 'a b' -cas -modify-index=7\n"
        );
        let new = write_command(&json!({"Name": "*"}), None);
        assert!(new.contains("-modify-index=0 intentions-_.hcl"));
        let exports = write_command(
            &json!({"Kind": "exported-services", "Name": "default"}),
            None,
        );
        assert!(exports.starts_with("cat > exported-services-default.hcl <<'EOF'\n"));
        assert!(exports.contains("-modify-index=0 exported-services-default.hcl"));
    }
}
