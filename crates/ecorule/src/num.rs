//! Exact numbers: every value, limit, point and score is a rational.
//!
//! `0.1 + 0.2 <= 0.3` holds, `t/a` converts to `kg/d` without rounding, and
//! a score prints with the same digits on every platform. Arithmetic is
//! checked: an overflow is an error, never a wrong answer.

use std::fmt;

use num_integer::Integer;
use num_rational::Ratio;
use num_traits::{CheckedAdd, CheckedMul, CheckedSub, Signed, Zero};

/// An exact rational number.
#[derive(Clone, Copy)]
pub struct Num(Ratio<i128>);

// INVARIANT: every `Num` is built by `Ratio::new` or from an integer, so it
// is in lowest terms with a positive denominator; equal values have equal
// fields, and comparing by cross-multiplication is exact.
impl PartialEq for Num {
    fn eq(&self, other: &Self) -> bool {
        self.0.numer() == other.0.numer() && self.0.denom() == other.0.denom()
    }
}

impl Eq for Num {}

impl std::hash::Hash for Num {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        // Equal values have equal fields (lowest terms), as `eq` relies on.
        self.0.numer().hash(state);
        self.0.denom().hash(state);
    }
}

impl Ord for Num {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        let (a, b) = (*self.0.numer(), *self.0.denom());
        let (c, d) = (*other.0.numer(), *other.0.denom());
        if b == d {
            return a.cmp(&c);
        }
        // Parts that fit in 64 bits multiply without overflow checks.
        if let (Ok(a), Ok(b), Ok(c), Ok(d)) = (i64::try_from(a), i64::try_from(b), i64::try_from(c), i64::try_from(d)) {
            return (i128::from(a) * i128::from(d)).cmp(&(i128::from(c) * i128::from(b)));
        }
        match (a.checked_mul(d), c.checked_mul(b)) {
            (Some(x), Some(y)) => x.cmp(&y),
            _ => self.0.cmp(&other.0),
        }
    }
}

impl PartialOrd for Num {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// The places a number's digits may stand in, however it is written: its
/// first significant digit at most at 10^30 (`1e31` and a `1` followed by
/// 31 zeros are both refused), its last at least at 10^-30 (`1e-31`,
/// `0.1e-30` and a point followed by 30 zeros and a `1` are all refused).
pub(crate) const MAX_EXPONENT: i32 = 30;
/// Most significant digits accepted in a literal, counted from the first
/// nonzero digit to the last: a number has as many however it is written
/// (`1e30` and a `1` followed by 30 zeros have one).
pub(crate) const MAX_DIGITS: usize = 30;

impl Num {
    /// Zero.
    pub const ZERO: Num = Num(Ratio::new_raw(0, 1));
    /// One.
    pub const ONE: Num = Num(Ratio::new_raw(1, 1));

    /// The integer `n`.
    pub fn int(n: i64) -> Num {
        Num(Ratio::from_integer(i128::from(n)))
    }

    /// `numer / denom`; `None` when `denom` is zero or either part is
    /// `i128::MIN`.
    pub fn ratio(numer: i128, denom: i128) -> Option<Num> {
        // `i128::MIN` has no positive counterpart: it cannot be negated to
        // keep the denominator positive, nor be reduced safely.
        if denom == 0 || numer == i128::MIN || denom == i128::MIN {
            return None;
        }
        // Parts within 63 bits reduce by a 64-bit gcd.
        if let (Ok(n), Ok(d)) = (i64::try_from(numer), i64::try_from(denom))
            && n != i64::MIN
            && d != i64::MIN
        {
            let g = i64::try_from(gcd_u64(n.unsigned_abs(), d.unsigned_abs())).unwrap_or(1);
            let (n, d) = if d < 0 { (-n / g, -d / g) } else { (n / g, d / g) };
            return Some(Num(Ratio::new_raw(i128::from(n), i128::from(d))));
        }
        Some(Num(Ratio::new(numer, denom)))
    }

    /// Parses decimal text as written in a rulebook or an audit:
    /// `12`, `-4.90`, `1e-7`, `2.5E3`. `None` if it is not such a number or
    /// cannot be held exactly: more than 30 significant digits, a value of
    /// 10^31 or more, or a digit after the 10^-30s place.
    pub fn parse(text: &str) -> Option<Num> {
        match Num::parse_short(text) {
            Some(n) => Some(n),
            None => Num::parse_general(text),
        }
    }

