//! Checking an import's moves into and out of Engage (`kind` `move`, or the
//! JSON array `monitoring`) against the stored ones: each force's moves,
//! stored first and then the file's, must alternate starting with
//! `entered` and never go back in time.

use super::*;
use crate::catalog::files::monitoring_record;
use crate::catalog::model::MonitoringRecord;
use crate::catalog::model::Move;
use crate::catalog::monitoring::sequence_problems;
use crate::value::Date;

impl Check {
    /// The file's moves: each one equal to a stored move is unchanged; a
    /// stored move of the same force, event and date that differs is a
    /// problem, or with `replace` is changed; the others are added after
    /// the force's stored moves. Two rows for the same stored move are a
    /// problem.
    pub(super) fn moves(&mut self, cat: &Catalog, rows: Vec<Row>, options: ImportOptions) {
        let mut fresh: Vec<(MonitoringRecord, Row)> = Vec::new();
        // stored moves a row of the file matched, with its line
        let mut matched: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
        let mut replaced: Vec<(usize, MonitoringRecord)> = Vec::new();
        for row in rows {
            let mut found = Problems::default();
            let Some(mut rec) = monitoring_record(&row, &mut found) else {
                for p in found.into_vec() {
                    self.problems.push_problem(p);
                }
                continue;
            };
            let Some(force) = cat.force_id(&rec.force) else {
                let help = super::check::force_help(cat, &rec.force);
                self.problem(&row, "force", format!("no force is called {:?}", rec.force), help);
                continue;
            };
            rec.force = cat.force(force).name.clone();
            let stored = self
                .tables
                .monitoring
                .iter()
                .position(|m| m.force == rec.force && m.event == rec.event && m.date == rec.date);
            let what = format!(
                "{} {} Engage on {}",
                rec.force,
                rec.event.name(),
                rec.date.map_or_else(|| "an unknown date".to_owned(), |d| d.to_string())
            );
            if let Some(i) = stored {
                if let Some(line) = matched.insert(i, row.line()) {
                    self.problem(
                        &row,
                        "event",
                        format!("the move \"{what}\" is given twice in this file (first on line {line})"),
                        Some("give each move once".into()),
                    );
                    continue;
                }
            }
            match stored.map(|i| (i, &self.tables.monitoring[i])) {
                Some((_, m)) if *m == rec => self.summary.moves_unchanged += 1,
                Some((i, _)) if options.replace => replaced.push((i, rec)),
                Some((_, m)) => {
                    let column = if m.causes != rec.causes {
                        "causes_of_concern"
                    } else if m.source_url != rec.source_url {
                        "source_url"
                    } else if m.basis != rec.basis {
                        "basis"
                    } else {
                        "sentence"
                    };
                    self.problem(
                        &row,
                        column,
                        format!("the store already holds the move \"{what}\" with another {column}"),
                        Some("use --replace to let the file's move replace it, or leave this row out".into()),
                    );
                }
                None => fresh.push((rec, row)),
            }
        }
        let new: Vec<(&str, Move, Option<Date>)> =
            fresh.iter().map(|(m, _)| (m.force.as_str(), m.event, m.date)).collect();
        let before: Vec<(&str, Move, Option<Date>)> =
            self.tables.monitoring.iter().map(|m| (m.force.as_str(), m.event, m.date)).collect();
        let found = sequence_problems(&new, &before, &|i| format!("line {}", fresh[i].1.line()));
        let ok = found.is_empty();
        for (i, column, message) in found {
            let row = fresh[i].1.clone();
            let help = match column {
                "date" => "a force's moves are listed in the order they happened",
                _ => "a force's moves alternate: entered, left, entered …",
            };
            self.problem(&row, column, message, Some(help.into()));
        }
        for (i, rec) in replaced {
            let previous = std::mem::replace(&mut self.tables.monitoring[i], rec);
            self.summary.moves_replaced.push(previous);
            self.summary.moves_changed += 1;
        }
        if ok {
            self.summary.moves_added += fresh.len();
            self.tables.monitoring.extend(fresh.into_iter().map(|(m, _)| m));
        }
    }
}
