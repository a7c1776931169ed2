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
#![forbid(unsafe_code)]

pub mod catalog;
pub mod dataset;
pub mod engine;
pub mod error;
pub mod exec;
pub mod output;
#[cfg(feature = "fancy")]
pub mod report;
pub mod rows;
pub mod semantic;
pub mod store;
pub mod suggest;
pub mod syntax;
pub mod value;

pub use engine::{Engine, Session, StatementOutput};
pub use error::{Error, ErrorKind, Result};
pub use rows::Rows;
pub use semantic::Params;
pub use value::{Date, Grade, Value};
