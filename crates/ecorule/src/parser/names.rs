//! Human names for grammar rules, used in syntax errors.
//!
//! The match is complete (no `_` arm): adding a rule to the grammar without
//! naming it here does not compile.

use super::Rule;

/// The name of `days`, after a fix's period.
pub(super) const DAYS: &str = "`days`";

/// What a user would call the thing a rule matches; `None` for rules that
/// never help an error message.
pub(super) fn rule_name(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::EOI => "the end of the file",
        Rule::file => "a `module` or `rulebook`",
        Rule::module => "a `module`",
        Rule::rulebook => "a `rulebook`",
        Rule::title => "a title in quotes",
        Rule::table => "a `table`",
        Rule::param => "a table key like `height: quantity m`",
        Rule::lookup => "a look-up rule (`exact`, `nearest`, `floor` or `linear`)",
        Rule::row => "a table row like `15 m => 4.9 kg/h`",
        Rule::constant => "a `const`",
        Rule::unverified_stmt => "`unverified \"…\"`",
        Rule::version_stmt => "`version \"…\"`",
        Rule::effective_stmt => "`effective YYYY-MM-DD`",
        Rule::use_stmt => "`use module`",
        Rule::ref_stmt => "`ref \"…\"`",
        Rule::let_stmt => "`let name = …`",
        Rule::facts => "a `facts` block",
        Rule::fact_decl => "a fact declaration like `stack.height: quantity m \"…\"`",
        Rule::help => "`help \"…\"`",
        Rule::fact_min => "`min` and the least value",
        Rule::fact_max => "`max` and the greatest value",
        Rule::type_expr | Rule::list_type => "a type",
        Rule::simple_type => "a type (`bool`, `number`, `count`, `text`, `date`, `duration`)",
        Rule::quantity_type => "`quantity UNIT`",
        Rule::enum_type => "`enum { … }`",
        Rule::enum_variant => "an enum value",
        Rule::unit_text => "a unit",
        Rule::scoring => "a `scoring` block",
        Rule::scale_stmt => "`scale N`",
        Rule::na_stmt => "`not_applicable rescale|zero|full`",
        Rule::na_policy => "`rescale`, `zero` or `full`",
        Rule::grade_stmt => "a `grade`",
        Rule::verdict_stmt => "a `verdict`",
        Rule::condition => "`when …` or `otherwise`",
        Rule::otherwise => "`otherwise`",
        Rule::deduct_stmt => "a `deduct`",
        Rule::deduct_per => "`per …`",
        Rule::deduct_when => "`when …`",
        Rule::deduct_max => "`max N`",
        Rule::area => "an `area`",
        Rule::clause => "a `clause`",
        Rule::veto => "`veto`",
        Rule::evidence_stmt => "`evidence \"…\"`",
        Rule::when_stmt => "`when …`",
        Rule::require_stmt => "`require …`",
        Rule::partial_stmt => "`partial F when …`",
        Rule::fix_stmt => "`fix \"…\" within N days`",
        Rule::days => DAYS,
        Rule::expr => "an expression",
        Rule::not => "`not`",
        Rule::neg => "`-`",
        Rule::op => "an operator",
        Rule::list => "a list `[…]`",
        Rule::group => "`(`",
        Rule::if_expr => "`if … then … else …`",
        // Named as the statement it starts: pest names the keyword, not
        // `when_stmt`, when a misspelt `whenn` fails inside the statement.
        Rule::kw_when => "`when …`",
        Rule::kw_en => "`en \"…\"`",
        Rule::kw_if => "`if`",
        Rule::kw_then => "`then`",
        Rule::kw_else => "`else`",
        Rule::literal => "a value",
        Rule::boolean => "`true` or `false`",
        Rule::quantity => "a number",
        Rule::sign => "`-`",
        Rule::number => "a number",
        Rule::date => "a date (YYYY-MM-DD)",
        Rule::string => "a string in quotes",
        Rule::unit | Rule::unit_atom | Rule::unit_power => "a unit",
        Rule::name | Rule::var => "a name",
        Rule::ident => "an identifier",
        // After a name, `(` is named as punctuation already.
        Rule::args
        | Rule::WHITESPACE
        | Rule::module_item
        | Rule::rulebook_item
        | Rule::table_item
        | Rule::constant_item
        | Rule::scalar_type
        | Rule::scoring_item
        | Rule::clause_item
        | Rule::prefix
        | Rule::primary
        | Rule::ident_char
        | Rule::comment_text => return None,
    })
}

/// `a`, `a or b`, `a, b or c` (at most eight, then `…`).
pub(super) fn one_of(items: &[String]) -> String {
    let shown: Vec<&str> = items.iter().take(8).map(String::as_str).collect();
    match shown.as_slice() {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => {
            let more = if items.len() > 8 { ", …" } else { "" };
            format!("{}{more} or {last}", init.join(", "))
        }
    }
}
