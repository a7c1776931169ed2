//! The rows of each source over a programme scope.

use super::{RowRef, Scope, SourceKind};
use crate::catalog::ProgrammeId;
use crate::dataset::Dataset;

/// The rows of a base source over a scope, in their natural order.
pub fn source_rows(ds: &Dataset, kind: SourceKind, scope: &Scope) -> Vec<RowRef> {
    let cat = &ds.catalog;
    match kind {
        SourceKind::Forces => match scope {
            Scope::Latest => cat
                .forces
                .iter()
                .map(|f| RowRef::Force { force: f.id, inspection: ds.latest_inspection(f.id), at: 0 })
                .collect(),
            Scope::One(p) => cat
                .forces
                .iter()
                .map(|f| RowRef::Force { force: f.id, inspection: ds.inspection_of(f.id, *p), at: 0 })
                .collect(),
            Scope::All => ds
                .inspections
                .iter()
                .map(|i| RowRef::Force { force: i.force, inspection: Some(i.id), at: 0 })
                .collect(),
        },
        SourceKind::Inspections => match scope {
            Scope::Latest => cat
                .forces
                .iter()
                .filter_map(|f| ds.latest_inspection(f.id))
                .map(|i| RowRef::Force { force: ds.inspection(i).force, inspection: Some(i), at: 0 })
                .collect(),
            Scope::One(p) => ds
                .inspections
                .iter()
                .filter(|i| i.programme == *p)
                .map(|i| RowRef::Force { force: i.force, inspection: Some(i.id), at: 0 })
                .collect(),
            Scope::All => ds
                .inspections
                .iter()
                .map(|i| RowRef::Force { force: i.force, inspection: Some(i.id), at: 0 })
                .collect(),
        },
        SourceKind::Grades => {
            let inspections: Vec<_> = match scope {
                Scope::Latest => cat.forces.iter().filter_map(|f| ds.latest_inspection(f.id)).collect(),
                Scope::One(p) => ds.inspections.iter().filter(|i| i.programme == *p).map(|i| i.id).collect(),
                Scope::All => ds.inspections.iter().map(|i| i.id).collect(),
            };
            inspections
                .into_iter()
                .flat_map(|i| ds.inspection(i).grades.iter().map(|g| RowRef::Grade(*g)))
                .collect()
        }
        SourceKind::Areas => {
            let programmes: Vec<ProgrammeId> = match scope {
                Scope::Latest => cat.latest_programme().into_iter().collect(),
                Scope::One(p) => vec![*p],
                Scope::All => cat.programmes.iter().map(|p| p.id).collect(),
            };
            programmes
                .into_iter()
                .flat_map(|p| cat.programme(p).areas.iter().map(|a| RowRef::Area(*a)))
                .collect()
        }
        SourceKind::Monitoring => (0..ds.monitoring().moves().len() as u32).map(RowRef::Move).collect(),
        SourceKind::Programmes => match scope {
            Scope::One(p) => vec![RowRef::Programme(*p)],
            Scope::Latest => cat.latest_programme().map(RowRef::Programme).into_iter().collect(),
            Scope::All => cat.programmes.iter().map(|p| RowRef::Programme(p.id)).collect(),
        },
    }
}
