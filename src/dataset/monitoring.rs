//! HMICFRS's enhanced monitoring, Engage, as the data set records it: each
//! force's moves in and out, and what follows from them — whether a force
//! is in Engage at a date, since when, how many times and for how many
//! days — never guessed where a move's date is not known.
//!
//! # Dates and what is known
//!
//! A move's date may be known to the day, the month or the year, or not at
//! all. Each move is given the earliest and latest day it can have been:
//! its own date's first and last day, narrowed by its neighbours (a
//! force's moves are in the order they happened), and at most the
//! record's end — the latest dated move of the whole data set, the moment
//! the record speaks for. A move *has happened* by a date when its latest
//! possible day is on or before the date's first day; it *may have
//! happened* when its earliest possible day is on or before the date's
//! last day. When the two counts differ, the answer is unknown (null).
//! Before the record's first dated move nothing is known: the record does
//! not reach back that far.

use crate::catalog::model::{Basis, MonitoringRecord, Move};
use crate::catalog::{Catalog, ForceId};
use crate::value::Date;

/// One move, with its force resolved.
#[derive(Clone, Debug, PartialEq)]
pub struct MoveRow {
    /// The force.
    pub force: ForceId,
    /// Into or out of Engage.
    pub event: Move,
    /// When, as precisely as known.
    pub date: Option<Date>,
    /// Causes of concern, where stated.
    pub causes: Option<u8>,
    /// The page it was read on.
    pub source_url: String,
    /// `stated` or `inferred`.
    pub basis: Basis,
    /// The sentence it rests on.
    pub sentence: String,
    /// The number of the force's stay in Engage this move opens or closes
    /// (1 for its first).
    pub stay: u32,
    /// Earliest and latest possible day (day numbers).
    bounds: (i32, i32),
}

/// One stay in Engage, as a move's row shows it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Stay {
    /// The date it began (the entry's date), where known.
    pub since: Option<Date>,
    /// The date it ended (the exit's date); `None` while it lasts or where
    /// undated.
    pub until: Option<Date>,
    /// Its length in days, to the exit or, while it lasts, to the record's
    /// end; `None` unless both ends are known to the day.
    pub days: Option<i64>,
    /// True when no exit is on record.
    pub ongoing: bool,
}

/// What is known of a force's monitoring at a date; each part `None` where
/// unknown.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct State {
    /// In Engage.
    pub engaged: Option<bool>,
    /// Since when (the current stay's entry date), when in Engage and its
    /// entry is dated.
    pub since: Option<Date>,
    /// How many times it has entered Engage.
    pub times: Option<i64>,
    /// How many days it has spent in Engage.
    pub days: Option<i64>,
}

/// Every move of a data set, by force.
#[derive(Clone, Debug, Default)]
pub struct Monitoring {
    moves: Vec<MoveRow>,
    by_force: Vec<Vec<u32>>,
    /// The latest dated move's date: the record's end.
    end: Option<Date>,
    /// The first day of the earliest dated move: the record's start.
    start: Option<i32>,
}

const NEVER: i32 = i32::MIN;
const ALWAYS: i32 = i32::MAX;

impl Monitoring {
    /// The moves of `records` whose force the catalog knows (a data set
    /// is checked for unknown forces when it is built), in record order.
    pub fn new(records: &[MonitoringRecord], catalog: &Catalog) -> Monitoring {
        let mut by_force: Vec<Vec<u32>> = vec![Vec::new(); catalog.forces.len()];
        let mut moves = Vec::new();
        for r in records {
            let Some(force) = catalog.force_id(&r.force) else { continue };
            let bounds = r.date.map_or((NEVER, ALWAYS), |d| (first_day(d), last_day(d)));
            by_force[force.index()].push(moves.len() as u32);
            moves.push(MoveRow {
                force,
                event: r.event,
                date: r.date,
                causes: r.causes,
                source_url: r.source_url.clone(),
                basis: r.basis,
                sentence: r.sentence.clone(),
                stay: 0,
                bounds,
            });
        }
        let end = moves.iter().filter_map(|m| m.date).max_by_key(|d| (last_day(*d), first_day(*d)));
        let start = moves.iter().filter_map(|m| m.date).map(first_day).min();
        let end_day = end.map_or(ALWAYS, last_day);
        for list in &by_force {
            let mut stay = 0;
            let mut lo = NEVER;
            for &i in list {
                let m = &mut moves[i as usize];
                if m.event == Move::Entered {
                    stay += 1;
                }
                m.stay = stay.max(1);
                lo = lo.max(m.bounds.0);
                m.bounds.0 = lo;
            }
            let mut hi = end_day;
            for &i in list.iter().rev() {
                let m = &mut moves[i as usize];
                hi = hi.min(m.bounds.1);
                m.bounds.1 = hi;
            }
        }
        Monitoring { moves, by_force, end, start }
    }