    /// [`Num::parse`] of the usual numbers: an optional `-`, then digits
    /// with at most one point between them, 19 bytes at most (so the
    /// digits fit in 64 bits), no exponent. `None` for any other text,
    /// which [`Num::parse_general`] then reads (or rejects).
    fn parse_short(text: &str) -> Option<Num> {
        let (negative, digits) = match text.as_bytes() {
            [b'-', rest @ ..] => (true, rest),
            bytes => (false, bytes),
        };
        if digits.is_empty() || digits.len() > 19 {
            return None;
        }
        let mut units: u64 = 0;
        let mut point = None;
        for (i, &b) in digits.iter().enumerate() {
            match b {
                b'0'..=b'9' => units = units * 10 + u64::from(b - b'0'),
                b'.' if point.is_none() && i > 0 && i + 1 < digits.len() => point = Some(i),
                _ => return None,
            }
        }
        let sign = |n: u64| if negative { -i128::from(n) } else { i128::from(n) };
        let Some(point) = point else {
            return Some(Num(Ratio::from_integer(sign(units))));
        };
        // units / 10^places in lowest terms: 10^places = 2^places 5^places,
        // so the common factor is the twos and the fives they share.
        let places = u32::try_from(digits.len() - point - 1).ok()?;
        let mut denom = 10u64.pow(places);
        let twos = units.trailing_zeros().min(places);
        units >>= twos;
        denom >>= twos;
        while denom % 5 == 0 && units % 5 == 0 {
            units /= 5;
            denom /= 5;
        }
        Some(Num(Ratio::new_raw(sign(units), i128::from(denom))))
    }

    /// [`Num::parse`] of any text.
    fn parse_general(text: &str) -> Option<Num> {
        let (negative, rest) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text.strip_prefix('+').unwrap_or(text)),
        };
        let (mantissa, exponent) = match rest.find(['e', 'E']) {
            Some(i) => (rest.get(..i)?, rest.get(i + 1..)?.parse::<i32>().ok()?),
            None => (rest, 0),
        };
        let (whole, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        if !frac.bytes().all(|b| b.is_ascii_digit()) || (mantissa.contains('.') && frac.is_empty()) {
            return None;
        }
        // Significant digits, read without building a string: from the
        // first nonzero digit to the last, so a number has as many however
        // it is written (`1000` and `1e3` one, `1.50` two). The zeros after
        // the last are held back and become part of the scale.
        let mut significant = 0usize;
        let mut zeros = 0usize;
        let mut numer: i128 = 0;
        for b in whole.bytes().chain(frac.bytes()) {
            if b == b'0' {
                zeros += usize::from(numer != 0);
                continue;
            }
            significant += zeros + 1;
            if significant > MAX_DIGITS {
                return None;
            }
            // INVARIANT: at most 30 digits so far, so 10^(zeros + 1) and the
            // new numerator fit in 128 bits.
            numer = numer * 10i128.pow(u32::try_from(zeros).ok()? + 1) + i128::from(b - b'0');
            zeros = 0;
        }
        if numer == 0 {
            return Some(Num::ZERO);
        }
        if negative {
            numer = -numer;
        }
        let scale = i64::from(exponent) - i64::try_from(frac.len()).ok()? + i64::try_from(zeros).ok()?;
        // The first significant digit stands for at most 10^30 and the last
        // for at least 10^-30, however the number is written: `1` and 31
        // zeros is `1e31`, too large; `0.1e-30` is `1e-31`, too small; and
        // `1000e-33` is `1e-30`, held.
        let last = i64::from(MAX_EXPONENT);
        if scale < -last || scale + i64::try_from(significant).ok()? - 1 > last {
            return None;
        }
        let power = 10i128.checked_pow(u32::try_from(scale.unsigned_abs()).ok()?)?;
        if scale >= 0 {
            return Some(Num(Ratio::from_integer(numer.checked_mul(power)?)));
        }
        // numer / 10^k: the common factor is a power of two and of five,
        // found by a 64-bit gcd when the parts fit.
        if let (Ok(n), Ok(p)) = (u64::try_from(numer.unsigned_abs()), u64::try_from(power)) {
            let g = i128::from(gcd_u64(n, p).max(1));
            return Some(Num(Ratio::new_raw(numer / g, power / g)));
        }
        Some(Num(Ratio::new(numer, power)))
    }

    /// Converts a float that came from JSON, through its shortest decimal
    /// form, so `0.1` means one tenth. `None` for NaN and infinities.
    pub fn from_f64(value: f64) -> Option<Num> {
        if !value.is_finite() {
            return None;
        }
        let text = format!("{value:e}");
        Num::parse(&text)
    }

    /// `self + rhs`, `None` on overflow.
    pub fn checked_add(self, rhs: Num) -> Option<Num> {
        self.add_or_sub(rhs, i128::checked_add, |x, y| x.checked_add(y))
    }

    /// `self - rhs`, `None` on overflow.
    pub fn checked_sub(self, rhs: Num) -> Option<Num> {
        self.add_or_sub(rhs, i128::checked_sub, |x, y| x.checked_sub(y))
    }

    /// `self op rhs` for `+` or `-`, given as `op` on whole numbers and
    /// `general` on rationals. Fast paths: points and most sums are whole
    /// numbers or share a denominator; a/b ± c is (a ± cb)/b, already in
    /// lowest terms (no gcd); the general case finds a common denominator.
    fn add_or_sub(
        self,
        rhs: Num,
        op: fn(i128, i128) -> Option<i128>,
        general: fn(&Ratio<i128>, &Ratio<i128>) -> Option<Ratio<i128>>,
    ) -> Option<Num> {
        let (a, b, c, d) = self.parts(rhs);
        if b == 1 && d == 1 {
            return op(a, c).map(|n| Num(Ratio::from_integer(n)));
        }
        if d == 1 {
            return Some(Num(Ratio::new_raw(op(a, c.checked_mul(b)?)?, b)));
        }
        if b == 1 {
            return Some(Num(Ratio::new_raw(op(a.checked_mul(d)?, c)?, d)));
        }
        if b == d {
            return Some(Num(Ratio::new(op(a, c)?, b)));
        }
        if let (Ok(a), Ok(b), Ok(c), Ok(d)) = (i64::try_from(a), i64::try_from(b), i64::try_from(c), i64::try_from(d)) {
            return Num::add_small(a, b, c, d, op);
        }
        general(&self.0, &rhs.0).map(Num)
    }

