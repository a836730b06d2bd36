//! The conformance checker: declarations (`#[askui_endpoint]` methods, read through their
//! trait's `ENDPOINTS`) compared with an OpenAPI document, every difference returned as
//! data ([`Mismatch`]) and as a readable [`Report`].
//!
//! Call it from a test, with one trait's list or several:
//!
//! ```
//! use askui_openapi::{Conformance, MismatchKind, Spec};
//! use askui_runtime::{askui_endpoint, askui_endpoints, Client, Error};
//!
//! #[askui_endpoints]
//! pub trait Pets {
//!     #[askui_endpoint(get, "/pets/<id>")]
//!     async fn get_pet(&self, id: u64) -> Result<serde_json::Value, Error>;
//!
//!     #[askui_endpoint(get, "/pets")]
//!     async fn list_pets(&self, #[query] tag: Option<&str>) -> Result<serde_json::Value, Error>;
//! }
//! impl Pets for Client {}
//!
//! let spec = Spec::from_str(r#"
//! openapi: 3.0.3
//! info: {title: Pets, version: '1'}
//! paths:
//!   /pets/{id}:
//!     get:
//!       operationId: getPet
//!       parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
//!       responses: {'200': {description: a pet, content: {application/json: {}}}}
//!   /pets:
//!     get:
//!       operationId: listPets
//!       parameters: [{name: tags, in: query, schema: {type: array, items: {type: string}}}]
//!       responses: {'200': {description: pets, content: {application/json: {}}}}
//! "#)?;
//!
//! let report = Conformance::new(&spec)
//!     .endpoints(<Client as Pets>::ENDPOINTS)
//!     .check();
//! assert!(!report.is_ok());
//! assert_eq!(report.mismatches()[0].kind, MismatchKind::QueryNotDocumented);
//! assert_eq!(report.to_string(), "\
//! 2/2 operations of the document declared; 1 mismatch
//! GET /pets (listPets):
//!   `list_pets`: query parameter not in the document (`tag`): document: `tags`; declared: `tag`
//! ");
//!
//! // A difference the document gets wrong is allowed, with the reason, once reviewed.
//! let report = Conformance::new(&spec)
//!     .endpoints(<Client as Pets>::ENDPOINTS)
//!     .allow("list_pets", MismatchKind::QueryNotDocumented, "the server reads `tag`, see #12")
//!     .require_every_operation()
//!     .check();
//! report.assert_ok();
//! # Ok::<(), askui_openapi::SpecError>(())
//! ```
//!
//! What is compared, for each declaration: its method and path template (the document's
//! `{name}`s; a `#[path("petId")]` rename already reports the document's name), its query
//! parameters (names, array or single, the required ones), its header arguments, its body
//! kind against the `requestBody`'s content types, and its response kind against the success
//! answers' content. Not compared:
//! - the names inside a `#[query(flatten)]` struct, which only its `Serialize` knows: a
//!   declaration with one is not told of required query parameters it lacks;
//! - fixed `headers(…)` of the declaration or its trait, which may be client conventions the
//!   document does not list (they do count as sending a required header), and `Accept`,
//!   `Content-Type` and `Authorization`, which OpenAPI does not describe as parameters;
//! - a required header that an `apiKey` security scheme of the operation names: the
//!   client's [`Auth`](askui_runtime::Auth) sends it;
//! - timeouts and idempotence: OpenAPI has no field for either (vendors' `x-` extensions
//!   differ), so a declaration's `timeout` and `idempotent` are its own;
//! - `Bytes` and `ByteStream` responses, which read any body, and a method generic over
//!   its `Ok` type; a JSON, `Sse` or `JsonLines` response kind is a mismatch only if every
//!   success answer has content and none of it is of a type the kind reads (JSON;
//!   `text/event-stream`; `application/x-ndjson` and its other spellings). An empty answer
//!   reads as `null` (which `()` and `Option<T>` accept) or as a stream of no items.

use std::fmt;

use askui_runtime::{BodyKind, Endpoint, QueryParam, ResponseKind};
use serde_json::Value;

use crate::document::{Location, Operation, Spec, essence};

