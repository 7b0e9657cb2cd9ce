//! The fast block-YAML path (`fastyaml`) against serde-saphyr, the oracle: wherever the fast
//! path accepts a text, both decode it to the same value (generic `serde_json::Value` and the
//! model's typed views); where it is unsure, it gives up. Tables of scalars and structures
//! (hits next to near misses), then every object of the generated scenarios and of the real
//! Azure must-gather (read in place; skipped when absent).
#![allow(clippy::unwrap_used, clippy::struct_field_names)]

use std::fmt::Debug;
use std::path::{Path, PathBuf};

use casefile_ingest::decode::yaml_options;
use casefile_ingest::fastyaml;
use casefile_ingest::{Case, CaseOptions};
use casefile_model::kube::{
    CertificateSigningRequest, ClusterOperator, ClusterVersion, ConfigMap, Event, Lease,
    MachineConfigPool, Node, Pod, Secret,
};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

fn saphyr<T: DeserializeOwned>(s: &str) -> Result<T, String> {
    serde_saphyr::from_str_with_options(s, yaml_options(s.len())).map_err(|e| e.to_string())
}

fn saphyr_item<T: DeserializeOwned>(s: &str) -> Result<T, String> {
    let mut v: Vec<T> = saphyr(s)?;
    v.pop().ok_or_else(|| "empty".to_owned())
}

/// Fast-path decode: `None` when it gives up (parse or decode error: the caller falls back).
fn fast<T: DeserializeOwned>(s: &str, item: bool) -> Option<T> {
    let r = if item {
        fastyaml::from_item_str::<T>(s)
    } else {
        fastyaml::from_str::<T>(s)
    };
    r.and_then(Result::ok)
}

/// Checks that the fast path agrees with serde-saphyr whenever it accepts; returns whether
/// it accepted.
fn agree<T: DeserializeOwned + PartialEq + Debug>(name: &str, s: &str, item: bool) -> bool {
    let Some(f) = fast::<T>(s, item) else {
        return false;
    };
    let slow = if item {
        saphyr_item::<T>(s)
    } else {
        saphyr::<T>(s)
    };
    match slow {
        Ok(v) => assert_eq!(f, v, "{name}: fast vs serde-saphyr\n{s}"),
        Err(e) => panic!("{name}: fast accepted what serde-saphyr rejects ({e}): {f:?}\n{s}"),
    }
    true
}