    /// `a/b ± c/d` for fractions in lowest terms whose parts fit in 64 bits,
    /// with 64-bit gcds only (Knuth, TAOCP 4.5.1): with g = gcd(b, d) and
    /// t = a(d/g) ± c(b/g), the sum is (t/h) / ((b/g)(d/h)) for h = gcd(t, g).
    fn add_small(a: i64, b: i64, c: i64, d: i64, op: fn(i128, i128) -> Option<i128>) -> Option<Num> {
        // INVARIANT: b, d > 0, so g is at least 1; the products fit in 127 bits.
        let g = i128::from(gcd_u64(b.unsigned_abs(), d.unsigned_abs()).max(1));
        let (b, d) = (i128::from(b), i128::from(d));
        let t = op(i128::from(a) * (d / g), i128::from(c) * (b / g))?;
        if t == 0 {
            return Some(Num::ZERO);
        }
        let rem = u64::try_from(t.unsigned_abs() % g.unsigned_abs()).ok()?;
        let h = i128::from(gcd_u64(rem, u64::try_from(g).ok()?).max(1));
        Some(Num(Ratio::new_raw(t / h, (b / g) * (d / h))))
    }

    /// Numerator and (positive) denominator in lowest terms.
    pub(crate) fn fraction(self) -> (i128, i128) {
        (*self.0.numer(), *self.0.denom())
    }

    fn parts(self, rhs: Num) -> (i128, i128, i128, i128) {
        (*self.0.numer(), *self.0.denom(), *rhs.0.numer(), *rhs.0.denom())
    }

    /// `self * rhs`, `None` on overflow.
    pub fn checked_mul(self, rhs: Num) -> Option<Num> {
        let (a, b, c, d) = self.parts(rhs);
        if b == 1 && d == 1 {
            return a.checked_mul(c).map(|n| Num(Ratio::from_integer(n)));
        }
        if rhs == Num::ONE {
            return Some(self);
        }
        if self == Num::ONE {
            return Some(rhs);
        }
        // A fraction times a whole number: one gcd, no reduction after.
        if d == 1 {
            return Num::scale(a, b, c);
        }
        if b == 1 {
            return Num::scale(c, d, a);
        }
        if let (Ok(a), Ok(b), Ok(c), Ok(d)) = (i64::try_from(a), i64::try_from(b), i64::try_from(c), i64::try_from(d)) {
            return Some(Num::mul_small(a, b, c, d));
        }
        self.0.checked_mul(&rhs.0).map(Num)
    }

    /// `(a/b) * (c/d)` for fractions in lowest terms whose parts fit in 64
    /// bits: cancelled crosswise with 64-bit gcds, the product is in lowest
    /// terms and cannot overflow 128 bits.
    fn mul_small(a: i64, b: i64, c: i64, d: i64) -> Num {
        // INVARIANT: b, d > 0, so both gcds are at least 1.
        let g1 = i64::try_from(gcd_u64(a.unsigned_abs(), d.unsigned_abs())).unwrap_or(1).max(1);
        let g2 = i64::try_from(gcd_u64(c.unsigned_abs(), b.unsigned_abs())).unwrap_or(1).max(1);
        let numer = i128::from(a / g1) * i128::from(c / g2);
        let denom = i128::from(b / g2) * i128::from(d / g1);
        Num(Ratio::new_raw(numer, denom))
    }

    /// `(numer / denom) * k` for a fraction in lowest terms: with g the gcd
    /// of k and denom, `numer * (k/g) / (denom/g)` is in lowest terms too.
    fn scale(numer: i128, denom: i128, k: i128) -> Option<Num> {
        let (k, denom) = match (u64::try_from(k.unsigned_abs()), u64::try_from(denom)) {
            // 64-bit gcd and divisions where the parts allow.
            (Ok(a), Ok(b)) => match gcd_u64(a, b) {
                0 => return Some(Num::ZERO),
                g => (i128::from(a / g) * k.signum(), i128::from(b / g)),
            },
            _ => match k.gcd(&denom) {
                0 => return Some(Num::ZERO),
                g => (k / g, denom / g),
            },
        };
        let numer = numer.checked_mul(k)?;
        Some(Num(if denom == 1 { Ratio::from_integer(numer) } else { Ratio::new_raw(numer, denom) }))
    }

    /// `self / rhs`, `None` on overflow or division by zero.
    pub fn checked_div(self, rhs: Num) -> Option<Num> {
        if rhs.0.is_zero() {
            return None;
        }
        // Times the reciprocal (in lowest terms too), its sign moved to
        // the numerator.
        let (c, d) = (*rhs.0.numer(), *rhs.0.denom());
        let reciprocal = if c < 0 { Ratio::new_raw(d.checked_neg()?, c.checked_neg()?) } else { Ratio::new_raw(d, c) };
        self.checked_mul(Num(reciprocal))
    }

