//! A deterministic synthetic data set in the bundled format (the CSV files
//! of `data/`), of any number of graded cells.
//!
//! Bodies with names and regions are inspected in seven programmes (five
//! four-tier, two five-tier), each grading 8–11 areas linked by themes.
//! Grades are skewed like the real ones — good most common, outstanding and
//! inadequate rare — and correlate with a body's overall quality, so a
//! body that declines is a real event. Some cells are "not graded", some
//! areas of an inspection are not recorded at all, some dates are known
//! only to the month, and about 40 % of inspections have announced counts.
//!
//! The same `(cells, seed)` always writes the same bytes; sizes up to about
//! 3 M cells write the bytes generator version 1 wrote.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::io::{self, BufWriter, Write};
use std::path::Path;

/// Bumped whenever the output for a given `(cells, seed)` changes.
pub const GENERATOR_VERSION: u32 = 1;

/// SplitMix64: small, fast, and the same everywhere.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x5eed_5eed_5eed_5eed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

struct Programme {
    name: &'static str,
    start: u16,
    end: u16,
    five_tier: bool,
    aliases: &'static str,
    /// (area label, pillar, theme key)
    areas: &'static [(&'static str, &'static str, &'static str)],
}

const FOUR_TIER_AREAS: &[(&str, &str, &str)] = &[
    ("Effectiveness", "Effectiveness", "effectiveness"),
    ("Efficiency", "Efficiency", "efficiency"),
    ("Legitimacy", "Legitimacy", "legitimacy"),
    ("Preventing crime and tackling anti-social behaviour", "Effectiveness", "prevention"),
    ("Investigating crime and reducing re-offending", "Effectiveness", "investigating"),
    ("Protecting vulnerable people", "Effectiveness", "vulnerable"),
    ("Tackling serious and organised crime", "Effectiveness", "soc"),
    ("Meeting demand", "Efficiency", "demand"),
];

const FOUR_TIER_WITH_RESPONSE: &[(&str, &str, &str)] = &[
    ("Effectiveness", "Effectiveness", "effectiveness"),
    ("Efficiency", "Efficiency", "efficiency"),
    ("Legitimacy", "Legitimacy", "legitimacy"),
    ("Preventing crime and tackling anti-social behaviour", "Effectiveness", "prevention"),
    ("Investigating crime and reducing re-offending", "Effectiveness", "investigating"),
    ("Protecting vulnerable people", "Effectiveness", "vulnerable"),
    ("Responding to calls for service", "Effectiveness", "responding"),
    ("Treating the public fairly", "Legitimacy", "treatment"),
    ("Planning for the future", "Efficiency", "future"),
];

const FIVE_TIER_AREAS: &[(&str, &str, &str)] = &[
    ("Police powers and public treatment", "", "treatment"),
    ("Preventing crime", "", "prevention"),
    ("Responding to the public", "", "responding"),
    ("Investigating crime", "", "investigating"),
    ("Protecting vulnerable people", "", "vulnerable"),
    ("Managing offenders", "", "offenders"),
    ("Developing a positive workplace", "", "workforce"),
    ("Leadership and force management", "", "leadership"),
    ("Recording data about crime", "", "recording"),
    ("Disrupting serious organised crime", "", "soc"),
    ("Providing a service to victims of crime", "", "victims"),
];

