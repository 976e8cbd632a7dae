//! The formatter's promises: if a source parses, its canonical text parses
//! to an equal AST (spans ignored), and formatting that text again changes
//! nothing.
#![no_main]

use ecorule::{Limits, Source};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let limits = Limits::default();
    // The trees borrow from their sources, so the sources are kept in variables.
    let source = Source::new("fuzz.eco", text);
    let Ok(ast) = ecorule::parse(&source, &limits) else { return };
    let once = ecorule::fmt::format(&ast, text);
    let formatted = Source::new("fmt1.eco", once.as_str());
    let reparsed = match ecorule::parse(&formatted, &limits) {
        Ok(reparsed) => reparsed,
        Err(errors) => panic!(
            "formatted text does not parse\n--- input ---\n{text}\n--- fmt(input) ---\n{once}\n--- errors ---\n{}",
            errors.render(false)
        ),
    };
    if reparsed != ast {
        panic!(
            "parse(fmt(x)) != parse(x)\n--- input ---\n{text}\n--- fmt(input) ---\n{once}\n--- parse(input) ---\n{ast:#?}\n--- parse(fmt(input)) ---\n{reparsed:#?}"
        );
    }
    let twice = ecorule::fmt::format(&reparsed, &once);
    if twice != once {
        panic!("fmt(fmt(x)) != fmt(x)\n--- input ---\n{text}\n--- fmt(input) ---\n{once}\n--- fmt(fmt(input)) ---\n{twice}");
    }
});