    /// `-self`, `None` on overflow.
    pub fn checked_neg(self) -> Option<Num> {
        Num::ZERO.checked_sub(self)
    }

    /// The absolute value.
    pub fn abs(self) -> Option<Num> {
        if self.0.is_negative() { self.checked_neg() } else { Some(self) }
    }

    /// True for zero.
    pub fn is_zero(self) -> bool {
        self.0.is_zero()
    }

    /// True below zero.
    pub fn is_negative(self) -> bool {
        self.0.is_negative()
    }

    /// True for whole numbers.
    pub fn is_integer(self) -> bool {
        self.0.is_integer()
    }

    /// The whole part, rounded toward zero, if it fits.
    pub fn trunc_i64(self) -> Option<i64> {
        i64::try_from(self.0.to_integer()).ok()
    }

    /// Rounds to `places` decimals, halves away from zero (四舍五入).
    pub fn round(self, places: u32) -> Option<Num> {
        let unit = 10i128.checked_pow(places)?;
        // A value with at most `places` decimals (a denominator dividing
        // 10^places) is its own rounding.
        if matches!((u64::try_from(unit), u64::try_from(*self.0.denom())), (Ok(u), Ok(d)) if u.checked_rem(d) == Some(0))
        {
            return Some(self);
        }
        Num::ratio(self.units(places)?, unit)
    }

    /// The value rounded to `places` decimals, in whole units of 10^-places.
    fn units(self, places: u32) -> Option<i128> {
        let scaled = i128::checked_mul(*self.0.numer(), 10i128.checked_pow(places)?)?;
        let denom = *self.0.denom();
        if denom == 1 {
            return Some(scaled);
        }
        let (mut q, r) = match (i64::try_from(scaled), i64::try_from(denom)) {
            // 64-bit division where the parts allow (`denom` is positive).
            (Ok(s), Ok(d)) if s != i64::MIN => (i128::from(s / d), i128::from(s % d)),
            _ => scaled.div_rem(&denom),
        };
        if i128::checked_mul(r, 2)?.abs() >= denom {
            q += if scaled.is_negative() { -1 } else { 1 };
        }
        Some(q)
    }

    /// The value with exactly `places` decimals (`87.50`).
    pub fn to_fixed(self, places: u32) -> String {
        let mut out = String::with_capacity(24);
        self.write_rounded(places, false, &mut out);
        out
    }

    /// The exact decimal if the value has one, otherwise six places
    /// (`4.9`, `0.0001`, `2.739726`), or six significant digits for a
    /// value below 0.1 (`0.000000333333`): a small value never reads as 0.
    pub fn to_decimal(self) -> String {
        let mut out = String::with_capacity(24);
        self.write_decimal(&mut out);
        out
    }

    /// [`Num::to_decimal`], appended to `out`. The usual numbers (exact
    /// decimals whose digits fit in 64 bits) are written without `fmt` or
    /// 128-bit division; the same bytes as [`Num::write_rounded`].
    pub(crate) fn write_decimal(self, out: &mut String) {
        // Whole numbers, the usual values, straight away.
        if *self.0.denom() == 1
            && let Ok(whole) = i64::try_from(*self.0.numer())
        {
            if whole < 0 {
                out.push('-');
            }
            write_digits(out, whole.unsigned_abs(), 1);
            return;
        }
        let Some(places) = self.exact_places() else {
            // A repeating decimal (`1/3`, `t/a` in `kg/d`), or one too long.
            self.write_rounded(self.shown_places(), true, out);
            return;
        };
        // An exact decimal's denominator divides 10^places.
        let units = (places <= 18)
            .then(|| {
                let denom = u64::try_from(*self.0.denom()).ok()?;
                i64::try_from(self.0.numer().checked_mul(&i128::from(10u64.pow(places) / denom))?).ok()
            })
            .flatten();
        let Some(units) = units else {
            // Every digit, in 128 bits (`14.9999999999999999`), or by long
            // division when the scaled value overflows them
            // (`0.3000000000000000000001`).
            if self.units(places).is_some() {
                self.write_rounded(places, true, out);
            } else {
                self.write_long(places, out);
            }
            return;
        };
        let mut places = places;
        if units < 0 {
            out.push('-');
        }
        let units = units.unsigned_abs();
        let power = 10u64.pow(places);
        let (whole, mut frac) = (units / power, units % power);
        while places > 0 && frac % 10 == 0 {
            frac /= 10;
            places -= 1;
        }
        write_digits(out, whole, 1);
        if places > 0 {
            out.push('.');
            write_digits(out, frac, places as usize);
        }
    }