/// What differs between a declaration and the document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MismatchKind {
    /// No operation of the document has the declaration's path, nor its path's shape.
    NotInDocument,
    /// The path is documented, with other methods only.
    Method,
    /// The path differs from a documented one only in letter case or a trailing `/`.
    Path,
    /// The path's shape is documented, with other names for its parameters.
    PathParameters,
    /// A query parameter the operation does not document.
    QueryNotDocumented,
    /// A required query parameter the declaration does not send.
    RequiredQueryMissing,
    /// A query parameter declared as a list where the document has a single value, or the
    /// other way round.
    ArrayVsSingle,
    /// A header argument the operation does not document.
    HeaderNotDocumented,
    /// A required header the declaration does not send.
    RequiredHeaderMissing,
    /// A body of a content type the operation does not accept, or a body where it takes
    /// none.
    BodyKind,
    /// No body, where the operation requires one.
    BodyMissing,
    /// A JSON response where the operation's success answers are not JSON.
    ResponseKind,
    /// The operation is declared by more than one method.
    Duplicate,
}

impl MismatchKind {
    fn describe(self) -> &'static str {
        match self {
            MismatchKind::NotInDocument => "not in the document",
            MismatchKind::Method => "method",
            MismatchKind::Path => "path",
            MismatchKind::PathParameters => "path parameter names",
            MismatchKind::QueryNotDocumented => "query parameter not in the document",
            MismatchKind::RequiredQueryMissing => "required query parameter not declared",
            MismatchKind::ArrayVsSingle => "query parameter array vs single value",
            MismatchKind::HeaderNotDocumented => "header not in the document",
            MismatchKind::RequiredHeaderMissing => "required header not declared",
            MismatchKind::BodyKind => "body kind",
            MismatchKind::BodyMissing => "required body not declared",
            MismatchKind::ResponseKind => "response kind",
            MismatchKind::Duplicate => "declared twice",
        }
    }
}

impl fmt::Display for MismatchKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

/// An operation, as the report names it: `GET /pets/{petId} (getPetById)`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct OperationRef {
    /// The method, upper case.
    pub method: String,
    /// The path template, as the document writes it (as declared, for
    /// [`MismatchKind::NotInDocument`]).
    pub template: String,
    /// The `operationId`, if the document gives one.
    pub id: Option<String>,
}

impl OperationRef {
    fn of(operation: &Operation) -> OperationRef {
        OperationRef {
            method: operation.method().to_owned(),
            template: operation.template().to_owned(),
            id: Some(operation.id().to_owned()).filter(|id| !id.is_empty()),
        }
    }
}

impl fmt::Display for OperationRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.template)?;
        match &self.id {
            Some(id) => write!(f, " ({id})"),
            None => Ok(()),
        }
    }
}

/// One difference between a declaration and the document.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Mismatch {
    /// The operation of the document the declaration was matched to.
    pub operation: OperationRef,
    /// The declaring method's name ([`Endpoint::name`]).
    pub endpoint: String,
    /// The declaration's method and template, `GET /pets/{petId}`.
    pub route: String,
    /// What differs.
    pub kind: MismatchKind,
    /// The query parameter or header concerned, if one is.
    pub parameter: Option<String>,
    /// What the document says.
    pub expected: String,
    /// What the declaration says.
    pub declared: String,
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}`: {}", self.endpoint, self.kind)?;
        if let Some(parameter) = &self.parameter {
            write!(f, " (`{parameter}`)")?;
        }
        write!(
            f,
            ": document: {}; declared: {}",
            self.expected, self.declared
        )
    }
}

/// A reviewed difference: which declaration, which kind of mismatch (and optionally which
/// parameter), and why it is right.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Allowance {
    endpoint: String,
    kind: MismatchKind,
    parameter: Option<String>,
    reason: String,
}

impl Allowance {
    /// The declaration: its method's name, or `METHOD /template`.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The kind of mismatch allowed.
    pub fn kind(&self) -> MismatchKind {
        self.kind
    }

    /// The parameter, if the entry names one; else every parameter of the kind.
    pub fn parameter(&self) -> Option<&str> {
        self.parameter.as_deref()
    }

    /// Why the difference is right.
    pub fn reason(&self) -> &str {
        &self.reason
    }

    fn matches(&self, mismatch: &Mismatch) -> bool {
        let names_endpoint = self.endpoint == mismatch.endpoint
            || same_route(&self.endpoint, &mismatch.route)
            || same_route(
                &self.endpoint,
                &format!(
                    "{} {}",
                    mismatch.operation.method, mismatch.operation.template
                ),
            );
        names_endpoint
            && self.kind == mismatch.kind
            && self
                .parameter
                .as_ref()
                .is_none_or(|parameter| Some(parameter) == mismatch.parameter.as_ref())
    }
}

impl fmt::Display for Allowance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}`: {}", self.endpoint, self.kind)?;
        if let Some(parameter) = &self.parameter {
            write!(f, " (`{parameter}`)")?;
        }
        write!(f, ": {:?}", self.reason)
    }
}

