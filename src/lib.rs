//! PeelQL: an embedded query engine and small query language over HMICFRS
//! PEEL police inspection grades.
//!
//! Data flows one way:
//!
//! ```text
//! text ──syntax──▶ AST ──semantic──▶ Resolved ──exec::plan──▶ Plan ──exec──▶ Rows ──output──▶ table/CSV/JSON
//!                          ▲                                        ▲
//!                       catalog (forces, programmes, areas, themes) + dataset (grades, inspections)
//!                          ▲
//!                        store (sled) ◀── bundled data (data/*.csv)
//! ```
//!
//! # Example
//!
//! ```
//! use peelql::{Engine, Grade, Params};
//!
//! # fn main() -> peelql::Result<()> {
//! // The bundled grades, in memory.
//! let engine = Engine::in_memory()?;
//!
//! // One query.
//! let rows = engine.query(r#"forces where area("sex offenders") = inadequate select name"#)?;
//! assert!(rows.iter().any(|r| r.get("name").and_then(|v| v.as_str()) == Some("Cambridgeshire Constabulary")));
//!
//! // A prepared query, run with a bound parameter.
//! let q = engine.prepare(r#"grades where force = $force and grade = $g select area"#)?;
//! let rows = q.run(&Params::new().with("force", "cambs").with("g", Grade::Inadequate))?;
//! assert_eq!(rows.len(), 2);
//! # Ok(())
//! # }
//! ```
//!
//! Errors are [`Error`]s: data with a code, a span and a help line, which
//! render as [`miette`] diagnostics. A query that runs but looks suspicious
//! (two constants compared, a force named by part of its name) still
//! answers, with [`Warning`]s on its [`Rows`].
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod catalog;
pub mod dataset;
pub mod engine;
pub mod error;
pub mod exec;
pub mod export;
pub mod import;
pub mod output;
#[cfg(feature = "fancy")]
pub mod report;
pub mod rows;
pub mod semantic;
pub mod store;
pub mod suggest;
pub mod syntax;
pub mod value;
pub mod warning;

pub use engine::{Engine, Query, Session, StatementOutput};
pub use error::{Error, ErrorKind, Result};
pub use rows::{Row, Rows};
pub use semantic::Params;
pub use value::{Date, Grade, Value};
pub use warning::Warning;
