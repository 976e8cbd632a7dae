//! Embeds the modules of `rules/standards/` so every binding resolves
//! `use gb14554` to the same text. The crate is built from the workspace:
//! without that folder (a packaged or vendored copy of the crate alone)
//! the build fails, rather than give a library in which no bundled
//! rulebook compiles.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::{env, fs};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR")?);
    let dir = manifest.join("../../rules/standards");
    println!("cargo:rerun-if-changed={}", dir.display());
    let entries = fs::read_dir(&dir).map_err(|e| {
        format!("cannot read the standard modules in {}: {e}; build ecorule from its workspace", dir.display())
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "eco"))
        .collect();
    if files.is_empty() {
        return Err(format!("no standard modules (*.eco) in {}", dir.display()).into());
    }
    files.sort();
    let mut out = String::from(
        "/// The bundled standard modules: (file name, source).\npub(crate) const STANDARDS: &[(&str, &str)] = &[\n",
    );
    for path in files {
        let path = path.canonicalize()?;
        println!("cargo:rerun-if-changed={}", path.display());
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
        writeln!(out, "    ({name:?}, include_str!({:?})),", path.display().to_string())?;
    }
    out.push_str("];\n");
    fs::write(PathBuf::from(env::var("OUT_DIR")?).join("standards.rs"), out)?;
    Ok(())
}