/// `GET /a/{b}` and `get /a/{b}` name the same route.
fn same_route(written: &str, route: &str) -> bool {
    match (written.split_once(' '), route.split_once(' ')) {
        (Some((method, template)), Some((their_method, their_template))) => {
            method.eq_ignore_ascii_case(their_method) && template.trim() == their_template
        }
        _ => false,
    }
}

/// A conformance check of declarations against a document, configured then run by
/// [`Conformance::check`]. See [the module](self) for what is compared.
#[derive(Debug)]
pub struct Conformance<'a> {
    spec: &'a Spec,
    endpoints: Vec<Endpoint>,
    allowances: Vec<Allowance>,
    require_every_operation: bool,
}

impl<'a> Conformance<'a> {
    /// A check against `spec`, of no declarations yet.
    pub fn new(spec: &'a Spec) -> Conformance<'a> {
        Conformance {
            spec,
            endpoints: Vec::new(),
            allowances: Vec::new(),
            require_every_operation: false,
        }
    }

    /// Adds declarations: a trait's `ENDPOINTS` (`<Client as Pets>::ENDPOINTS`), or any
    /// list of them; call it once per trait.
    pub fn endpoints<'e>(mut self, endpoints: impl IntoIterator<Item = &'e Endpoint>) -> Self {
        self.endpoints.extend(endpoints.into_iter().cloned());
        self
    }

    /// Allows every mismatch of `kind` of the declaration `endpoint` (its method's name,
    /// or `METHOD /template`), for `reason`, which the report shows. An entry that
    /// matches nothing, or gives no reason, fails the check: the list stays reviewed.
    pub fn allow(self, endpoint: &str, kind: MismatchKind, reason: &str) -> Self {
        self.allowance(endpoint, kind, None, reason)
    }

    /// As [`allow`](Self::allow), for the query parameter or header `parameter` only.
    pub fn allow_parameter(
        self,
        endpoint: &str,
        kind: MismatchKind,
        parameter: &str,
        reason: &str,
    ) -> Self {
        self.allowance(endpoint, kind, Some(parameter), reason)
    }

    fn allowance(
        mut self,
        endpoint: &str,
        kind: MismatchKind,
        parameter: Option<&str>,
        reason: &str,
    ) -> Self {
        self.allowances.push(Allowance {
            endpoint: endpoint.trim().to_owned(),
            kind,
            parameter: parameter.map(str::to_owned),
            reason: reason.trim().to_owned(),
        });
        self
    }

    /// Fails the check when an operation of the document is declared by no method (they
    /// are listed either way).
    pub fn require_every_operation(mut self) -> Self {
        self.require_every_operation = true;
        self
    }

