//! `show services` and `show commissioners`: the fire and rescue
//! services, and the commissioners who answer for a force and a service,
//! each force's and service's latest score side by side. The pairing is
//! curated data with a source per pair (`data/fire/pairs.csv`), never
//! guessed from names; it is the one place a force and a service share a
//! row, and it says which is which.

use crate::dataset::Dataset;
use crate::rows::Rows;
use crate::value::{Decimal, Value};

/// The topics this module shows.
pub(super) const TOPICS: [&str; 2] = ["services", "commissioners"];

/// The rows of `show <key>` for a fire topic; `None` for another topic.
pub(super) fn show(ds: &Dataset, key: &str) -> Option<Rows> {
    let fire = ds.fire();
    let services = &fire.dataset;
    let cat = &services.catalog;
    let text = |s: &str| Value::Text(s.to_string());
    match key {
        "services" => {
            let columns = ["name", "short", "aliases", "until", "successor"];
            let rows = cat
                .forces
                .iter()
                .map(|s| {
                    let merged = fire.mergers.iter().find(|m| m.service == s.id);
                    vec![
                        text(&s.name),
                        text(&s.short_name),
                        text(&s.aliases.join(", ")),
                        merged.map_or(Value::Null, |m| Value::Date(m.date)),
                        merged.map_or(Value::Null, |m| text(cat.force_name(m.successor))),
                    ]
                })
                .collect();
            Some(Rows::new(columns.iter().map(|c| c.to_string()).collect(), rows))
        }
        "commissioners" => {
            let latest = |d: &Dataset, body| {
                let i = d.latest_inspection(body)?;
                let insp = d.inspection(i);
                Some((
                    text(&d.catalog.programme(insp.programme).name),
                    d.score(i).map_or(Value::Null, |s| Value::Decimal(Decimal::new(s, 2))),
                    Value::Int(d.graded_count(i) as i64),
                ))
            };
            let columns = [
                "commissioner",
                "force",
                "force_programme",
                "force_score",
                "force_graded",
                "service",
                "service_programme",
                "service_score",
                "service_graded",
                "source_url",
            ];
            let none = || (Value::Null, Value::Null, Value::Null);
            let rows = fire
                .pairs
                .iter()
                .map(|p| {
                    let (fp, fs, fg) = latest(ds, p.force).unwrap_or_else(none);
                    let (sp, ss, sg) = latest(services, p.service).unwrap_or_else(none);
                    vec![
                        text(&p.record.commissioner),
                        text(ds.catalog.force_name(p.force)),
                        fp,
                        fs,
                        fg,
                        text(cat.force_name(p.service)),
                        sp,
                        ss,
                        sg,
                        text(&p.record.source_url),
                    ]
                })
                .collect();
            Some(Rows::new(columns.iter().map(|c| c.to_string()).collect(), rows))
        }
        _ => None,
    }
}