/// `value: <text>` documents: (name, scalar as written, expected fast value or `None` when
/// the fast path must give up).
#[test]
fn scalars_resolve_as_serde_saphyr_does() {
    let cases: &[(&str, &str, Option<Value>)] = &[
        ("plain word", "abc", Some(json!("abc"))),
        (
            "yes is a YAML 1.1 bool for serde-saphyr",
            "yes",
            Some(json!(true)),
        ),
        ("no", "no", Some(json!(false))),
        ("on", "on", Some(json!(true))),
        ("Off", "Off", Some(json!(false))),
        ("y", "y", Some(json!(true))),
        ("true", "true", Some(json!(true))),
        ("TRUE", "TRUE", Some(json!(true))),
        ("tRuE (case-insensitive)", "tRuE", Some(json!(true))),
        ("yess is a word", "yess", Some(json!("yess"))),
        ("null", "null", Some(Value::Null)),
        ("tilde", "~", Some(Value::Null)),
        ("NULL", "NULL", Some(Value::Null)),
        ("nULL is a word", "nULL", Some(json!("nULL"))),
        ("empty", "", Some(Value::Null)),
        ("int", "123", Some(json!(123))),
        ("zero", "0", Some(json!(0))),
        ("negative", "-17", Some(json!(-17))),
        ("minus zero", "-0", Some(json!(0))),
        ("plus one", "+1", Some(json!(1))),
        ("leading zero is a float", "012", Some(json!(12.0))),
        ("negative leading zero", "-012", Some(json!(-12.0))),
        ("u64 max", "18446744073709551615", Some(json!(u64::MAX))),
        (
            "beyond u64 is a float",
            "18446744073709551616",
            Some(json!(1.844_674_407_370_955_2e19)),
        ),
        ("i64 min", "-9223372036854775808", Some(json!(i64::MIN))),
        (
            "below i64 min",
            "-9223372036854775809",
            Some(json!(-9.223_372_036_854_776e18)),
        ),
        ("float", "1.5", Some(json!(1.5))),
        ("exponent", "1e3", Some(json!(1000.0))),
        ("dot float", ".5", Some(json!(0.5))),
        ("trailing dot", "5.", Some(json!(5.0))),
        ("ip address", "10.128.0.5", Some(json!("10.128.0.5"))),
        ("version", "4.15.0", Some(json!("4.15.0"))),
        ("inf word", "inf", Some(json!("inf"))),
        ("nan word", "nan", Some(json!("nan"))),
        (
            "hidden file name",
            ".dockerconfigjson",
            Some(json!(".dockerconfigjson")),
        ),
        ("hex gives up", "0x1F", None),
        ("octal gives up", "0o17", None),
        ("underscores give up", "1_000", None),
        (
            "underscore in a version",
            "5.14.0-284.el9_2.x86_64",
            Some(json!("5.14.0-284.el9_2.x86_64")),
        ),
        ("hex word", "0xZZ", Some(json!("0xZZ"))),
        (
            "upper-case hex prefix is a string",
            "0X1F",
            Some(json!("0X1F")),
        ),
        (".inf gives up", ".inf", None),
        ("-.inf gives up", "-.inf", None),
        ("-.nan gives up", "-.nan", None),
        ("overflowing float gives up", "1e999", None),
        ("double-quoted number", "\"123\"", Some(json!("123"))),
        (
            "double-quoted words",
            "\"quoted 123\"",
            Some(json!("quoted 123")),
        ),
        ("double-quoted null", "\"null\"", Some(json!("null"))),
        ("double-quoted empty", "\"\"", Some(json!(""))),
        ("single-quoted empty", "''", Some(json!(""))),
        ("single-quoted true", "'true'", Some(json!("true"))),
        ("escaped single quote", "'it''s'", Some(json!("it's"))),
        (
            "double-quoted escapes",
            r#""a\nb\tc\"d\\e\u00e9\x41\/""#,
            Some(json!("a\nb\tc\"d\\eéA/")),
        ),
        (
            "escaped space and U",
            r#""\ x\U0001F600""#,
            Some(json!(" x😀")),
        ),
        ("unknown escape gives up", r#""\q""#, None),
        ("lone surrogate gives up", r#""\ud800""#, None),
        ("trailing spaces", "abc   ", Some(json!("abc"))),
        ("inner spaces kept", "a  b", Some(json!("a  b"))),
        (
            "key:value is a string",
            "key:value",
            Some(json!("key:value")),
        ),
        (
            "url",
            "http://x:8080/a?b=c",
            Some(json!("http://x:8080/a?b=c")),
        ),
        ("comment after a value", "abc # note", Some(json!("abc"))),
        ("a#b is not a comment", "a#b", Some(json!("a#b"))),
        (
            "comment after a quoted value",
            "'a b' # note",
            Some(json!("a b")),
        ),
        ("text after a quoted value gives up", "'a' b", None),
        ("mapping in a value gives up", "a: b", None),
        ("colon at the end gives up", "abc:", None),
        ("anchor gives up", "&a x", None),
        ("alias gives up", "*a", None),
        ("tag gives up", "!!str 1", None),
        ("flow mapping gives up", "{a: 1}", None),
        ("flow sequence gives up", "[1, 2]", None),
        ("empty flow mapping", "{}", Some(json!({}))),
        ("empty flow sequence", "[]", Some(json!([]))),
        ("dash value gives up", "- a", None),
        ("question mark gives up", "? a", None),
        ("at sign gives up", "@x", None),
        ("dash word", "-foo", Some(json!("-foo"))),
        (
            "brackets inside plain",
            "a[0]{x},y",
            Some(json!("a[0]{x},y")),
        ),
        (
            "quotes inside plain",
            "it's \"x\"",
            Some(json!("it's \"x\"")),
        ),
        ("non-ASCII", "héllo wörld", Some(json!("héllo wörld"))),
    ];
    for (name, scalar, want) in cases {
        let doc = format!("value: {scalar}\n");
        let got = fast::<Value>(&doc, false);
        match want {
            Some(w) => {
                assert_eq!(
                    got.as_ref(),
                    Some(&json!({ "value": w })),
                    "{name}: {doc:?}"
                );
                assert!(agree::<Value>(name, &doc, false), "{name}");
            }
            None => assert!(got.is_none(), "{name}: fast accepted {got:?}"),
        }
    }
}

/// Typed targets: a `String` given plain numbers and booleans gets their text; `Option`
/// maps null spellings to `None`; a plain null into `String` fails (and falls back).
#[test]
fn typed_targets_match_serde_saphyr() {
    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct S {
        s: Option<String>,
        #[serde(default)]
        n: Option<i64>,
        #[serde(default)]
        b: Option<bool>,
        #[serde(default)]
        f: Option<f64>,
        #[serde(default)]
        u: Option<u8>,
    }
    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Req {
        s: String,
    }
    #[derive(serde::Deserialize, Debug, PartialEq)]
    enum Phase {
        Running,
        Pending,
    }
    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct E {
        p: Phase,
    }
    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Wrap(String);
    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct W {
        w: Wrap,
    }
    for (name, doc) in [
        ("plain int into String", "s: 123\n"),
        ("plain bool into String", "s: true\n"),
        ("plain float into String", "s: 1.50\n"),
        ("hex text into String gives up at parse", "s: 0x10\n"),
        ("null into Option", "s: null\n"),
        ("tilde into Option", "s: ~\n"),
        ("empty into Option", "s:\n"),
        ("quoted null into Option", "s: 'null'\n"),
        ("int", "s: a\nn: -5\n"),
        ("plus int", "s: a\nn: +5\n"),
        ("quoted int into i64", "s: a\nn: '7'\n"),
        ("leading zero into i64", "s: a\nn: 012\n"),
        ("bool yes", "s: a\nb: yes\n"),
        ("quoted bool", "s: a\nb: \"true\"\n"),
        ("float", "s: a\nf: 2.5\n"),
        ("int into float", "s: a\nf: 2\n"),
        ("u8 overflow", "s: a\nu: 300\n"),
    ] {
        agree::<S>(name, doc, false);
    }
    // A plain null into a String fails in both (the fast error leads to serde-saphyr's).
    for doc in ["s: null\n", "s:\n", "s: ~\n"] {
        assert!(fast::<Req>(doc, false).is_none(), "{doc}");
        assert!(saphyr::<Req>(doc).is_err(), "{doc}");
    }
    assert!(agree::<Req>("quoted null", "s: \"null\"\n", false));
    assert!(agree::<E>("unit variant", "p: Running\n", false));
    assert!(fast::<E>("p: Gone\n", false).is_none());
    assert!(agree::<W>("newtype", "w: x\n", false));
}

/// Structures: (name, document, whether the fast path must accept it).
#[test]
fn structures_agree_or_give_up() {
    let cases: &[(&str, &str, bool)] = &[
        ("nested maps", "a:\n  b:\n    c: 1\n  d: x\ne: y\n", true),
        ("leading document marker", "---\na: 1\n", true),
        (
            "comments on their own lines",
            "# c\na: 1\n  # c2\nb: 2\n",
            true,
        ),
        (
            "comment ends a plain scalar",
            "a: 1\n  # c\n  more\n",
            false,
        ),
        ("second document gives up", "a: 1\n---\nb: 2\n", false),
        ("document end gives up", "a: 1\n...\n", false),
        ("directive gives up", "%YAML 1.2\n---\na: 1\n", false),
        ("sequence at the key's indent", "a:\n- x\n- y\nb: z\n", true),
        ("indented sequence", "a:\n  - x\n  - y\nb: z\n", true),
        ("sequence of maps", "a:\n- k: 1\n  m: 2\n- k: 3\n", true),
        ("YAML 1.1 bool key gives up", "a:\n- n: 1\n", false),
        (
            "nested compact sequences",
            "a:\n- - x\n  - y\n- - z\n",
            true,
        ),
        ("dash alone then a block", "a:\n-\n  k: 1\n- x\n", true),
        ("dash alone is null", "a:\n-\n- x\n", true),
        ("quoted keys with colons", "\"a: b\": 1\n'c # d': 2\n", true),
        (
            "quoted key in a sequence item",
            "a:\n- \"k: v\": 1\n  x: 2\n",
            true,
        ),
        ("key with a colon inside", "a:b: c\n", true),
        ("url key", "http://x: y\n", true),
        (
            "managedFields keys with flow indicators",
            "f:spec:\n  k:{\"name\":\"c0\",\"x\":[1]}:\n    .: {}\n    f:image: {}\n",
            true,
        ),
        ("key starting with a brace gives up", "{a}: 1\n", false),
        ("duplicate keys give up", "a: 1\na: 2\n", false),
        (
            "duplicate quoted and plain key give up",
            "a: 1\n\"a\": 2\n",
            false,
        ),
        ("null key gives up", "null: 1\n", false),
        ("bool key gives up", "true: 1\n", false),
        ("complex key gives up", "? a\n: b\n", false),
        ("tab indentation gives up", "a:\n\tb: 1\n", false),
        ("tab in a value gives up", "a: x\ty\n", false),
        ("carriage return gives up", "a: 1\r\n", false),
        ("over-indented line gives up", "a: 1\n   b: 2\n", false),
        ("anchor on a block gives up", "a: &x\n  b: 1\n", false),
        (
            "multi-line plain",
            "a: one two\n  three\n\n  four\nb: x\n",
            true,
        ),
        (
            "multi-line plain in a list",
            "- one\n  two\n- three\n",
            true,
        ),
        (
            "plain continuations starting with indicators",
            "a: x\n  -n y\n  && z\n  `u` \"q\" 'r' [s] {t}, *v &w !x |y >z %p @q ?r :s\n",
            true,
        ),
        (
            "plain continuation with a dash item gives up",
            "a: x\n  - y\n",
            false,
        ),
        (
            "plain continuation with a colon gives up",
            "a: x\n  y: z\n",
            false,
        ),
        (
            "plain continuation with a comment",
            "a: x\n  y # c\n",
            false,
        ),
        (
            "multi-line single-quoted",
            "a: 'one ''two''\n  three\n\n  four  '\nb: x\n",
            true,
        ),
        (
            "multi-line double-quoted",
            "a: \"one\n  two\\\n  three\\n\n  four \"\nb: x\n",
            true,
        ),
        ("escaped space before a fold", "a: \"x\\ \n  y\"\n", true),
        (
            "double-quoted starting with a break",
            "a: \"\n  x\"\n",
            true,
        ),
        (
            "quoted continuation not indented gives up",
            "a: 'one\ntwo'\n",
            false,
        ),
        (
            "literal block",
            "a: |\n  one\n   two\n\n  three\nb: x\n",
            true,
        ),
        ("literal strip", "a: |-\n  one\n  two\n\n\nb: x\n", true),
        ("literal keep", "a: |+\n  one\n\n\nb: x\n", true),
        (
            "folded block",
            "a: >\n  one\n  two\n\n  three\nb: x\n",
            true,
        ),
        ("folded strip", "a: >-\n  one\n  two\n", true),
        (
            "folded more-indented gives up",
            "a: >\n  one\n    two\n",
            false,
        ),
        ("block in a sequence", "- |\n  x\n  y\n- z\n", true),
        (
            "block with a comment-like line",
            "a: |\n  # not a comment\n  x\n",
            true,
        ),
        (
            "block indentation indicator gives up",
            "a: |2\n   x\n",
            false,
        ),
        ("block header comment gives up", "a: | # c\n  x\n", false),
        (
            "block at the end without a newline gives up",
            "a: |\n  x",
            false,
        ),
        ("empty maps and lists", "a: {}\nb: []\nc:\n  d: {}\n", true),
        ("comment after a key", "a: # c\n  b: 1\n", false),
        ("deep nesting", &deep(40), true),
        ("too deep gives up", &deep(60), false),
        ("root scalar gives up", "just text\n", false),
        ("flow root gives up", "{a: 1}\n", false),
    ];
    for (name, doc, accept) in cases {
        let got = agree::<Value>(name, doc, false);
        assert_eq!(got, *accept, "{name}: accepted {got}\n{doc}");
    }
}

fn deep(n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        s.push_str(&" ".repeat(2 * i));
        s.push_str("k:\n");
    }
    s.push_str(&" ".repeat(2 * n));
    s.push_str("v: 1\n");
    s
}

/// List items (`- ` in column 0, one element) decode as serde-saphyr's `Vec<T>` last element.
#[test]
fn list_items_agree() {
    let item = "- apiVersion: v1\n  count: 3\n  eventTime: null\n  involvedObject:\n    kind: Pod\n    name: p\n  message: 'MountVolume.SetUp failed for volume \"x\" : secret \"y\"\n    not found'\n  metadata:\n    name: e1\n    namespace: ns\n  reason: FailedMount\n  reportingComponent: \"\"\n  source:\n    component: kubelet\n  type: Warning\n";
    assert!(agree::<Value>("event item", item, true));
    assert!(agree::<Event>("event item typed", item, true));
    let e: Event = fast(item, true).unwrap();
    assert_eq!(e.count(), 3);
    assert_eq!(
        e.message,
        "MountVolume.SetUp failed for volume \"x\" : secret \"y\" not found"
    );
    // Two items are not one List item.
    assert!(fast::<Value>("- a: 1\n- a: 2\n", true).is_none());
}

// ---------------------------------------------------------------------------------------------
// Every object of the sample cases
// ---------------------------------------------------------------------------------------------

fn open(paths: &[PathBuf]) -> Case {
    let opts = CaseOptions {
        no_cache: true,
        ..CaseOptions::default()
    };
    Case::open(paths, &opts).unwrap()
}

/// Objects seen and accepted by the fast path, per kind (`(seen, accepted)`).
#[derive(Default, Debug)]
struct Tally(std::collections::BTreeMap<String, (usize, usize)>);

impl Tally {
    fn rate(&self, kind: &str) -> f64 {
        let (n, a) = self.0.get(kind).copied().unwrap_or_default();
        if n == 0 { 1.0 } else { a as f64 / n as f64 }
    }
}

fn check_text<T: DeserializeOwned + PartialEq + Debug>(name: &str, text: &str, item: bool) {
    agree::<T>(name, text, item);
}

fn compare_case(case: &Case, tally: &mut Tally) {
    for &r in case.objects() {
        let rec = case.record(r);
        if rec.fallback.is_some() {
            continue;
        }
        let bytes = case.object_text(r).unwrap();
        let Ok(text) = std::str::from_utf8(&bytes) else {
            continue;
        };
        if text.trim_start().starts_with('{') {
            continue;
        }
        let item = text.starts_with("- ") || text.starts_with("-\n");
        let kind = rec.meta.kind.as_str();
        let name = format!("{kind} {}", rec.meta.name);
        let accepted = agree::<Value>(&name, text, item);
        let e = tally.0.entry(kind.to_owned()).or_default();
        e.0 += 1;
        e.1 += usize::from(accepted);
        match kind {
            "Pod" => check_text::<Pod>(&name, text, item),
            "Node" => check_text::<Node>(&name, text, item),
            "Event" => check_text::<Event>(&name, text, item),
            "Secret" => check_text::<Secret>(&name, text, item),
            "ConfigMap" => check_text::<ConfigMap>(&name, text, item),
            "ClusterOperator" => check_text::<ClusterOperator>(&name, text, item),
            "ClusterVersion" => check_text::<ClusterVersion>(&name, text, item),
            "MachineConfigPool" => check_text::<MachineConfigPool>(&name, text, item),
            "Lease" => check_text::<Lease>(&name, text, item),
            "CertificateSigningRequest" => {
                check_text::<CertificateSigningRequest>(&name, text, item);
            }
            _ => {}
        }
        // The pruned text `Case::decode_view` decodes goes through the same path.
        if let Some(pruned) =
            casefile_ingest::prune::prune(&bytes, casefile_ingest::prune::dropped_paths(kind))
            && let Ok(p) = std::str::from_utf8(&pruned)
        {
            agree::<Value>(&format!("{name} (pruned)"), p, item);
            match kind {
                "Pod" => check_text::<Pod>(&name, p, item),
                "Node" => check_text::<Node>(&name, p, item),
                "Event" => check_text::<Event>(&name, p, item),
                _ => {}
            }
        }
    }
}

#[test]
fn fast_path_agrees_on_every_object_of_the_scenarios() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata");
    let mut tally = Tally::default();
    for name in [
        "okd-415-ca-rotation",
        "kubelet-client-ca-rotation",
        "healthy",
        "rotation-propagated",
    ] {
        compare_case(&open(&[root.join(name)]), &mut tally);
    }
    eprintln!("accepted (seen, accepted) per kind: {:?}", tally.0);
    let total: (usize, usize) = tally.0.values().fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    assert!(total.0 > 500, "{total:?}");
    assert!(total.1 * 100 > total.0 * 95, "{total:?}");
    for kind in ["Event", "Pod"] {
        assert!(tally.rate(kind) > 0.95, "{kind}: {:?}", tally.0.get(kind));
    }
}

#[test]
fn fast_path_agrees_on_every_object_of_the_real_azure_must_gather() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(
        "../../../shared/realdata/openshift-must-gather-clean/test/files/must-gather-azure.tar.xz",
    );
    if !path.exists() {
        eprintln!("skipping: {} not found", path.display());
        return;
    }
    let mut tally = Tally::default();
    compare_case(&open(&[path]), &mut tally);
    eprintln!("accepted (seen, accepted) per kind: {:?}", tally.0);
    let total: (usize, usize) = tally.0.values().fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    assert!(total.0 > 1000, "{total:?}");
    assert!(total.1 * 100 > total.0 * 95, "{total:?}");
    for kind in ["Event", "Pod"] {
        assert!(tally.rate(kind) > 0.95, "{kind}: {:?}", tally.0.get(kind));
    }
}