    /// Compares every declaration with the document.
    pub fn check(&self) -> Report {
        let operations = self.spec.operations();
        // Which declaration first matched each operation.
        let mut declared_by: Vec<Option<&str>> = vec![None; operations.len()];
        let mut found = Vec::new();
        for endpoint in &self.endpoints {
            let Some(index) = self.locate(endpoint, &mut found) else {
                continue;
            };
            let operation = &operations[index];
            match declared_by[index] {
                Some(first) => found.push(mismatch(
                    operation,
                    endpoint,
                    MismatchKind::Duplicate,
                    None,
                    "one declaration".into(),
                    format!("also declared by `{first}`"),
                )),
                None => declared_by[index] = Some(endpoint.name()),
            }
            self.compare(operation, endpoint, &mut found);
        }

        let mut used = vec![false; self.allowances.len()];
        let mut mismatches = Vec::new();
        let mut allowed = Vec::new();
        for found in found {
            let entry = self
                .allowances
                .iter()
                .position(|allowance| !allowance.reason.is_empty() && allowance.matches(&found));
            match entry {
                Some(entry) => {
                    used[entry] = true;
                    allowed.push((found, self.allowances[entry].reason.clone()));
                }
                None => mismatches.push(found),
            }
        }
        let (unused, unreasoned) = self
            .allowances
            .iter()
            .zip(used)
            .filter(|(_, used)| !used)
            .map(|(allowance, _)| allowance.clone())
            .partition(|allowance| !allowance.reason.is_empty());
        Report {
            undeclared: operations
                .iter()
                .zip(&declared_by)
                .filter(|(_, by)| by.is_none())
                .map(|(operation, _)| OperationRef::of(operation))
                .collect(),
            declared: declared_by.iter().filter(|by| by.is_some()).count(),
            operations: operations.len(),
            mismatches,
            allowed,
            unused,
            unreasoned,
            require_every_operation: self.require_every_operation,
        }
    }

    /// The operation `endpoint` declares: the one of its method and template, else one
    /// whose path differs only in names, case or a trailing `/` (after reporting that).
    fn locate(&self, endpoint: &Endpoint, found: &mut Vec<Mismatch>) -> Option<usize> {
        let operations = self.spec.operations();
        let method = endpoint.method().as_str();
        let template = endpoint.path_template();
        let same_method = |operation: &Operation| operation.method().eq_ignore_ascii_case(method);
        if let Some(index) = operations
            .iter()
            .position(|op| same_method(op) && op.template() == template)
        {
            return Some(index);
        }
        let other_methods: Vec<&str> = operations
            .iter()
            .filter(|op| op.template() == template)
            .map(Operation::method)
            .collect();
        if let Some(first) = operations.iter().find(|op| op.template() == template) {
            found.push(mismatch(
                first,
                endpoint,
                MismatchKind::Method,
                None,
                other_methods.join(" or "),
                method.to_owned(),
            ));
            return None;
        }
        for (kind, shape_of) in [
            (MismatchKind::PathParameters, shape as fn(&str) -> String),
            (MismatchKind::Path, loose_shape),
        ] {
            let declared = shape_of(template);
            if let Some(index) = operations
                .iter()
                .position(|op| same_method(op) && shape_of(op.template()) == declared)
            {
                let operation = &operations[index];
                found.push(mismatch(
                    operation,
                    endpoint,
                    kind,
                    None,
                    format!("`{}`", operation.template()),
                    format!("`{template}`"),
                ));
                return Some(index);
            }
        }
        found.push(Mismatch {
            operation: OperationRef {
                method: method.to_owned(),
                template: template.to_owned(),
                id: None,
            },
            endpoint: endpoint.name().to_owned(),
            route: route(endpoint),
            kind: MismatchKind::NotInDocument,
            parameter: None,
            expected: "no such operation".into(),
            declared: format!("`{method} {template}`"),
        });
        None
    }