    /// The exact decimal of `places` places, a digit at a time, appended to
    /// `out`: for the values whose digits overflow 128 bits when scaled.
    fn write_long(self, places: u32, out: &mut String) {
        use std::fmt::Write;
        let (numer, denom) = (self.0.numer().unsigned_abs(), self.0.denom().unsigned_abs());
        let (whole, mut rest) = (numer / denom, numer % denom);
        let mut digits = String::with_capacity(places as usize);
        for _ in 0..places {
            // The next digit is 10 × rest / denom, by ten additions: 10 ×
            // rest overflows 128 bits for a denominator past 2^124, where
            // rest + rest < 2 × denom ≤ 2^128 does not (`3e-38`).
            let mut digit = 0u8;
            let mut next = 0u128;
            for _ in 0..10 {
                next += rest;
                if next >= denom {
                    next -= denom;
                    digit += 1;
                }
            }
            digits.push(char::from(b'0' + digit));
            rest = next;
        }
        if self.0.numer().is_negative() {
            out.push('-');
        }
        let _ = write!(out, "{whole}");
        let digits = digits.trim_end_matches('0');
        if !digits.is_empty() {
            out.push('.');
            out.push_str(digits);
        }
    }

    /// Places for a value written rounded: six, and one more for each zero
    /// between the point and the first digit of a value below 0.1, as far
    /// as 128 bits hold them.
    fn shown_places(self) -> u32 {
        let (mut n, d) = (self.0.numer().unsigned_abs(), self.0.denom().unsigned_abs());
        let mut places = 6;
        while n != 0 && places < 38 {
            match n.checked_mul(10) {
                Some(m) if m < d => {
                    n = m;
                    places += 1;
                }
                _ => break,
            }
        }
        while places > 6 && self.units(places).is_none() {
            places -= 1;
        }
        places
    }

    /// The places of the exact decimal, when it has one: a denominator
    /// 2^a 5^b has max(a, b) (at most 38, as 10^38 is the widest that fits).
    fn exact_places(self) -> Option<u32> {
        let mut denom = self.0.denom().unsigned_abs();
        let twos = denom.trailing_zeros();
        denom >>= twos;
        let mut fives = 0;
        while denom % 5 == 0 {
            denom /= 5;
            fives += 1;
        }
        let places = twos.max(fives);
        (denom == 1 && places <= 38).then_some(places)
    }

    /// Rounded to `places` decimals and appended to `out`; `trim` drops
    /// trailing zeros (and a bare point).
    fn write_rounded(self, places: u32, trim: bool, out: &mut String) {
        use std::fmt::Write;
        let Some(units) = self.units(places) else {
            out.push_str("overflow");
            return;
        };
        if units < 0 {
            out.push('-');
        }
        let units = units.unsigned_abs();
        let power = 10u128.pow(places);
        let (whole, mut frac) = (units / power, units % power);
        let mut places = places;
        if trim {
            while places > 0 && frac % 10 == 0 {
                frac /= 10;
                places -= 1;
            }
        }
        let _ = write!(out, "{whole}");
        if places > 0 {
            let _ = write!(out, ".{frac:0width$}", width = places as usize);
        }
    }

    /// The nearest float to the value as printed ([`Num::to_decimal`]), for
    /// JSON output.
    pub fn to_f64(self) -> f64 {
        // An exact decimal whose parts a double holds exactly: one correctly
        // rounded division gives the double that parsing its text would.
        const EXACT: i128 = 1 << 53;
        let (numer, denom) = (*self.0.numer(), *self.0.denom());
        if numer.abs() <= EXACT && denom <= EXACT && self.exact_places().is_some() {
            #[expect(clippy::cast_precision_loss, reason = "both parts are below 2^53, so exact")]
            return numer as f64 / denom as f64;
        }
        self.to_decimal().parse().unwrap_or(f64::NAN)
    }
}

/// `n` in decimal digits, at least `width` of them (zeros in front).
pub(crate) fn write_digits(out: &mut String, mut n: u64, width: usize) {
    let mut buf = [b'0'; 20];
    let mut len = 0;
    while n > 0 || len < width.max(1) {
        if let Some(b) = buf.get_mut(len) {
            let digit = (n % 10) as u8;
            *b = b'0' + digit;
        } else {
            break;
        }
        n /= 10;
        len += 1;
    }
    for b in buf.iter().take(len).rev() {
        out.push(char::from(*b));
    }
}

/// Stein's binary gcd on 64 bits.
fn gcd_u64(mut a: u64, mut b: u64) -> u64 {
    if a == 0 {
        return b;
    }
    if b == 0 {
        return a;
    }
    let shift = (a | b).trailing_zeros();
    a >>= a.trailing_zeros();
    loop {
        b >>= b.trailing_zeros();
        if a > b {
            std::mem::swap(&mut a, &mut b);
        }
        b -= a;
        if b == 0 {
            return a << shift;
        }
    }
}

impl fmt::Display for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_decimal())
    }
}

impl fmt::Debug for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Num({})", self.to_decimal())
    }
}

impl serde::Serialize for Num {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let value = self.to_f64();
        if value.fract() == 0.0 && value.abs() < 1e15 {
            #[expect(clippy::cast_possible_truncation, reason = "checked whole and in range")]
            return serializer.serialize_i64(value as i64);
        }
        serializer.serialize_f64(value)
    }
}

impl<'de> serde::Deserialize<'de> for Num {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = f64::deserialize(deserializer)?;
        Num::from_f64(value).ok_or_else(|| serde::de::Error::custom(format!("{value} is not an exact number")))
    }
}

