//! Walking the AST: every span of a statement, mutably.

use super::{
    Clause, Expr, ExprKind, OrderItem, ProgrammeRef, Query, SelectItem, Span, Statement, StatementKind,
};

/// Calls `f` on every span in the statement.
pub fn for_each_span(stmt: &mut Statement, f: &mut impl FnMut(&mut Span)) {
    f(&mut stmt.span);
    match &mut stmt.kind {
        StatementKind::Query(q) | StatementKind::Explain(q) => query(q, f),
        StatementKind::Let { name, query: q } => {
            f(&mut name.span);
            query(q, f);
        }
        StatementKind::Show { what, of, programme, subject } => {
            f(&mut what.span);
            if let Some(s) = subject {
                f(&mut s.span);
            }
            if let Some(of) = of {
                f(&mut of.span);
            }
            if let Some(p) = programme {
                programme_ref(p, f);
            }
        }
    }
}

/// Moves every span of the statement `by` bytes to the right.
pub fn shift_spans(stmt: &mut Statement, by: usize) {
    for_each_span(stmt, &mut |s| *s = s.shift(by));
}

fn programme_ref(p: &mut ProgrammeRef, f: &mut impl FnMut(&mut Span)) {
    f(&mut p.span);
}

fn query(q: &mut Query, f: &mut impl FnMut(&mut Span)) {
    f(&mut q.span);
    f(&mut q.source.span);
    if let Some(p) = &mut q.programme {
        programme_ref(p, f);
    }
    if let Some(c) = &mut q.as_of {
        f(&mut c.keyword);
        for e in &mut c.body {
            expr(e, f);
        }
    }
    clauses(&mut q.filter, &mut q.group_by, &mut q.select, &mut q.order_by, &mut q.limit, f);
    if let Some(d) = &mut q.distinct {
        f(d);
    }
    for s in &mut q.then {
        f(&mut s.keyword);
        f(&mut s.span);
        clauses(&mut s.filter, &mut s.group_by, &mut s.select, &mut s.order_by, &mut s.limit, f);
        if let Some(d) = &mut s.distinct {
            f(d);
        }
    }
}

/// The clauses of one stage.
fn clauses(
    filter: &mut Option<Clause<Expr>>,
    group_by: &mut Option<Clause<Vec<Expr>>>,
    select: &mut Option<Clause<Vec<SelectItem>>>,
    order_by: &mut Option<Clause<Vec<OrderItem>>>,
    limit: &mut Option<Clause<Expr>>,
    f: &mut impl FnMut(&mut Span),
) {
    if let Some(c) = filter {
        f(&mut c.keyword);
        expr(&mut c.body, f);
    }
    if let Some(c) = group_by {
        f(&mut c.keyword);
        c.body.iter_mut().for_each(|e| expr(e, f));
    }
    if let Some(c) = select {
        f(&mut c.keyword);
        for item in &mut c.body {
            f(&mut item.span);
            expr(&mut item.expr, f);
            if let Some(a) = &mut item.alias {
                f(&mut a.span);
            }
        }
    }
    if let Some(c) = order_by {
        f(&mut c.keyword);
        for item in &mut c.body {
            f(&mut item.span);
            expr(&mut item.expr, f);
        }
    }
    if let Some(c) = limit {
        f(&mut c.keyword);
        expr(&mut c.body, f);
    }
}

/// Calls `f` on every span in the expression.
pub fn expr(e: &mut Expr, f: &mut impl FnMut(&mut Span)) {
    f(&mut e.span);
    match &mut e.kind {
        ExprKind::Literal(_) | ExprKind::EachArea => {}
        ExprKind::Column(id) | ExprKind::Param(id) => f(&mut id.span),
        ExprKind::Call { name, args } => {
            f(&mut name.span);
            args.iter_mut().for_each(|a| expr(a, f));
        }
        ExprKind::Not(inner) | ExprKind::Neg(inner) => expr(inner, f),
        ExprKind::Arith { op, lhs, rhs } => {
            f(&mut op.span);
            expr(lhs, f);
            expr(rhs, f);
        }
        ExprKind::Binary { op, lhs, rhs } => {
            f(&mut op.span);
            expr(lhs, f);
            expr(rhs, f);
        }
        ExprKind::InList { expr: inner, list, .. } => {
            expr(inner, f);
            list.iter_mut().for_each(|a| expr(a, f));
        }
        ExprKind::IsNull { expr: inner, .. } => expr(inner, f),
        ExprKind::InQuery { expr: inner, query: q, .. } => {
            expr(inner, f);
            query(q, f);
        }
        ExprKind::Subquery(q) => query(q, f),
        ExprKind::Rank { name, keys } => {
            f(&mut name.span);
            for k in keys {
                f(&mut k.span);
                expr(&mut k.expr, f);
            }
        }
        ExprKind::Window { func, over } => {
            expr(func, f);
            match over {
                super::Over::Per { keyword, key } => {
                    f(keyword);
                    expr(key, f);
                }
                super::Over::Overall(kw) => f(kw),
            }
        }
        ExprKind::Quantified { quantifier, test } => {
            f(&mut quantifier.span);
            expr(test, f);
        }
    }
}