    fn compare(&self, operation: &Operation, endpoint: &Endpoint, found: &mut Vec<Mismatch>) {
        let mut push = |kind, parameter: Option<&str>, expected: String, declared: String| {
            found.push(mismatch(
                operation, endpoint, kind, parameter, expected, declared,
            ));
        };
        let documented = |location: Location| {
            operation
                .parameters()
                .iter()
                .filter(move |parameter| parameter.location() == location)
        };
        let names = |location: Location| {
            let names: Vec<String> = documented(location)
                .map(|parameter| format!("`{}`", parameter.name()))
                .collect();
            if names.is_empty() {
                "none".to_owned()
            } else {
                names.join(", ")
            }
        };

        // Query parameters.
        let mut flattened = false;
        for query in endpoint.query() {
            let QueryParam::Named { name, repeated } = *query else {
                flattened = true;
                continue;
            };
            match operation.parameter(Location::Query, name) {
                None => push(
                    MismatchKind::QueryNotDocumented,
                    Some(name),
                    names(Location::Query),
                    format!("`{name}`"),
                ),
                Some(parameter) if parameter.schema().is_array() != repeated => {
                    let shape = |array: bool| {
                        if array {
                            "a list (the key repeated per item)".to_owned()
                        } else {
                            "a single value".to_owned()
                        }
                    };
                    push(
                        MismatchKind::ArrayVsSingle,
                        Some(name),
                        shape(!repeated),
                        shape(repeated),
                    );
                }
                Some(_) => {}
            }
        }
        if !flattened {
            for parameter in documented(Location::Query).filter(|p| p.required()) {
                let name = parameter.name();
                if !endpoint.query().iter().any(|q| q.name() == Some(name)) {
                    push(
                        MismatchKind::RequiredQueryMissing,
                        Some(name),
                        "required".into(),
                        "not declared".into(),
                    );
                }
            }
        }

        // Headers.
        for header in endpoint.headers() {
            if !described_by_openapi(header)
                && !documented(Location::Header).any(|p| p.name().eq_ignore_ascii_case(header))
            {
                push(
                    MismatchKind::HeaderNotDocumented,
                    Some(header),
                    names(Location::Header),
                    format!("`{header}`"),
                );
            }
        }
        let by_auth = self.api_key_headers(operation);
        for parameter in documented(Location::Header).filter(|p| p.required()) {
            let name = parameter.name();
            let sent = endpoint
                .headers()
                .iter()
                .chain(endpoint.default_headers().iter().map(|(name, _)| name))
                .chain(&by_auth)
                .any(|header| header.eq_ignore_ascii_case(name));
            if !sent && !described_by_openapi(name) {
                push(
                    MismatchKind::RequiredHeaderMissing,
                    Some(name),
                    "required".into(),
                    "not declared".into(),
                );
            }
        }

        // The body.
        let request_body = operation.object().get("requestBody");
        let accepted: Vec<&str> = request_body
            .and_then(|body| body["content"].as_object())
            .into_iter()
            .flat_map(|content| content.keys().map(String::as_str))
            .collect();
        let listed = || {
            let types: Vec<String> = accepted.iter().map(|t| format!("`{t}`")).collect();
            types.join(", ")
        };
        match (endpoint.body().content_type(), request_body) {
            (None, Some(body)) if body["required"] == true => push(
                MismatchKind::BodyMissing,
                None,
                format!("a required body of {}", listed()),
                "no body".into(),
            ),
            (None, _) => {}
            (Some(content_type), None) => push(
                MismatchKind::BodyKind,
                None,
                "no body".into(),
                body_kind(endpoint.body(), content_type),
            ),
            (Some(content_type), Some(_)) => {
                if !accepted
                    .iter()
                    .any(|documented| media_matches(documented, content_type))
                {
                    push(
                        MismatchKind::BodyKind,
                        None,
                        listed(),
                        body_kind(endpoint.body(), content_type),
                    );
                }
            }
        }

        // The success answer.
        let (reads, what): (fn(&str) -> bool, &str) = match endpoint.response() {
            ResponseKind::Json => (is_json, "JSON (`Bytes` or `ByteStream` read other content)"),
            ResponseKind::EventStream => (is_event_stream, "server-sent events (`Sse`)"),
            ResponseKind::JsonLines => (is_json_lines, "JSON lines (`JsonLines`)"),
            _ => return,
        };
        let responses = operation.object()["responses"].as_object();
        let mut success: Vec<&Value> = responses
            .into_iter()
            .flatten()
            .filter(|(status, _)| status.starts_with('2'))
            .map(|(_, response)| response)
            .collect();
        if success.is_empty() {
            // Operations documented with a `default` answer only.
            success.extend(responses.and_then(|responses| responses.get("default")));
        }
        let content = |response: &&Value| -> Vec<String> {
            response["content"]
                .as_object()
                .into_iter()
                .flat_map(|content| content.keys().cloned())
                .collect()
        };
        let readable = success.iter().any(|response| {
            let types = content(response);
            types.is_empty() || types.iter().any(|media| reads(media))
        });
        if !success.is_empty() && !readable {
            let types: Vec<String> = success
                .iter()
                .flat_map(content)
                .map(|media| format!("`{media}`"))
                .collect();
            push(
                MismatchKind::ResponseKind,
                None,
                types.join(", "),
                what.to_owned(),
            );
        }
    }