#[cfg(test)]
mod tests {
    use num_traits::CheckedDiv;

    use super::*;

    fn n(text: &str) -> Num {
        Num::parse(text).unwrap_or(Num::ZERO)
    }

    #[test]
    fn decimals_are_exact() {
        let sum = n("0.1").checked_add(n("0.2"));
        assert_eq!(sum, Some(n("0.3")));
    }

    #[test]
    fn parses_to_lowest_terms() {
        for (text, numer, denom) in
            [("0.5", 1, 2), ("2.50", 5, 2), ("-0.0040", -1, 250), ("007.25", 29, 4), ("1e-3", 1, 1000)]
        {
            assert_eq!(Num::parse(text).map(Num::fraction), Some((numer, denom)), "{text}");
        }
        assert_eq!(Num::parse("1234567890123456789012345678901"), None);
        assert!(Num::parse("000000000000000000000000000000000001").is_some());
    }

    #[test]
    fn a_number_is_held_or_not_however_it_is_written() {
        // Zeros after the last nonzero digit are not significant: 10^30
        // written out has one significant digit, as `1e30` has.
        let e30 = Num::parse("1e30");
        assert!(e30.is_some());
        for text in ["1000000000000000000000000000000", "1.0e30", "100e28", "1000000000000000000000000000000.000"] {
            assert_eq!(Num::parse(text), e30, "{text}");
        }
        assert_eq!(Num::parse("-1000000000000000000000000000000"), Num::parse("-1e30"));
        assert_eq!(Num::parse("1.000000000000000000000000000000000"), Some(Num::ONE));
        assert_eq!(Num::parse("123456789012345678901234567890e1"), Num::parse("1.23456789012345678901234567890e30"));
        // 10^31 and more are refused, written with an exponent or not.
        let large =
            ["1e31", "10000000000000000000000000000000", "15e30", "-15e30", "99999999999999999999999999999.9e3"];
        for text in large {
            assert_eq!(Num::parse(text), None, "{text}");
        }
        // Still more than 30 significant digits.
        assert_eq!(Num::parse("1000000000000000000000000000001"), None);
        assert_eq!(Num::parse("1.0000000000000000000000000000001"), None);
        // At the small end, the place of the last digit decides, not the
        // exponent as written.
        let e_minus_30 = Num::parse("1e-30");
        assert!(e_minus_30.is_some());
        for text in ["0.000000000000000000000000000001", "1000e-33", "0.01e-28", "10e-31"] {
            assert_eq!(Num::parse(text), e_minus_30, "{text}");
        }
        let small = ["1e-31", "0.1e-30", "0.0000000000000000000000000000001", "-2.5e-34", "1.5e-30", "1e-99999"];
        for text in small {
            assert_eq!(Num::parse(text), None, "{text}");
        }
        // Zero is zero, whatever its exponent.
        for text in ["0e-50", "-0.0e99", "0.000000000000000000000000000000000"] {
            assert_eq!(Num::parse(text), Some(Num::ZERO), "{text}");
        }
    }