const PROGRAMMES: &[Programme] = &[
    Programme {
        name: "PEEL 2014",
        start: 2014,
        end: 2014,
        five_tier: false,
        aliases: "peel 2014;2014",
        areas: FOUR_TIER_AREAS,
    },
    Programme {
        name: "PEEL 2015",
        start: 2015,
        end: 2015,
        five_tier: false,
        aliases: "peel 2015;2015",
        areas: FOUR_TIER_AREAS,
    },
    Programme {
        name: "PEEL 2016",
        start: 2016,
        end: 2016,
        five_tier: false,
        aliases: "peel 2016;2016",
        areas: FOUR_TIER_WITH_RESPONSE,
    },
    Programme {
        name: "PEEL 2017",
        start: 2017,
        end: 2017,
        five_tier: false,
        aliases: "peel 2017;2017",
        areas: FOUR_TIER_WITH_RESPONSE,
    },
    Programme {
        name: "PEEL 2018-19",
        start: 2018,
        end: 2019,
        five_tier: false,
        aliases: "peel 2018;peel 2018-19;peel 2018/19;2018-19",
        areas: FOUR_TIER_WITH_RESPONSE,
    },
    Programme {
        name: "PEEL 2021-22",
        start: 2021,
        end: 2022,
        five_tier: true,
        aliases: "peel 2021;peel 2021-22;peel 2021/22;2021-22",
        areas: FIVE_TIER_AREAS,
    },
    Programme {
        name: "PEEL 2023-25",
        start: 2023,
        end: 2025,
        five_tier: true,
        aliases: "peel 2023;peel 2023-25;peel 2023/25;2023-25",
        areas: FIVE_TIER_AREAS,
    },
];

/// (key, name, aliases)
const THEMES: &[(&str, &str, &str)] = &[
    ("effectiveness", "Effectiveness (pillar)", "effectiveness;effectiveness pillar"),
    ("efficiency", "Efficiency (pillar)", "efficiency;efficiency pillar"),
    ("legitimacy", "Legitimacy (pillar)", "legitimacy;legitimacy pillar"),
    ("treatment", "Police powers and treatment of the public", "treatment;police powers;stop and search"),
    ("prevention", "Preventing crime", "prevention;preventing crime;neighbourhood policing"),
    ("responding", "Responding to the public", "responding;response;999;101;calls"),
    ("investigating", "Investigating crime", "investigating;investigation;detections"),
    ("vulnerable", "Protecting vulnerable people", "vulnerable;vulnerability;safeguarding"),
    ("offenders", "Managing offenders and suspects", "offenders;sex offenders;rso"),
    ("workforce", "Developing a positive workplace", "workforce;workplace;wellbeing"),
    ("leadership", "Leadership and force management", "leadership;management"),
    ("recording", "Recording data about crime", "recording;crime data integrity;cdi"),
    ("soc", "Serious and organised crime", "soc;organised crime;serious organised crime"),
    ("victims", "Service to victims of crime", "victims;victim service"),
    ("demand", "Using resources to meet demand", "demand;meeting demand"),
    ("future", "Planning for the future", "future;planning;sustainability"),
];

const REGIONS: &[&str] = &[
    "Eastern",
    "East Midlands",
    "London",
    "North East",
    "North West",
    "South East",
    "South West",
    "Wales",
    "West Midlands",
    "Yorkshire and the Humber",
];

const WORDS: &[&str] = &["", "", "", "", "North ", "South ", "East ", "West ", "Upper ", "Greater "];
const HEADS: &[&str] = &[
    "Ab", "Ash", "Bar", "Bel", "Bram", "Brock", "Cal", "Carr", "Clay", "Cran", "Dun", "Elm", "Fal", "Fen",
    "Glen", "Gold", "Hal", "Hart", "Hey", "Ivy", "Kel", "King", "Lang", "Lynd", "Mar", "Mel", "Nor", "Oak",
    "Pen", "Quen", "Rad", "Red", "Ros", "Sal", "Sand", "Stan", "Sud", "Thorn", "Tres", "Ul", "Wal", "Wes",
    "Whit", "Wil", "Wyn", "Yar",
];
const MIDS: &[&str] =
    &["", "", "den", "ing", "ton", "ber", "ley", "mer", "ridge", "wood", "brook", "stone", "ash", "ver"];
const TAILS: &[&str] = &[
    "shire", "bury", "ford", "ham", "wick", "field", "mouth", "dale", "moor", "by", "stow", "worth",
    "minster", "port", "caster", "combe", "shire", "gate",
];

fn slug(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c.to_ascii_lowercase());
        } else if !s.ends_with('-') {
            s.push('-');
        }
    }
    s.trim_matches('-').to_string()
}

/// How many bytes were written, per file.
#[derive(Default, Debug)]
pub struct Written {
    pub bodies: usize,
    pub inspections: usize,
    pub cells: usize,
    pub bytes: u64,
}

