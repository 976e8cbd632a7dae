//! Arbitrary bytes (as lossy UTF-8) through the parser; errors are
//! rendered too, since every error carries a span into the source.
#![no_main]

use ecorule::{Limits, Source};
use libfuzzer_sys::fuzz_target;

#[path = "known.rs"]
mod known;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let source = Source::new("fuzz.eco", text.as_ref());
    match ecorule::parse(&source, &Limits::default()) {
        Ok(_) => {}
        Err(errors) => {
            known::render_errors(&errors, &text);
        }
    }
});
