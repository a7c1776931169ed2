//! Hashes the bundled CSV files, so the ready-made image of them
//! (`assets/bundled.bin`) is used only while it matches them: see
//! `src/dataset/bundled.rs`.

#[path = "src/dataset/texts_hash.rs"]
mod texts_hash;

/// The bundled files, in the order `catalog::files::FILE_NAMES` lists them.
/// Then the fire files, in the order `catalog::fire::FIRE_FILE_NAMES` lists them.
const FILES: [&str; 17] = [
    "forces.csv",
    "force_aliases.csv",
    "programmes.csv",
    "themes.csv",
    "areas.csv",
    "area_themes.csv",
    "grades.csv",
    "inspections.csv",
    "engage.csv",
    "fire/service_names.csv",
    "fire/programmes.csv",
    "fire/themes.csv",
    "fire/areas.csv",
    "fire/area_themes.csv",
    "fire/grades.csv",
    "fire/mergers.csv",
    "fire/pairs.csv",
];

fn main() {
    let mut texts = Vec::new();
    for name in FILES {
        let path = format!("data/{name}");
        println!("cargo:rerun-if-changed={path}");
        texts.push(std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}")));
    }
    let hash = texts_hash::texts_hash(texts.iter().map(Vec::as_slice));
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
    std::fs::write(
        out.join("bundled_hash.rs"),
        format!("/// The hash of the bundled CSV files.\nconst BUNDLED_HASH: u64 = {hash:#018x};\n"),
    )
    .expect("write bundled_hash.rs");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src/dataset/texts_hash.rs");
}
