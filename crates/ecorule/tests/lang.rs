//! Reports drawn in one language: snapshots of the fishmeal rulebook's
//! text and Markdown in Chinese and in English, for a decided audit and an
//! undecided one, and checks that neither language's frame leaks into the
//! other.

// Test helpers fail loudly: a panic with the case's name is the report.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use ecorule::{Lang, RenderOptions, Report, Rulebook, ScoreOptions};

const RULES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../rules/fishmeal");

fn fishmeal(audit: &str) -> Report {
    let read = |path: String| std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    let rulebook = Rulebook::compile("fishmeal.eco", &read(format!("{RULES}/fishmeal.eco"))).unwrap();
    let audit = read(format!("{RULES}/audits/{audit}.json"));
    rulebook.score_json(&audit, &ScoreOptions::default()).unwrap()
}

const AUDITS: [&str; 2] = ["b_good_partial", "g_self_assessment_partial"];

#[test]
fn fishmeal_reports_in_chinese_and_in_english() {
    for audit in AUDITS {
        let report = fishmeal(audit);
        for lang in [Lang::Zh, Lang::En] {
            let drawn = RenderOptions::new().lang(lang);
            let code = lang.code();
            insta::assert_snapshot!(format!("{audit}_{code}_text"), drawn.text(&report));
            insta::assert_snapshot!(format!("{audit}_{code}_markdown"), drawn.markdown(&report));
        }
    }
}

#[test]
fn the_default_options_draw_what_the_bilingual_functions_draw() {
    for audit in AUDITS {
        let report = fishmeal(audit);
        let both = RenderOptions::new();
        assert_eq!(both, RenderOptions::new().lang(Lang::Both));
        assert_eq!(both.text(&report), ecorule::render_text(&report, false));
        assert_eq!(both.color(true).text(&report), ecorule::render_text(&report, true));
        assert_eq!(both.markdown(&report), ecorule::render_markdown(&report));
        assert_eq!(both.html([&report]), ecorule::render_html([&report]));
        assert_eq!(both.html_fragment(&report), ecorule::render_html_fragment(&report));
    }
}

/// The English frame words of text, Markdown and HTML.
const ENGLISH_FRAME: [&str; 22] = [
    "score ",
    "grade",
    "verdict",
    "determined",
    "provisional",
    "vetoed by",
    "deduction",
    "fix ",
    "days)",
    "still to answer",
    "Still to answer",
    "unverified",
    "warning",
    "modules",
    "made by",
    "rulebook",
    "Rectification",
    "| clause | status",
    "action",
    "deadline",
    " pass ",
    "partial ",
];