/// Grade words, worst first (index = rank - 1).
const GRADE_WORDS: [&str; 5] = ["inadequate", "requires improvement", "adequate", "good", "outstanding"];

/// A grade rank for a cell: the body's quality shifts a uniform draw, then
/// the scale's distribution (cumulative, worst first) turns it into a rank.
fn draw_rank(rng: &mut Rng, quality: f64, five_tier: bool) -> u8 {
    // worst first: inadequate, RI, adequate, good, outstanding
    const FIVE: [f64; 5] = [0.07, 0.24, 0.24, 0.40, 0.05];
    const FOUR: [f64; 5] = [0.08, 0.29, 0.0, 0.58, 0.05];
    let dist = if five_tier { FIVE } else { FOUR };
    let u = (rng.unit() + 0.12 * quality).clamp(0.0, 0.999_999);
    let mut acc = 0.0;
    for (i, p) in dist.iter().enumerate() {
        acc += p;
        if u < acc {
            return i as u8 + 1;
        }
    }
    5
}

/// Draws made for a body's short name before it is numbered instead.
/// Up to about 3 M cells a fresh name is found within a few draws, so
/// these sizes write the same bytes as generator version 1.
const NAME_DRAWS: usize = 64;

/// A short name no body has yet: a drawn name while the ~71 000 drawn
/// names last, then drawn names with a number ("Upper Dunbrookfield 2"),
/// which never run out.
fn short_name(rng: &mut Rng, shorts: &mut HashSet<String>) -> String {
    let mut draw = || format!("{}{}{}{}", rng.pick(WORDS), rng.pick(HEADS), rng.pick(MIDS), rng.pick(TAILS));
    for _ in 0..NAME_DRAWS {
        let s = draw();
        if shorts.insert(s.clone()) {
            return s;
        }
    }
    let base = draw();
    (2..).map(|n| format!("{base} {n}")).find(|s| shorts.insert(s.clone())).unwrap_or(base)
}

