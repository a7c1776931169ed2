//! Syntax: spans, the AST and the nom parser. Text in, [`Script`] out; no
//! name is looked up here (that is [`crate::semantic`]).

pub mod ast;
pub mod parser;
pub mod pretty;
pub mod span;
pub mod visit;

pub use ast::*;
pub use parser::{parse_expr, parse_script, parse_statement};
pub use span::{Span, Spanned};