    /// Decimal texts of every kind the general parser reads or rejects:
    /// signs, leading zeros, points, exponents, many digits, stray bytes.
    fn decimal_text() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let sign = prop_oneof![Just(""), Just(""), Just("-"), Just("+"), Just("--"), Just("-+")];
        let digits = prop_oneof!["[0-9]{0,3}", "0{0,4}[0-9]{1,6}", "[0-9]{15,22}", "[0-9]{28,33}"];
        let fraction =
            prop_oneof![Just(String::new()), Just(".".to_string()), "\\.[0-9]{1,4}", "\\.[0-9]{10,25}", "\\.0{1,12}"];
        let exponent = prop_oneof![Just(String::new()), Just(String::new()), "[eE][-+]?[0-9]{0,3}"];
        let stray = prop_oneof![Just(String::new()), Just(String::new()), Just(String::new()), "[ .a-z+\\-_,٣]{1,2}"];
        (sign, digits, fraction, exponent, stray, any::<usize>()).prop_map(
            |(sign, digits, fraction, exponent, stray, at)| {
                let mut text = format!("{sign}{digits}{fraction}{exponent}");
                let at = (0..=text.len()).filter(|i| text.is_char_boundary(*i)).nth(at % (text.len() + 1)).unwrap_or(0);
                text.insert_str(at, &stray);
                text
            },
        )
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(5000))]

        /// The short parser reads a text as the general one does, to the
        /// same fraction, or leaves it to it.
        #[test]
        fn short_decimals_parse_as_the_general_parser_parses_them(text in decimal_text()) {
            if let Some(short) = Num::parse_short(&text) {
                proptest::prop_assert_eq!(Some(short.fraction()), Num::parse_general(&text).map(Num::fraction), "{}", text);
            }
        }

        /// A number read from decimal text is written back as an exact
        /// decimal that reads as the same number, however many its digits
        /// (`0.3000000000000000000001` is not written `0.3`).
        #[test]
        fn decimals_are_written_exactly(text in decimal_text()) {
            if let Some(n) = Num::parse(&text) {
                let written = n.to_decimal();
                // `1e30` too, written in full with 31 digits.
                proptest::prop_assert_eq!(Num::parse(&written), Some(n), "{} written {}", text, written);
            }
        }

        /// Every short decimal is taken by the short parser.
        #[test]
        fn short_decimals_are_read_by_the_short_parser(
            negative in proptest::bool::ANY,
            whole in "[0-9]{1,9}",
            fraction in proptest::option::of("[0-9]{1,9}"),
        ) {
            let text = format!("{}{whole}{}", if negative { "-" } else { "" }, fraction.map(|f| format!(".{f}")).unwrap_or_default());
            let short = Num::parse_short(&text);
            proptest::prop_assert!(short.is_some(), "{}", text);
            proptest::prop_assert_eq!(short.map(Num::fraction), Num::parse_general(&text).map(Num::fraction));
        }
    }

    #[test]
    fn long_exact_decimals_keep_every_digit() {
        for text in [
            "0.3000000000000000000001",
            "14.99999999999999999999",
            "-14.99999999999999999999",
            "123456789012.000000000000000001",
        ] {
            assert_eq!(Num::parse(text).map(Num::to_decimal).as_deref(), Some(text));
        }
        // A denominator past 2^124, which no number read has but arithmetic
        // may give: ten times the remainder overflows 128 bits (these were
        // written `0`).
        let e38 = 10i128.pow(38);
        for (numer, text) in
            [(3, "0.00000000000000000000000000000000000003"), (-17, "-0.00000000000000000000000000000000000017")]
        {
            assert_eq!(Num::ratio(numer, e38).map(Num::to_decimal).as_deref(), Some(text));
        }
    }

    #[test]
    fn a_ratio_of_i128_min_is_none() {
        assert_eq!(Num::ratio(i128::MIN, -1), None);
        assert_eq!(Num::ratio(1, i128::MIN), None);
        assert_eq!(Num::ratio(i128::MIN, 1), None);
        assert_eq!(Num::ratio(i128::MAX, -1).map(Num::is_negative), Some(true));
    }

    #[test]
    fn short_decimals_at_the_edges() {
        for text in [
            "0",
            "-0",
            "00",
            "0.0",
            "-0.000",
            "1",
            "10",
            "100.00",
            "0.5",
            "-4.90",
            "007.25",
            "0.021",
            "18",
            "9999999999999999999",
            "999999999.999999999",
            "0.000000000000000001",
            "1844674407370955161",
            "18446744073709551615",
            "-9223372036854775808",
            ".5",
            "5.",
            "-",
            "",
            "1..2",
            "1.2.3",
            "+1",
            "1e3",
            " 1",
            "1 ",
            "١",
        ] {
            let short = Num::parse_short(text);
            if short.is_some() {
                assert_eq!(short.map(Num::fraction), Num::parse_general(text).map(Num::fraction), "{text}");
            }
            assert_eq!(Num::parse(text).map(Num::fraction), Num::parse_general(text).map(Num::fraction), "{text}");
        }
    }

    #[test]
    fn parses_exponents_and_signs() {
        assert_eq!(n("1e-7").checked_mul(Num::int(10_000_000)), Some(Num::ONE));
        assert_eq!(n("-2.5E1"), Num::int(-25));
        assert_eq!(Num::parse("1e400"), None);
        assert_eq!(Num::parse("1."), None);
        assert_eq!(Num::parse(".5"), None);
        assert_eq!(Num::parse("abc"), None);
        assert_eq!(n("-0"), Num::ZERO);
    }

    #[test]
    fn rounds_half_away_from_zero() {
        assert_eq!(n("2.345").to_fixed(2), "2.35");
        assert_eq!(n("-2.345").to_fixed(2), "-2.35");
        assert_eq!(n("87.5").to_fixed(2), "87.50");
        assert_eq!(n("0.004").to_fixed(2), "0.00");
        assert_eq!(Num::int(7).to_fixed(0), "7");
        for (x, places, rounded) in [("2.345", 2, "2.35"), ("87.5", 2, "87.5"), ("-2.5", 0, "-3"), ("1.25", 1, "1.3")] {
            assert_eq!(n(x).round(places), Some(n(rounded)), "{x} to {places} places");
        }
        assert_eq!(Num::ratio(200, 3).and_then(|x| x.round(2)), Some(n("66.67")));
    }

    #[test]
    fn prints_shortest_exact_decimal() {
        assert_eq!(n("4.90").to_string(), "4.9");
        assert_eq!(Num::ratio(1000, 365).map(|x| x.to_string()), Some("2.739726".to_string()));
        assert_eq!(n("0.0001").to_string(), "0.0001");
        // Every digit of an exact decimal, however many: an explanation
        // must not show a value just under a limit as the limit.
        assert_eq!(n("14.9999999999999999").to_string(), "14.9999999999999999");
        assert_eq!(n("0.30000000000000004").to_string(), "0.30000000000000004");
        assert_eq!(n("-1e-30").to_string(), "-0.000000000000000000000000000001");
        assert_eq!(n("123456789012345678901234567.125").to_string(), "123456789012345678901234567.125");
        // A repeating decimal keeps six significant digits below 0.1, so a
        // small value never reads as 0 beside `r > 0` met.
        let third = |x: &str| n(x).checked_div(n("3")).map(|x| x.to_string());
        assert_eq!(third("1").as_deref(), Some("0.333333"));
        assert_eq!(third("0.000001").as_deref(), Some("0.000000333333"));
        assert_eq!(third("-0.02").as_deref(), Some("-0.00666667"));
        assert_eq!(third("3000.5").as_deref(), Some("1000.166667"));
        // A decimal too long for 128 bits (0.5^64) likewise.
        let tiny = (0..64).try_fold(n("1"), |x, _| x.checked_mul(n("0.5")));
        assert_eq!(tiny.map(|x| x.to_string()).as_deref(), Some("0.0000000000000000000542101"));
    }

    #[test]
    fn floats_take_their_shortest_decimal() {
        assert_eq!(Num::from_f64(0.1), Some(n("0.1")));
        assert_eq!(Num::from_f64(f64::NAN), None);
        assert_eq!(Num::from_f64(-0.0), Some(Num::ZERO));
    }

    #[test]
    fn fast_paths_agree_with_plain_rationals() {
        let mut values = Vec::new();
        for numer in -7..=7 {
            for denom in [1, 2, 3, 4, 6, 10, 365, 1_000_000_007] {
                values.push(Num(Ratio::new(numer, denom)));
            }
        }
        // parts at the edge of 64 bits, where the small paths hand over
        let big = i128::from(i64::MAX);
        for (numer, denom) in [(big, 6), (-big, 10), (big - 1, big), (7, big), (big, 1), (-big - 1, 3), (big + 1, 2)] {
            values.push(Num(Ratio::new(numer, denom)));
        }
        for x in &values {
            for y in &values {
                assert_eq!(x.checked_add(*y).map(|n| n.0), x.0.checked_add(&y.0), "{x:?} + {y:?}");
                assert_eq!(x.checked_sub(*y).map(|n| n.0), x.0.checked_sub(&y.0), "{x:?} - {y:?}");
                assert_eq!(x.checked_mul(*y).map(|n| n.0), x.0.checked_mul(&y.0), "{x:?} * {y:?}");
                let quotient = if y.is_zero() { None } else { x.0.checked_div(&y.0) };
                assert_eq!(x.checked_div(*y).map(|n| n.0), quotient, "{x:?} / {y:?}");
                assert_eq!(x.cmp(y), x.0.cmp(&y.0), "{x:?} cmp {y:?}");
                // lowest terms, positive denominator: what Eq relies on
                let sum = x.checked_add(*y).unwrap_or(Num::ZERO).0;
                assert_eq!(sum, Ratio::new(*sum.numer(), *sum.denom()));
                let product = x.checked_mul(*y).unwrap_or(Num::ZERO).0;
                assert_eq!(product, Ratio::new(*product.numer(), *product.denom()));
            }
        }
    }

    #[test]
    fn floats_for_json_match_the_printed_decimal() {
        for numer in -2000..=2000 {
            for denom in [1, 2, 3, 4, 8, 20, 64, 125, 1000, 1024, 3125, 65536, 1_000_000] {
                let Some(n) = Num::ratio(numer, denom) else { continue };
                let parsed: f64 = n.to_decimal().parse().unwrap_or(f64::NAN);
                assert_eq!(n.to_f64().to_bits(), parsed.to_bits(), "{numer}/{denom}");
            }
        }
    }

    #[test]
    fn overflow_is_none() {
        let big = n("1e30");
        assert_eq!(big.checked_mul(big).and_then(|x| x.checked_mul(big)), None);
        assert_eq!(Num::ONE.checked_div(Num::ZERO), None);
    }

    #[test]
    fn decimals_are_written_as_the_general_path_writes_them() {
        let texts = [
            "0",
            "1",
            "-1",
            "7",
            "12.5",
            "-0.25",
            "0.0001",
            "4.9",
            "1e-12",
            "123456789012345678",
            "-99999999999999999999",
        ];
        let mut nums: Vec<Num> = texts.iter().filter_map(|t| Num::parse(t)).collect();
        for (a, b) in
            [(1, 3), (-2, 3), (1, 7), (5, 8), (1, 1024), (1, 8192), (3, 1 << 40), (10i128.pow(30), 3), (i128::MAX, 1)]
        {
            nums.extend(Num::ratio(a, b));
        }
        let wide = [i128::from(i64::MIN), i128::from(i64::MAX), 10i128.pow(18), 10i128.pow(19) - 1, 10i128.pow(19)];
        for numer in (-2100..=2100).chain(wide).chain(wide.map(|w| -w)) {
            for denom in [1, 2, 3, 4, 5, 8, 10, 16, 20, 25, 40, 100, 125, 1000, 4096, 15625, 1_000_000] {
                nums.extend(Num::ratio(numer, denom));
            }
        }
        for n in nums {
            let mut out = String::new();
            n.write_decimal(&mut out);
            let mut general = String::new();
            n.write_rounded(n.exact_places().unwrap_or_else(|| n.shown_places()), true, &mut general);
            assert_eq!(out, general, "{n:?}");
        }
    }
}