/// Writes a data set of exactly `cells` grade rows into `dir`.
///
/// Any size the disk holds: about 156 bytes of CSV per cell (1.6 GB for
/// 10 M cells), written as it is generated, with only the bodies' names
/// kept in memory (about 180 000 bodies at 10 M cells). The engines' own
/// limit is 4 294 967 295 cells (`u32` row numbers).
pub fn generate(dir: &Path, cells: usize, seed: u64) -> io::Result<Written> {
    std::fs::create_dir_all(dir)?;
    let mut rng = Rng::new(seed);
    let mut written = Written::default();
    let file = |name: &str| -> io::Result<BufWriter<std::fs::File>> {
        Ok(BufWriter::with_capacity(1 << 20, std::fs::File::create(dir.join(name))?))
    };

    // catalog: programmes, themes, areas
    let mut out = String::from("programme,start_year,end_year,scale,aliases,source_url\n");
    for p in PROGRAMMES {
        let scale = if p.five_tier { "five-tier" } else { "four-tier" };
        writeln!(
            out,
            "{},{},{},{scale},{},https://example.org/programmes/{}",
            p.name,
            p.start,
            p.end,
            p.aliases,
            slug(p.name)
        )
        .unwrap();
    }
    std::fs::write(dir.join("programmes.csv"), &out)?;
    let mut out = String::from("theme,name,aliases\n");
    for (key, name, aliases) in THEMES {
        writeln!(out, "{key},{name},{aliases}").unwrap();
    }
    std::fs::write(dir.join("themes.csv"), &out)?;
    let mut areas = String::from("programme,area,pillar,question_text,source_url\n");
    let mut area_themes = String::from("programme,area,theme\n");
    for p in PROGRAMMES {
        for (area, pillar, theme) in p.areas {
            writeln!(
                areas,
                "{},{area},{pillar},How good is the force at {}?,https://example.org/areas/{}",
                p.name,
                area.to_lowercase(),
                slug(area)
            )
            .unwrap();
            writeln!(area_themes, "{},{area},{theme}", p.name).unwrap();
        }
    }
    std::fs::write(dir.join("areas.csv"), &areas)?;
    std::fs::write(dir.join("area_themes.csv"), &area_themes)?;

    // bodies, then their inspections, until `cells` grade rows are written
    let mut bodies: Vec<(String, String, &str)> = Vec::new(); // (name, short, region)
    let mut shorts: HashSet<String> = HashSet::new();
    let mut grades = file("grades.csv")?;
    let mut counts = file("inspections.csv")?;
    writeln!(grades, "force,programme,published,area,grade,source_url,basis")?;
    writeln!(
        counts,
        "force,programme,published,report_url,outstanding,good,adequate,requires_improvement,inadequate,graded_areas,source_url"
    )?;
    let mut cells_left = cells;
    while cells_left > 0 {
        let short = short_name(&mut rng, &mut shorts);
        let suffix = match rng.below(20) {
            0 => "Police Service",
            1..=9 => "Police",
            _ => "Constabulary",
        };
        let name = format!("{short} {suffix}");
        let region = *rng.pick(REGIONS);
        let body_slug = slug(&short);
        // quality in about [-1.5, 1.5]
        let quality = (rng.unit() + rng.unit() + rng.unit() - 1.5) * 1.2;
        for (pi, p) in PROGRAMMES.iter().enumerate() {
            if cells_left == 0 {
                break;
            }
            // the newest programme is nearly complete, older ones less so
            let inspected = if pi + 1 == PROGRAMMES.len() { 0.95 } else { 0.85 };
            if rng.unit() >= inspected {
                continue;
            }
            written.inspections += 1;
            let year = p.start + rng.below(usize::from(p.end - p.start) + 1) as u16;
            let month = 1 + rng.below(12);
            let published = if rng.below(10) == 0 {
                format!("{year}-{month:02}")
            } else {
                format!("{year}-{month:02}-{:02}", 1 + rng.below(28))
            };
            let url = format!("https://example.org/peel/{}/{body_slug}", slug(p.name));
            let drift = (rng.unit() - 0.5) * 0.8;
            let mut announced = [0u8; 5];
            for (area, _, _) in p.areas {
                let rank = draw_rank(&mut rng, quality + drift, p.five_tier);
                announced[usize::from(rank - 1)] += 1;
                // about 3 % of areas are not recorded at all
                if rng.below(33) == 0 || cells_left == 0 {
                    continue;
                }
                let word = if rng.below(50) == 0 { "not graded" } else { GRADE_WORDS[usize::from(rank - 1)] };
                let basis = match rng.below(25) {
                    0 => "elimination",
                    1 => "inferred",
                    _ => "stated",
                };
                writeln!(grades, "{name},{},{published},{area},{word},{url},{basis}", p.name)?;
                cells_left -= 1;
                written.cells += 1;
            }
            if rng.below(5) < 2 {
                let [i, ri, a, g, o] = announced;
                writeln!(
                    counts,
                    "{name},{},{published},{url},{o},{g},{a},{ri},{i},{},https://news.example.org/{body_slug}/{}",
                    p.name,
                    p.areas.len(),
                    slug(p.name)
                )?;
            }
        }
        bodies.push((name, short, region));
    }
    grades.flush()?;
    counts.flush()?;
    drop((grades, counts));
    written.bodies = bodies.len();

    let mut forces = file("forces.csv")?;
    let mut aliases = file("force_aliases.csv")?;
    writeln!(forces, "force,short_name,region,country,source_url,region_source")?;
    writeln!(aliases, "force,alias")?;
    for (i, (name, short, region)) in bodies.iter().enumerate() {
        let country = if *region == "Wales" { "Wales" } else { "England" };
        let s = slug(short);
        writeln!(
            forces,
            "{name},{short},{region},{country},https://example.org/forces/{s},https://example.org/regions/{}",
            slug(region)
        )?;
        if i % 5 == 0 {
            writeln!(aliases, "{name},{} force", short.to_lowercase())?;
        }
    }
    forces.flush()?;
    aliases.flush()?;
    drop((forces, aliases));

    // engage.csv is optional: the synthetic data set has no moves
    for name in peelql::catalog::files::FILE_NAMES.iter().filter(|n| **n != "engage.csv") {
        written.bytes += std::fs::metadata(dir.join(name))?.len();
    }
    Ok(written)
}
