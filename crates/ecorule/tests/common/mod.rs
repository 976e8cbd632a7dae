//! Helpers shared by the integration tests.

use ecorule::{RowSummary, Rulebook, Summary};

/// A batch's summary with the grade, verdict and veto clauses its indices
/// name, to compare with the summary of the same audit scored on its own.
pub fn named(rulebook: &Rulebook, row: RowSummary) -> Summary {
    let info = rulebook.info();
    let clauses: Vec<&str> = rulebook.clause_ids().collect();
    let id = |list: &[ecorule::OutcomeInfo], i: usize| list.get(i).map(|o| o.id.clone());
    Summary {
        score_min: row.score_min,
        score_max: row.score_max,
        grade: id(&info.grades, row.grade).unwrap_or_else(|| panic!("no grade {}", row.grade)),
        grade_best: id(&info.grades, row.grade_best).unwrap_or_else(|| panic!("no grade {}", row.grade_best)),
        verdict: id(&info.verdicts, row.verdict).unwrap_or_else(|| panic!("no verdict {}", row.verdict)),
        verdict_best: id(&info.verdicts, row.verdict_best).unwrap_or_else(|| panic!("no verdict {}", row.verdict_best)),
        determined: row.determined,
        vetoes: row
            .vetoes
            .iter()
            .map(|i| clauses.get(*i).map(|id| id.to_string()).unwrap_or_else(|| panic!("no clause {i}")))
            .collect(),
        statuses: row.statuses,
    }
}
