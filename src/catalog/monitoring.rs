//! The rules a force's moves into and out of Engage keep, checked where
//! moves are read: the bundled `engage.csv`, an import, a data set being
//! built.
//!
//! A force's moves, in the order they are listed, alternate and start with
//! `entered` (no `left` without an earlier `entered`, no two entries in a
//! row), and their dates, where known, never go back in time.

use super::model::Move;
use crate::value::Date;
use std::cmp::Ordering;
use std::collections::HashMap;

/// One move as the checks see it: the force's name (as the caller
/// spells it, the same way for every move of one force), the move and its
/// date.
pub type MoveRef<'a> = (&'a str, Move, Option<Date>);

/// The problems of `new` moves, each as (index into `new`, column, message),
/// when every force's moves are `before` (already on record, taken to be
/// right) followed by its moves in `new`, in order. `place` names where
/// a new move is written ("line 4"), for messages that point back at it.
pub fn sequence_problems(
    new: &[MoveRef<'_>],
    before: &[MoveRef<'_>],
    place: &dyn Fn(usize) -> String,
) -> Vec<(usize, &'static str, String)> {
    // per force: its last move and the latest known date so far
    struct Last {
        event: Move,
        /// The latest known date, and where it came from (None: on record).
        dated: Option<(Date, Option<usize>)>,
        /// The new move it is (None: on record).
        index: Option<usize>,
    }
    let mut last: HashMap<&str, Last> = HashMap::new();
    for &(force, event, date) in before {
        let entry = last.entry(force).or_insert(Last { event, dated: None, index: None });
        entry.event = event;
        if let Some(d) = date {
            entry.dated = Some((d, None));
        }
    }
    let mut problems = Vec::new();
    for (i, &(force, event, date)) in new.iter().enumerate() {
        let previous = last.get(force);
        let problem = match (previous.map(|l| l.event), event) {
            (None, Move::Left) => {
                Some(format!("{force} left Engage without having entered it (no earlier `entered`)"))
            }
            (Some(Move::Left), Move::Left) => Some(format!(
                "{force} left Engage twice in a row ({})",
                where_from(previous.and_then(|l| l.index), place)
            )),
            (Some(Move::Entered), Move::Entered) => Some(format!(
                "{force} entered Engage twice in a row ({})",
                where_from(previous.and_then(|l| l.index), place)
            )),
            _ => None,
        };
        if let Some(message) = problem {
            problems.push((i, "event", message));
        } else if let (Some(d), Some((was, from))) = (date, previous.and_then(|l| l.dated)) {
            if d.cmp_at_common_precision(&was) == Ordering::Less {
                problems.push((
                    i,
                    "date",
                    format!(
                        "{force}'s move on {d} is before its previous move, on {was} ({})",
                        where_from(from, place)
                    ),
                ));
            }
        }
        let entry = last.entry(force).or_insert(Last { event, dated: None, index: None });
        entry.event = event;
        entry.index = Some(i);
        if let Some(d) = date {
            entry.dated = Some((d, Some(i)));
        }
    }
    problems
}

/// "the move before it is already on record", or "after its move on line N".
fn where_from(index: Option<usize>, place: &dyn Fn(usize) -> String) -> String {
    match index {
        None => "the move before it is already on record".to_owned(),
        Some(i) => format!("after its move on {}", place(i)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Option<Date> {
        Date::parse(text)
    }

    fn row(i: usize) -> String {
        format!("row {}", i + 1)
    }

    #[test]
    fn alternating_dated_moves_pass() {
        let moves = [
            ("A", Move::Entered, d("2019")),
            ("B", Move::Entered, None),
            ("A", Move::Left, d("2023-09-20")),
            ("B", Move::Left, d("2018")),
            ("A", Move::Entered, d("2023-09")),
        ];
        assert!(sequence_problems(&moves, &[], &row).is_empty());
    }

    #[test]
    fn each_broken_rule_is_named_at_its_move() {
        let moves = [
            ("A", Move::Left, d("2019")),
            ("B", Move::Entered, d("2020")),
            ("B", Move::Entered, d("2021")),
            ("C", Move::Entered, d("2022-05-01")),
            ("C", Move::Left, d("2022-04")),
        ];
        let found = sequence_problems(&moves, &[], &row);
        let at: Vec<(usize, &str)> = found.iter().map(|(i, c, _)| (*i, *c)).collect();
        assert_eq!(at, [(0, "event"), (2, "event"), (4, "date")]);
        assert!(found[0].2.contains("without having entered"), "{}", found[0].2);
        assert!(found[1].2.contains("entered Engage twice in a row"), "{}", found[1].2);
        assert!(
            found[2]
                .2
                .contains("2022-04 is before its previous move, on 2022-05-01 (after its move on row 4)"),
            "{}",
            found[2].2
        );
    }

    #[test]
    fn moves_on_record_come_first() {
        let before = [("A", Move::Entered, d("2024-12-06"))];
        assert!(sequence_problems(&[("A", Move::Left, d("2026-01-01"))], &before, &row).is_empty());
        let twice = sequence_problems(&[("A", Move::Entered, d("2026-01-01"))], &before, &row);
        assert!(twice[0].2.contains("already on record"), "{}", twice[0].2);
        let back = sequence_problems(&[("A", Move::Left, d("2024-01"))], &before, &row);
        assert_eq!(back[0].1, "date");
    }
}
