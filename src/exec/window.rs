//! Filling a stage's windows (`avg(score) per region`, `rank(score desc)`):
//! for each, the rows it reads are split by its `per` key (equal as
//! `group by` sees them; all in one without a key), and every row of a
//! group gets the group's value.

use super::eval::{Ctx, eval};
use super::{Key, aggregate, key_of};
use crate::semantic::{Resolved, RowRef, Window, WindowFunc};
use crate::value::Value;
use std::cmp::Ordering;
use std::collections::HashMap;

/// The values of the windows of `q`, in order (a window's argument may
/// read the ones before it), over `rows`: the stage's rows before `where`.
pub(super) fn fill(cx: &Ctx<'_>, q: &Resolved, rows: &[RowRef]) -> Vec<HashMap<RowRef, Value>> {
    let mut maps: Vec<HashMap<RowRef, Value>> = Vec::with_capacity(q.windows.len());
    for w in &q.windows {
        let values = compute(&Ctx { windows: Some(&maps), ..*cx }, w, rows);
        maps.push(values);
    }
    maps
}

fn compute(cx: &Ctx<'_>, w: &Window, rows: &[RowRef]) -> HashMap<RowRef, Value> {
    let mut groups: Vec<Vec<RowRef>> = Vec::new();
    match &w.per {
        None => groups.push(rows.to_vec()),
        Some(key) => {
            let mut index: HashMap<Key, usize> = HashMap::new();
            for r in rows {
                let k = key_of(&eval(cx, key, *r));
                let at = *index.entry(k).or_insert_with(|| {
                    groups.push(Vec::new());
                    groups.len() - 1
                });
                groups[at].push(*r);
            }
        }
    }
    let mut out = HashMap::with_capacity(rows.len());
    for members in groups {
        match &w.func {
            WindowFunc::Agg(a) => {
                let v = aggregate(cx, a, &members);
                out.extend(members.into_iter().map(|r| (r, v.clone())));
            }
            WindowFunc::Rank(keys) => out.extend(rank(cx, keys, &members)),
        }
    }
    out
}

/// Places in `members` sorted by `keys`, ties sharing a place (1, 2, 2,
/// 4); a row with a null key has none.
fn rank(cx: &Ctx<'_>, keys: &[(crate::semantic::RExpr, bool)], members: &[RowRef]) -> Vec<(RowRef, Value)> {
    let vals: Vec<Vec<Value>> =
        members.iter().map(|r| keys.iter().map(|(k, _)| eval(cx, k, *r)).collect()).collect();
    let cmp = |a: &[Value], b: &[Value]| {
        a.iter()
            .zip(b)
            .zip(keys)
            .map(|((x, y), (_, desc))| if *desc { y.sort_cmp(x) } else { x.sort_cmp(y) })
            .find(|o| *o != Ordering::Equal)
            .unwrap_or(Ordering::Equal)
    };
    let mut ranked: Vec<usize> =
        (0..members.len()).filter(|i| vals[*i].iter().all(|v| !v.is_null())).collect();
    ranked.sort_by(|a, b| cmp(&vals[*a], &vals[*b]));
    let mut out: Vec<(RowRef, Value)> = Vec::with_capacity(members.len());
    let mut place = 0;
    for (pos, i) in ranked.iter().enumerate() {
        if pos == 0 || cmp(&vals[ranked[pos - 1]], &vals[*i]) != Ordering::Equal {
            place = pos + 1;
        }
        out.push((members[*i], Value::Int(place as i64)));
    }
    out.extend(
        (0..members.len()).filter(|i| vals[*i].iter().any(Value::is_null)).map(|i| (members[i], Value::Null)),
    );
    out
}
