//! `peelql.Grade`: the five PEEL grades, ordered worse to better.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

/// A PEEL grade. Grades compare by their order, better is greater:
/// `Grade.INADEQUATE < Grade.REQUIRES_IMPROVEMENT < Grade.ADEQUATE <
/// Grade.GOOD < Grade.OUTSTANDING`; `int(g)` is its rank 1–5 and `str(g)`
/// the inspectorate's word.
#[pyclass(eq, eq_int, ord, hash, frozen, module = "peelql")]
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Grade {
    /// inadequate (rank 1)
    #[pyo3(name = "INADEQUATE")]
    Inadequate = 1,
    /// requires improvement (rank 2)
    #[pyo3(name = "REQUIRES_IMPROVEMENT")]
    RequiresImprovement = 2,
    /// adequate (rank 3; five-tier programmes only, PEEL 2021/22 on)
    #[pyo3(name = "ADEQUATE")]
    Adequate = 3,
    /// good (rank 4)
    #[pyo3(name = "GOOD")]
    Good = 4,
    /// outstanding (rank 5)
    #[pyo3(name = "OUTSTANDING")]
    Outstanding = 5,
}

impl From<peelql::Grade> for Grade {
    fn from(g: peelql::Grade) -> Grade {
        match g {
            peelql::Grade::Inadequate => Grade::Inadequate,
            peelql::Grade::RequiresImprovement => Grade::RequiresImprovement,
            peelql::Grade::Adequate => Grade::Adequate,
            peelql::Grade::Good => Grade::Good,
            peelql::Grade::Outstanding => Grade::Outstanding,
        }
    }
}

impl From<Grade> for peelql::Grade {
    fn from(g: Grade) -> peelql::Grade {
        match g {
            Grade::Inadequate => peelql::Grade::Inadequate,
            Grade::RequiresImprovement => peelql::Grade::RequiresImprovement,
            Grade::Adequate => peelql::Grade::Adequate,
            Grade::Good => peelql::Grade::Good,
            Grade::Outstanding => peelql::Grade::Outstanding,
        }
    }
}

#[pymethods]
impl Grade {
    /// The grade as the inspectorate writes it: `"requires improvement"`.
    #[getter]
    fn label(&self) -> &'static str {
        peelql::Grade::from(*self).name()
    }

    /// The one- or two-letter code the grid draws: `O`, `G`, `A`, `RI`, `I`.
    #[getter]
    fn code(&self) -> &'static str {
        peelql::Grade::from(*self).code()
    }

    /// The place on the 1–5 scale (inadequate 1 … outstanding 5).
    #[getter]
    fn rank(&self) -> u8 {
        peelql::Grade::from(*self).rank()
    }

    /// Reads a grade word as queries accept it, ignoring case:
    /// `"requires improvement"`, `"requires_improvement"`, `"RI"`, `"Good"`.
    /// Raises `ValueError` for anything else.
    #[staticmethod]
    fn parse(text: &str) -> PyResult<Grade> {
        peelql::Grade::parse(text).map(Grade::from).ok_or_else(|| {
            PyValueError::new_err(format!("{text:?} is not a grade: expected one of {}", names()))
        })
    }

    /// Every grade, worst first.
    #[staticmethod]
    fn all() -> Vec<Grade> {
        peelql::Grade::ALL.into_iter().map(Grade::from).collect()
    }

    fn __str__(&self) -> &'static str {
        self.label()
    }
}

fn names() -> String {
    peelql::Grade::ALL.iter().map(|g| g.name()).collect::<Vec<_>>().join(", ")
}
