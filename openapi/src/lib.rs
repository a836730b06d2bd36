//! Spec-first testing for clients declared with `askui-endpoint`: an OpenAPI 3.0 or 3.1
//! document read into its operations and schemas ([`Spec`], [`SpecError`] naming where a
//! document fails), declarations checked against it ([`Conformance`]), requests validated
//! against it ([`validate`]), valid instances generated from its schemas
//! ([`Spec::instance`]), and a fake server of any document ([`fake`]).

#![warn(missing_docs, missing_debug_implementations)]

pub mod check;
mod document;
pub mod fake;
mod instance;
mod load;
pub mod validate;

pub use check::{Allowance, Conformance, Mismatch, MismatchKind, OperationRef, Report};
pub use document::{
    Location, Operation, Parameter, RequestBody, Route, Schema, Spec, branches, coerce,
};
pub use load::{SpecError, SpecErrorKind};

/// The `http` types of the fake's recorded requests and handlers' calls (`HeaderMap`,
/// `Method`), the version this crate was built with.
pub use axum::http;
/// The JSON Schema validator [`Spec::validator`] and [`Schema::validator`] return.
pub use jsonschema;
