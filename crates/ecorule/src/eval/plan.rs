//! A program made ready to evaluate, once per rulebook: every expression
//! compiled to a closure ([`super::compile`]) and every clause's points per
//! outcome worked out in advance.

use super::compile::{Compiler, CondFn, NumFn};
use super::lane::Lane;
use super::{Outcome, R, option, overflow};
use crate::ir::*;
use crate::num::Num;

/// A clause's conditions, compiled, and what each outcome earns.
pub(crate) struct ClausePlan {
    pub when: Vec<CondFn>,
    pub require: Vec<CondFn>,
    pub partials: Vec<CondFn>,
    /// Points earned and counted for pass, fail, not applicable, then each
    /// partial; `None` where they overflow.
    options: Vec<Option<(Num, Num)>>,
    /// The same as whole multiples of the common denominator of every
    /// clause's points, when they fit.
    units: Vec<Option<(i128, i128)>>,
    /// Most steps evaluating the clause's conditions can take.
    pub most_steps: u64,
}

/// Expression nodes, for a bound on evaluation steps.
fn nodes(e: &Expr) -> u64 {
    let mut n: u64 = 1;
    e.for_each_child(|child| n = n.saturating_add(nodes(child)));
    n
}

/// Most steps the closures count for one node.
const STEPS_PER_NODE: u64 = 3;

/// Most steps the closures can take evaluating `e` (its `let`s included).
pub(crate) fn most_steps(e: &Expr) -> u64 {
    nodes(e).saturating_mul(STEPS_PER_NODE)
}

impl ClausePlan {
    /// Points earned and counted in the denominator for `outcome`.
    pub(crate) fn option(&self, outcome: Outcome) -> R<(Num, Num)> {
        self.options.get(Self::index(outcome)).copied().flatten().ok_or_else(overflow)
    }

    /// [`ClausePlan::option`] in units of the common denominator, if it fits.
    pub(crate) fn units(&self, outcome: Outcome) -> Option<(i128, i128)> {
        self.units.get(Self::index(outcome)).copied().flatten()
    }

    fn index(outcome: Outcome) -> usize {
        match outcome {
            Outcome::Pass => 0,
            Outcome::Fail => 1,
            Outcome::NotApplicable => 2,
            Outcome::Partial(i) => 3 + i,
        }
    }
}

/// The least common denominator of every clause's points, so decided
/// clauses sum as integers; `None` if it overflows.
fn common_unit(clauses: &[ClausePlan]) -> Option<i128> {
    use num_integer::Integer;
    let mut unit: i128 = 1;
    for (e, a) in clauses.iter().flat_map(|c| c.options.iter().flatten()) {
        for d in [e.fraction().1, a.fraction().1] {
            unit = unit.checked_mul(d / unit.gcd(&d))?;
        }
    }
    Some(unit)
}

fn in_units(n: Num, unit: i128) -> Option<i128> {
    let (numer, denom) = n.fraction();
    numer.checked_mul(unit / denom)
}

pub(crate) enum DeductionPlan {
    Per(NumFn),
    When(CondFn),
}

/// Every expression of a program, compiled.
pub(crate) struct Plan {
    pub clauses: Vec<ClausePlan>,
    pub deductions: Vec<DeductionPlan>,
    pub grades: Vec<Option<CondFn>>,
    pub verdicts: Vec<Option<CondFn>>,
    /// The same conditions as code for the summary's fast lane.
    pub lane: Lane,
}

impl std::fmt::Debug for Plan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Plan({} clauses)", self.clauses.len())
    }
}

impl Plan {
    pub(crate) fn new(program: &Program) -> Plan {
        let c = Compiler::new(program);
        let conds = |list: &[Cond]| list.iter().map(|x| c.cond(&x.expr)).collect();
        let outcomes = |list: &[OutcomeDef]| list.iter().map(|o| o.condition.as_ref().map(|e| c.cond(e))).collect();
        let mut plan = Plan {
            clauses: program
                .clauses
                .iter()
                .map(|d| {
                    let policy = program.scoring.not_applicable;
                    let outcomes = [Outcome::Pass, Outcome::Fail, Outcome::NotApplicable]
                        .into_iter()
                        .chain((0..d.partials.len()).map(Outcome::Partial));
                    ClausePlan {
                        when: conds(&d.when),
                        require: conds(&d.require),
                        partials: d.partials.iter().map(|(_, x)| c.cond(&x.expr)).collect(),
                        options: outcomes.map(|o| option(d, o, policy).ok()).collect(),
                        units: Vec::new(),
                        most_steps: d.conds().fold(0u64, |n, x| n.saturating_add(most_steps(&x.expr))),
                    }
                })
                .collect(),
            deductions: program
                .scoring
                .deductions
                .iter()
                .map(|d| match &d.basis {
                    Basis::Per(e) => DeductionPlan::Per(c.num(e)),
                    Basis::When(e) => DeductionPlan::When(c.cond(e)),
                })
                .collect(),
            grades: outcomes(&program.scoring.grades),
            verdicts: outcomes(&program.scoring.verdicts),
            lane: Lane::new(program, &c),
        };
        if let Some(unit) = common_unit(&plan.clauses) {
            for c in &mut plan.clauses {
                let units = |(e, a): (Num, Num)| Some((in_units(e, unit)?, in_units(a, unit)?));
                c.units = c.options.iter().map(|o| o.and_then(units)).collect();
            }
        }
        plan
    }
}