    /// Every move, in record order.
    pub fn moves(&self) -> &[MoveRow] {
        &self.moves
    }

    /// Move `i`.
    pub fn get(&self, i: usize) -> Option<&MoveRow> {
        self.moves.get(i)
    }

    /// The record's end: the latest dated move's date (`None` when the data
    /// set holds no dated move).
    pub fn end(&self) -> Option<Date> {
        self.end
    }

    /// The moves of a force, in order.
    pub fn of_force(&self, force: ForceId) -> impl Iterator<Item = &MoveRow> + '_ {
        self.by_force.get(force.index()).into_iter().flatten().map(|&i| &self.moves[i as usize])
    }

    /// The stay that move `i` opens or closes.
    pub fn stay(&self, i: usize) -> Option<Stay> {
        let m = self.moves.get(i)?;
        let list = self.by_force.get(m.force.index())?;
        let at = list.iter().position(|&j| j as usize == i)?;
        let (entry, exit) = match m.event {
            Move::Entered => (Some(m), list.get(at + 1).map(|&j| &self.moves[j as usize])),
            Move::Left => (at.checked_sub(1).map(|k| &self.moves[list[k] as usize]), Some(m)),
        };
        let since = entry.and_then(|e| e.date);
        let until = exit.and_then(|x| x.date);
        let to = match exit {
            Some(x) => x.date.and_then(exact_day),
            None => self.end.and_then(exact_day),
        };
        let days = since.and_then(exact_day).zip(to).map(|(a, b)| i64::from(b - a));
        Some(Stay { since, until, days, ongoing: exit.is_none() })
    }

    /// What is known of `force`'s monitoring as of `at` (`None`: the
    /// record's end). Unknown throughout when the data set has no dated
    /// move, or `at` is before the record's start.
    pub fn state(&self, force: ForceId, at: Option<Date>) -> State {
        let Some(at) = at.or(self.end) else { return State::default() };
        let (at_lo, at_hi) = (first_day(at), last_day(at));
        if self.start.is_none_or(|s| at_hi < s) {
            return State::default();
        }
        let list: Vec<&MoveRow> = self.of_force(force).collect();
        let happened = list.iter().take_while(|m| m.bounds.1 <= at_lo).count();
        let may_have = list.iter().take_while(|m| m.bounds.0 <= at_hi).count();
        let entries = |k: usize| list[..k].iter().filter(|m| m.event == Move::Entered).count() as i64;
        let times = (entries(happened) == entries(may_have)).then(|| entries(happened));
        if happened != may_have {
            return State { times, ..State::default() };
        }
        let engaged = list[..happened].last().is_some_and(|m| m.event == Move::Entered);
        let since = if engaged { list[happened - 1].date } else { None };
        // days: each stay begun by `at`, to its exit or to `at`
        let mut days = Some(0i64);
        for (k, m) in list[..happened].iter().enumerate() {
            if m.event != Move::Entered {
                continue;
            }
            let to = match list[..happened].get(k + 1) {
                Some(exit) => exit.date.and_then(exact_day),
                None => exact_day(at),
            };
            days = match (days, m.date.and_then(exact_day), to) {
                (Some(sum), Some(a), Some(b)) => Some(sum + i64::from(b - a)),
                _ => None,
            };
        }
        State { engaged: Some(engaged), since, times, days }
    }
}

/// The day number of a date known to the day.
fn exact_day(d: Date) -> Option<i32> {
    d.day.map(|_| first_day(d))
}

/// The first day a date can be.
fn first_day(d: Date) -> i32 {
    day_number(d.year, d.month.unwrap_or(1), d.day.unwrap_or(1))
}

/// The last day a date can be.
fn last_day(d: Date) -> i32 {
    match (d.month, d.day) {
        (Some(m), Some(day)) => day_number(d.year, m, day),
        (Some(12), None) => day_number(d.year + 1, 1, 1) - 1,
        (Some(m), None) => day_number(d.year, m + 1, 1) - 1,
        (None, _) => day_number(d.year + 1, 1, 1) - 1,
    }
}

/// Days since 1970-01-01 of a (proleptic Gregorian) date.
fn day_number(year: u16, month: u8, day: u8) -> i32 {
    let y = i32::from(year) - i32::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i32::from(month);
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + i32::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(t: &str) -> Date {
        Date::parse(t).expect("date")
    }

    #[test]
    fn day_numbers_count_days() {
        assert_eq!(day_number(1970, 1, 1), 0);
        assert_eq!(day_number(2024, 3, 1) - day_number(2024, 2, 28), 2); // a leap year
        assert_eq!(last_day(d("2020-12")), day_number(2020, 12, 31));
        assert_eq!(last_day(d("2024-02")), day_number(2024, 2, 29));
        assert_eq!(last_day(d("2019")), day_number(2019, 12, 31));
        assert_eq!(first_day(d("2019")), day_number(2019, 1, 1));
    }
}