/// A line without what explanations quote: code spans (`…`) and the
/// values read, in ASCII parentheses (the frame's are full-width).
fn prose(line: &str) -> String {
    let (mut out, mut code, mut depth) = (String::new(), false, 0usize);
    for c in line.chars() {
        match c {
            '`' => code = !code,
            '(' | '（' if !code => depth += 1,
            ')' | '）' if !code && depth > 0 => depth -= 1,
            c if !code && depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

#[test]
fn chinese_reports_have_no_english_frame_words() {
    for audit in AUDITS {
        let report = fishmeal(audit);
        let drawn = RenderOptions::new().lang(Lang::Zh);
        let pages = [drawn.text(&report), drawn.markdown(&report), drawn.html_fragment(&report)];
        for page in &pages {
            let framed: String = page
                .lines()
                .filter(|l| !l.starts_with("<style>") && !l.starts_with('.') && !l.starts_with('@'))
                .map(|l| format!("{}\n", prose(l)))
                .collect();
            for word in ENGLISH_FRAME.iter().chain(&["draft choice", "background knowledge"]) {
                assert!(!framed.contains(word), "{audit}: `{word}` in the Chinese report:\n{framed}");
            }
            // Labels: no English title of an area, a clause or a verdict.
            for english in ["Raw-material freshness", "Process equipment", "good", "standardize", "rectify"] {
                assert!(!framed.contains(english), "{audit}: `{english}` in the Chinese report");
            }
        }
        assert!(pages[0].contains("得分 ") && pages[0].contains("等级 ") && pages[0].contains("结论 "));
    }
    let decided = RenderOptions::new().lang(Lang::Zh).text(&fishmeal("b_good_partial"));
    assert!(decided.contains("◐ FM09  部分合格     1/2  原料保鲜\n"), "{decided}");
    assert!(decided.contains("      整改期限 2024-12-11（90 天内）：建设冷库或保证原料24小时内投料\n"), "{decided}");
    assert!(decided.contains("（已确定）"), "{decided}");
    // The unverified values' reasons, given in both languages
    // (`unverified "…" en "…"`), in Chinese.
    assert!(decided.contains("raw_hold_max（FM09）：[D] 草案取值：FM09：未冷藏原料须在 24 小时内加工\n"), "{decided}");
}

#[test]
fn english_reports_have_no_chinese_labels_or_explanations() {
    for audit in AUDITS {
        let report = fishmeal(audit);
        let drawn = RenderOptions::new().lang(Lang::En);
        for page in [drawn.text(&report), drawn.markdown(&report), drawn.html_fragment(&report)] {
            // The enterprise's name is the audit's data, in Chinese.
            let framed: String = page.lines().filter(|l| !l.contains("（虚构）")).map(|l| format!("{l}\n")).collect();
            for chinese in [
                "原料保鲜",
                "工艺装备",
                "良好",
                "规范",
                "整治",
                "不满足",
                "待定",
                "建设冷库",
                "整改",
                "得分",
                "草案取值",
            ] {
                assert!(!framed.contains(chinese), "{audit}: `{chinese}` in the English report:\n{framed}");
            }
        }
    }
}

#[test]
fn html_in_one_language_says_which() {
    let report = fishmeal("b_good_partial");
    let html = |lang| RenderOptions::new().lang(lang).html([&report]);
    assert!(html(Lang::Both).contains("<html lang=\"zh\">"));
    assert!(html(Lang::Zh).contains("<html lang=\"zh-CN\">"));
    assert!(html(Lang::En).contains("<html lang=\"en\">"));
    let zh = html(Lang::Zh);
    assert!(
        zh.contains("<h2>整改</h2>") && zh.contains("<th>条款</th><th>状态</th><th>分值</th><th>说明</th>"),
        "{zh}"
    );
    assert!(zh.contains(">部分合格</span>"), "{zh}");
    let en = html(Lang::En);
    assert!(en.contains("<h2>Rectification</h2>") && !en.contains("整改"), "{en}");
}

#[test]
fn a_report_without_chinese_explanations_falls_back_to_english_in_chinese() {
    let report = fishmeal("b_good_partial");
    // A report read back from before reports had Chinese explanations.
    let json: String =
        report.to_json().split_inclusive('\n').filter(|line| !line.contains("\"explanation_zh\":")).collect();
    let old: Report = serde_json::from_str(&json).unwrap();
    assert!(old.clause("FM09").unwrap().explanation_zh().is_none());
    let text = RenderOptions::new().lang(Lang::Zh).text(&old);
    assert!(text.contains("      fails `raw.cold_storage or raw.max_hold <= raw_hold_max`"), "{text}");
}

#[test]
fn warnings_are_drawn_in_the_report_language_and_in_both() {
    let rulebook =
        Rulebook::compile("fishmeal.eco", &std::fs::read_to_string(format!("{RULES}/fishmeal.eco")).unwrap()).unwrap();
    let audit = r#"{"audit": {"date": "2012-01-01"}, "facts": {"stack.heigth": "20 m"}}"#;
    let report = rulebook.score_json(audit, &ScoreOptions::default()).unwrap();
    let (en, zh) = (report.warnings().to_vec(), report.warnings_zh().unwrap().to_vec());
    assert_eq!((en.len(), zh.len()), (2, 2));
    let lines = |text: String, prefix: &str| -> Vec<String> {
        text.lines().filter_map(|l| l.strip_prefix(prefix)).map(str::to_string).collect()
    };
    let zh_text = RenderOptions::new().lang(Lang::Zh).text(&report);
    assert_eq!(lines(zh_text, "警告："), zh);
    assert_eq!(lines(RenderOptions::new().lang(Lang::En).text(&report), "warning: "), en);
    // Both: each in Chinese, then in English, as explanations are.
    let both = lines(ecorule::render_text(&report, false), "warning: ");
    assert_eq!(both, [zh[0].clone(), en[0].clone(), zh[1].clone(), en[1].clone()]);
    let html = RenderOptions::new().lang(Lang::Zh).html_fragment(&report);
    assert!(zh.iter().all(|w| html.contains(w.as_str())) && !html.contains(&en[0]), "{html}");
}

#[test]
fn an_unverified_reason_is_given_in_one_language_or_in_both() {
    let source = r#"rulebook r "规则" en "Rules" {
  facts {
    x: number "x" en "x"
  }
  let both = 2 { unverified "草案取值" en "draft figure" }
  let one = 3 { unverified "not checked" }

  scoring {
    scale 2
    grade a "甲" otherwise
    verdict standardize otherwise
  }

  area A "一" en "One" {
    clause C1 "一" en "One" points 1 {
      require x >= both
    }

    clause C2 "二" en "Two" points 1 {
      require x >= one
    }
  }
}
"#;
    // `fmt` keeps both (the source is in its canonical layout).
    let parsed_source = ecorule::Source::new("r.eco", source.to_string());
    let parsed = ecorule::parse(&parsed_source, &ecorule::Limits::default()).unwrap();
    assert_eq!(ecorule::fmt::format(&parsed, source), source);
    let rulebook = Rulebook::compile("r.eco", source).unwrap();
    let report = rulebook.score_json(r#"{"facts": {"x": 5}}"#, &ScoreOptions::default()).unwrap();
    let json: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
    assert_eq!(
        json["unverified"],
        serde_json::json!([
            {"name": "both", "reason": "draft figure", "reason_zh": "草案取值", "clauses": ["C1"]},
            {"name": "one", "reason": "not checked", "clauses": ["C2"]},
        ])
    );
    let reasons = |lang| report.unverified().map(|u| u.reason_in(lang)).collect::<Vec<_>>();
    assert_eq!(reasons(Lang::Zh), ["草案取值", "not checked"]);
    assert_eq!(reasons(Lang::En), ["draft figure", "not checked"]);
    assert_eq!(reasons(Lang::Both), ["草案取值 / draft figure", "not checked"]);
    // Read back, the report is the same, and so is its JSON.
    let again: Report = serde_json::from_str(&report.to_json()).unwrap();
    assert_eq!(again.to_json(), report.to_json());
    assert!(RenderOptions::new().lang(Lang::Zh).text(&again).contains("both（C1）：草案取值\n"));
}
