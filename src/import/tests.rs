//! Tests of import checking.