    /// The headers the `apiKey` schemes of the operation's security requirements name.
    fn api_key_headers(&self, operation: &Operation) -> Vec<&'a str> {
        let schemes = &self.spec.document()["components"]["securitySchemes"];
        operation
            .security()
            .iter()
            .filter_map(Value::as_object)
            .flat_map(|requirement| requirement.keys())
            .filter_map(|name| {
                let scheme = &schemes[name.as_str()];
                (scheme["type"] == "apiKey" && scheme["in"] == "header")
                    .then(|| scheme["name"].as_str())
                    .flatten()
            })
            .collect()
    }
}

fn mismatch(
    operation: &Operation,
    endpoint: &Endpoint,
    kind: MismatchKind,
    parameter: Option<&str>,
    expected: String,
    declared: String,
) -> Mismatch {
    Mismatch {
        operation: OperationRef::of(operation),
        endpoint: endpoint.name().to_owned(),
        route: route(endpoint),
        kind,
        parameter: parameter.map(str::to_owned),
        expected,
        declared,
    }
}

fn route(endpoint: &Endpoint) -> String {
    format!("{} {}", endpoint.method(), endpoint.path_template())
}

/// The template with its parameters' names left out: `/pets/{}`.
fn shape(template: &str) -> String {
    template
        .split('/')
        .map(|segment| {
            if segment.starts_with('{') && segment.ends_with('}') {
                "{}"
            } else {
                segment
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// [`shape`], lower case and without a trailing `/`.
fn loose_shape(template: &str) -> String {
    let shape = shape(template).to_lowercase();
    match shape.strip_suffix('/') {
        Some(trimmed) if !trimmed.is_empty() => trimmed.to_owned(),
        _ => shape,
    }
}

/// `Accept`, `Content-Type` and `Authorization`: OpenAPI ignores header parameters of
/// these names.
fn described_by_openapi(header: &str) -> bool {
    ["accept", "content-type", "authorization"]
        .iter()
        .any(|name| header.eq_ignore_ascii_case(name))
}

fn body_kind(kind: BodyKind, content_type: &str) -> String {
    let attribute = match kind {
        BodyKind::Json => "a JSON body",
        BodyKind::Form => "a `#[form]` body",
        BodyKind::Multipart => "a `#[multipart]` body",
        _ => "a raw body",
    };
    format!("{attribute} (`{content_type}`)")
}

/// Whether a body sent as `sent` is one the document's media range `documented` accepts.
fn media_matches(documented: &str, sent: &str) -> bool {
    let (documented, sent) = (essence(documented), essence(sent));
    if documented == sent || documented == "*/*" {
        return true;
    }
    match (documented.strip_suffix("/*"), sent.split_once('/')) {
        (Some(kind), Some((sent_kind, _))) => kind == sent_kind,
        _ => false,
    }
}

/// Whether a JSON decoder reads content of this media type (or range).
fn is_json(media: &str) -> bool {
    let media = essence(media);
    media == "application/json"
        || media.ends_with("+json")
        || media == "*/*"
        || media == "application/*"
}

/// Whether an [`Sse`](askui_runtime::Sse) reads content of this media type (or range).
fn is_event_stream(media: &str) -> bool {
    matches!(
        essence(media).as_str(),
        "text/event-stream" | "text/*" | "*/*"
    )
}

/// Whether a [`JsonLines`](askui_runtime::JsonLines) reads content of this media type (or
/// range): the types its `Accept` names, and the other spellings of newline-delimited JSON.
fn is_json_lines(media: &str) -> bool {
    matches!(
        essence(media).as_str(),
        "application/x-ndjson"
            | "application/ndjson"
            | "application/jsonl"
            | "application/x-jsonlines"
            | "application/*"
            | "*/*"
    )
}

/// The outcome of [`Conformance::check`]: the mismatches, those the allow-list allows (with
/// its reasons), the allow-list entries that matched nothing, and the document's operations
/// no declaration covers. Its `Display` is one line per mismatch, grouped by operation.
#[derive(Clone, Debug)]
pub struct Report {
    mismatches: Vec<Mismatch>,
    allowed: Vec<(Mismatch, String)>,
    unused: Vec<Allowance>,
    unreasoned: Vec<Allowance>,
    undeclared: Vec<OperationRef>,
    declared: usize,
    operations: usize,
    require_every_operation: bool,
}

impl Report {
    /// Whether nothing fails: no mismatch outside the allow-list, no allow-list entry that
    /// matches nothing or gives no reason, and (if required) no undeclared operation.
    pub fn is_ok(&self) -> bool {
        self.mismatches.is_empty()
            && self.unused.is_empty()
            && self.unreasoned.is_empty()
            && (self.undeclared.is_empty() || !self.require_every_operation)
    }

    /// Panics with the report unless [`is_ok`](Self::is_ok): what a test calls.
    #[track_caller]
    pub fn assert_ok(&self) {
        if !self.is_ok() {
            panic!("the declarations do not conform to the document:\n{self}");
        }
    }

    /// The mismatches the allow-list does not allow, in declaration order.
    pub fn mismatches(&self) -> &[Mismatch] {
        &self.mismatches
    }

    /// The mismatches the allow-list allows, each with its entry's reason.
    pub fn allowed(&self) -> impl Iterator<Item = (&Mismatch, &str)> {
        self.allowed
            .iter()
            .map(|(mismatch, reason)| (mismatch, reason.as_str()))
    }

    /// The allow-list entries that match no mismatch: stale, or mistyped.
    pub fn unused_allowances(&self) -> &[Allowance] {
        &self.unused
    }

    /// The allow-list entries with an empty reason, which allow nothing.
    pub fn unreasoned_allowances(&self) -> &[Allowance] {
        &self.unreasoned
    }

    /// The document's operations that no declaration covers, in the document's order.
    pub fn undeclared(&self) -> &[OperationRef] {
        &self.undeclared
    }

    /// How many of the document's operations are declared, and how many it has.
    pub fn coverage(&self) -> (usize, usize) {
        (self.declared, self.operations)
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plural = |count: usize, one: &str, many: &str| {
            format!("{count} {}", if count == 1 { one } else { many })
        };
        writeln!(
            f,
            "{}/{} operations of the document declared; {}",
            self.declared,
            self.operations,
            plural(self.mismatches.len(), "mismatch", "mismatches"),
        )?;
        write_grouped(f, self.mismatches.iter().map(|m| (m, None)))?;
        if !self.unused.is_empty() {
            writeln!(f, "allow-list entries that match no mismatch:")?;
            for allowance in &self.unused {
                writeln!(f, "  {allowance}")?;
            }
        }
        if !self.unreasoned.is_empty() {
            writeln!(
                f,
                "allow-list entries without a reason (they allow nothing):"
            )?;
            for allowance in &self.unreasoned {
                writeln!(f, "  {allowance}")?;
            }
        }
        if !self.allowed.is_empty() {
            writeln!(f, "allowed, with their reasons:")?;
            write_grouped(
                f,
                self.allowed
                    .iter()
                    .map(|(mismatch, reason)| (mismatch, Some(reason.as_str()))),
            )?;
        }
        if !self.undeclared.is_empty() {
            let failing = if self.require_every_operation {
                ", required"
            } else {
                ""
            };
            writeln!(
                f,
                "{} no declaration covers{failing}:",
                plural(self.undeclared.len(), "operation", "operations")
            )?;
            for operation in &self.undeclared {
                writeln!(f, "  {operation}")?;
            }
        }
        Ok(())
    }
}

/// Mismatches under their operation's line, in the order the operations first appear.
fn write_grouped<'m>(
    f: &mut fmt::Formatter<'_>,
    mismatches: impl Iterator<Item = (&'m Mismatch, Option<&'m str>)>,
) -> fmt::Result {
    type Group<'g> = (&'g OperationRef, Vec<(&'g Mismatch, Option<&'g str>)>);
    let mut groups: Vec<Group<'_>> = Vec::new();
    for (mismatch, reason) in mismatches {
        match groups
            .iter_mut()
            .find(|(operation, _)| **operation == mismatch.operation)
        {
            Some((_, members)) => members.push((mismatch, reason)),
            None => groups.push((&mismatch.operation, vec![(mismatch, reason)])),
        }
    }
    for (operation, members) in groups {
        writeln!(f, "{operation}:")?;
        for (mismatch, reason) in members {
            match reason {
                Some(reason) => writeln!(f, "  {mismatch} (allowed: {reason})")?,
                None => writeln!(f, "  {mismatch}")?,
            }
        }
    }
    Ok(())
}
