"""Sources for the compile-cost crates: N generated endpoints (with the macro and by hand),
and the consumers that call every method of a client once.

A consumer is a library whose one function boxes an `async` block that awaits every call:
boxing it as `dyn Future` makes rustc generate its `poll`, so each call's future is
instantiated once in the consumer. Argument values come from `val()`, a generic function that
is never called at run time (the crates are only compiled).
"""

import re

# The kinds of generated endpoints, cycled: path, query, bodies, 204s.
KINDS = 7


def dtos(n):
    """The DTOs of endpoint n: the same text in both generated crates."""
    return f"""
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Thing{n} {{
    pub id: Uuid,
    pub name: String,
    pub count: u32,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub note: Option<String>,
}}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewThing{n} {{
    pub name: String,
    pub count: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}}
"""


def ours_method(n):
    """Endpoint n declared with the attribute."""
    kind = n % KINDS
    if kind == 0:
        return f"""    #[askui_endpoint(get, "/api/v1/things{n}/{{id}}")]
    async fn get_thing{n}(&self, id: Uuid) -> Result<Thing{n}, Error>;
"""
    if kind == 1:
        return f"""    #[askui_endpoint(get, "/api/v1/things{n}")]
    async fn list_things{n}(
        &self,
        #[query] name: &str,
        #[query] limit: Option<u32>,
        #[query] tag: &[String],
    ) -> Result<Vec<Thing{n}>, Error>;
"""
    if kind == 2:
        return f"""    #[askui_endpoint(post, "/api/v1/things{n}")]
    async fn create_thing{n}(&self, body: &NewThing{n}) -> Result<Thing{n}, Error>;
"""
    if kind == 3:
        return f"""    #[askui_endpoint(put, "/api/v1/groups/{{group}}/things{n}/{{id}}")]
    async fn put_thing{n}(
        &self,
        group: &str,
        id: Uuid,
        body: &NewThing{n},
    ) -> Result<Thing{n}, Error>;
"""
    if kind == 4:
        return f"""    #[askui_endpoint(delete, "/api/v1/things{n}/{{id}}")]
    async fn delete_thing{n}(&self, id: Uuid) -> Result<(), Error>;
"""
    if kind == 5:
        return f"""    #[askui_endpoint(patch, "/api/v1/things{n}/{{id}}")]
    async fn patch_thing{n}(
        &self,
        id: Uuid,
        #[query] dry_run: Option<bool>,
        body: &NewThing{n},
    ) -> Result<Thing{n}, Error>;
"""
    return f"""    #[askui_endpoint(post, "/api/v1/things{n}/{{id}}/archive")]
    async fn archive_thing{n}(&self, id: Uuid, body: &NewThing{n}) -> Result<(), Error>;
"""


def hand_method(n):
    """Endpoint n written by hand with reqwest, on the helpers of HAND_PRELUDE."""
    kind = n % KINDS
    if kind == 0:
        return f"""    pub async fn get_thing{n}(&self, id: Uuid) -> Result<Thing{n}, Error> {{
        let id = id.to_string();
        let url = self.url(&["api", "v1", "things{n}", &id])?;
        let response = self.send(self.request(Method::GET, url)).await?;
        json(response).await
    }}
"""
    if kind == 1:
        return f"""    pub async fn list_things{n}(
        &self,
        name: &str,
        limit: Option<u32>,
        tag: &[String],
    ) -> Result<Vec<Thing{n}>, Error> {{
        let url = self.url(&["api", "v1", "things{n}"])?;
        let mut pairs: Query = vec![("name", name.to_owned())];
        if let Some(limit) = limit {{
            pairs.push(("limit", limit.to_string()));
        }}
        pairs.extend(tag.iter().map(|tag| ("tag", tag.clone())));
        let response = self
            .send(self.request(Method::GET, url).query(&pairs))
            .await?;
        json(response).await
    }}
"""
    if kind == 2:
        return f"""    pub async fn create_thing{n}(&self, body: &NewThing{n}) -> Result<Thing{n}, Error> {{
        let url = self.url(&["api", "v1", "things{n}"])?;
        let response = self.send(self.request(Method::POST, url).json(body)).await?;
        json(response).await
    }}
"""
    if kind == 3:
        return f"""    pub async fn put_thing{n}(
        &self,
        group: &str,
        id: Uuid,
        body: &NewThing{n},
    ) -> Result<Thing{n}, Error> {{
        let id = id.to_string();
        let url = self.url(&["api", "v1", "groups", segment("group", group)?, "things{n}", &id])?;
        let response = self.send(self.request(Method::PUT, url).json(body)).await?;
        json(response).await
    }}
"""
    if kind == 4:
        return f"""    pub async fn delete_thing{n}(&self, id: Uuid) -> Result<(), Error> {{
        let id = id.to_string();
        let url = self.url(&["api", "v1", "things{n}", &id])?;
        self.send(self.request(Method::DELETE, url)).await?;
        Ok(())
    }}
"""
    if kind == 5:
        return f"""    pub async fn patch_thing{n}(
        &self,
        id: Uuid,
        dry_run: Option<bool>,
        body: &NewThing{n},
    ) -> Result<Thing{n}, Error> {{
        let id = id.to_string();
        let url = self.url(&["api", "v1", "things{n}", &id])?;
        let mut pairs = Query::new();
        if let Some(dry_run) = dry_run {{
            pairs.push(("dry_run", dry_run.to_string()));
        }}
        let request = self.request(Method::PATCH, url).query(&pairs).json(body);
        let response = self.send(request).await?;
        json(response).await
    }}
"""
    return f"""    pub async fn archive_thing{n}(&self, id: Uuid, body: &NewThing{n}) -> Result<(), Error> {{
        let id = id.to_string();
        let url = self.url(&["api", "v1", "things{n}", &id, "archive"])?;
        self.send(self.request(Method::POST, url).json(body)).await?;
        Ok(())
    }}
"""


OURS_PRELUDE = """//! Generated by benches/compile/endpoints.py: {count} endpoints with #[askui_endpoint], in a
//! trait with #[askui_endpoints] (as askui-workspaces declares its traits).
#![allow(clippy::all, dead_code)]

use askui_runtime::{{Client, Error, askui_endpoint, askui_endpoints}};
use serde::{{Deserialize, Serialize}};
use uuid::Uuid;
"""

# The helpers of benches/compile/sample/hand.rs, less what the generated endpoints do not use.
HAND_PRELUDE = """//! Generated by benches/compile/endpoints.py: {count} endpoints written by hand with reqwest.
#![allow(clippy::all, dead_code)]

use std::fmt;
use std::time::Duration;

use reqwest::header::{{ACCEPT, AUTHORIZATION}};
use reqwest::{{Method, RequestBuilder, Response, StatusCode}};
use serde::de::DeserializeOwned;
use serde::{{Deserialize, Serialize}};
use url::Url;
use uuid::Uuid;

pub struct Client {{
    http: reqwest::Client,
    base: Url,
    authorization: String,
}}

#[derive(Debug)]
pub enum Error {{
    InvalidArgument(&'static str),
    Transport(reqwest::Error),
    Status {{
        status: StatusCode,
        detail: Option<String>,
        body: String,
    }},
    Decode(serde_json::Error),
}}

impl fmt::Display for Error {{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {{
        match self {{
            Error::InvalidArgument(name) => write!(f, "invalid argument `{{name}}`"),
            Error::Transport(error) => write!(f, "transport error: {{error}}"),
            Error::Status {{
                status,
                detail: Some(detail),
                ..
            }} => write!(f, "{{status}}: {{detail}}"),
            Error::Status {{ status, .. }} => write!(f, "{{status}}"),
            Error::Decode(error) => write!(f, "unexpected response body: {{error}}"),
        }}
    }}
}}

impl std::error::Error for Error {{}}

impl From<reqwest::Error> for Error {{
    fn from(error: reqwest::Error) -> Self {{
        Error::Transport(error)
    }}
}}

#[derive(Deserialize)]
struct ErrorBody {{
    detail: Detail,
}}

#[derive(Deserialize)]
#[serde(untagged)]
enum Detail {{
    Text(String),
    List(Vec<DetailItem>),
}}

#[derive(Deserialize)]
struct DetailItem {{
    msg: String,
}}

type Query = Vec<(&'static str, String)>;

impl Client {{
    pub fn new(base: Url, authorization: String) -> Result<Self, Error> {{
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .build()?;
        Ok(Client {{
            http,
            base,
            authorization,
        }})
    }}

    fn url(&self, segments: &[&str]) -> Result<Url, Error> {{
        let mut url = self.base.clone();
        url.path_segments_mut()
            .map_err(|()| Error::InvalidArgument("base"))?
            .pop_if_empty()
            .extend(segments);
        Ok(url)
    }}

    fn request(&self, method: Method, url: Url) -> RequestBuilder {{
        self.http
            .request(method, url)
            .header(AUTHORIZATION, &self.authorization)
            .header(ACCEPT, "application/json")
    }}

    async fn send(&self, request: RequestBuilder) -> Result<Response, Error> {{
        let response = request.send().await?;
        let status = response.status();
        if status.is_success() {{
            return Ok(response);
        }}
        let body = response.text().await.unwrap_or_default();
        let detail = serde_json::from_str::<ErrorBody>(&body)
            .ok()
            .map(|error| match error.detail {{
                Detail::Text(text) => text,
                Detail::List(items) => items
                    .into_iter()
                    .map(|item| item.msg)
                    .collect::<Vec<_>>()
                    .join("; "),
            }});
        Err(Error::Status {{
            status,
            detail,
            body,
        }})
    }}
}}

async fn json<T: DeserializeOwned>(response: Response) -> Result<T, Error> {{
    let bytes = response.bytes().await?;
    let bytes: &[u8] = if bytes.is_empty() {{ b"null" }} else {{ &bytes }};
    serde_json::from_slice(bytes).map_err(Error::Decode)
}}

/// One path segment, refusing values that would change the route.
fn segment<'a>(name: &'static str, value: &'a str) -> Result<&'a str, Error> {{
    if value.is_empty() || value == "." || value == ".." {{
        return Err(Error::InvalidArgument(name));
    }}
    Ok(value)
}}
"""


def crate_source(prelude, opening, method, closing, count):
    """lib.rs of a generated crate: the prelude, the DTOs, then the methods between
    `opening` and `closing`."""
    parts = [prelude.format(count=count)]
    parts += [dtos(n) for n in range(count)]
    parts.append(opening)
    parts.append("\n".join(method(n) for n in range(count)))
    parts.append(closing)
    return "".join(parts)


def ours_crate(count):
    """lib.rs of the generated crate with the attribute. The trait has `#[askui_endpoints]`, as
    askui-workspaces' traits do: since issue 16 each call is then built in a nested plain fn,
    generated once in this crate, not in the consumer."""
    return crate_source(
        OURS_PRELUDE,
        "\n#[askui_endpoints]\npub trait Api: AsRef<Client> {\n",
        ours_method,
        "}\n\nimpl Api for Client {}\n",
        count,
    )


def hand_crate(count):
    """lib.rs of the generated crate written by hand."""
    return crate_source(HAND_PRELUDE, "\nimpl Client {\n", hand_method, "}\n", count)


def split_args(text):
    """Top-level comma-separated items of an argument list."""
    items, depth, current = [], 0, ""
    for ch in text:
        if ch in "<([{":
            depth += 1
        elif ch in ">)]}":
            depth -= 1
        if ch == "," and depth == 0:
            items.append(current)
            current = ""
        else:
            current += ch
    if current.strip():
        items.append(current)
    return [item.strip() for item in items if item.strip()]


def methods(source, pattern):
    """(name, argument count without the receiver, generic parameters) of each method whose
    header matches `pattern` (which captures the name and what follows it)."""
    found = []
    for match in re.finditer(pattern, source):
        name, rest = match.group(1), source[match.end(1) :]
        generics = []
        if rest.startswith("<"):
            depth, end = 0, 0
            for end, ch in enumerate(rest):
                depth += ch == "<"
                depth -= ch == ">"
                if depth == 0:
                    break
            generics = [g.split(":")[0].strip() for g in split_args(rest[1:end])]
            rest = rest[end + 1 :]
        depth, end = 0, 0
        for end, ch in enumerate(rest):
            depth += ch == "("
            depth -= ch == ")"
            if depth == 0:
                break
        args = [re.sub(r"#\[[^\]]*\]\s*", "", a) for a in split_args(rest[1:end])]
        args = [a for a in args if not re.fullmatch(r"(&('\w+\s+)?)?(mut\s+)?self", a)]
        types = [a.split(":", 1)[1].strip() for a in args]
        found.append((name, types, generics))
    return found


def consumer(header, calls, client_type):
    """A consumer calling `calls` (method name, argument types, generics) once each."""
    lines = [
        "//! Generated by benches/compile/endpoints.py: calls every method once.",
        "#![allow(clippy::all, unused, deprecated)]",
        "use std::future::Future;",
        "use std::pin::Pin;",
        header,
        "",
        "#[inline(never)]",
        "fn val<T>() -> T {",
        '    unimplemented!("only compiled")',
        "}",
        "",
        f"pub fn call_all(client: &{client_type}) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {{",
        "    Box::pin(async move {",
    ]
    for name, types, generics in calls:
        values = []
        for ty in types:
            # A generic argument (progenitor's raw bodies: `B: Into<reqwest::Body>`) needs
            # its type spelled out.
            values.append(
                f"val::<{GENERIC_ARGS[ty]}>()" if ty in generics else "val()"
            )
        lines.append(f"        let _ = client.{name}({', '.join(values)}).await;")
    lines += ["    })", "}", ""]
    return "\n".join(lines)


# What a consumer passes for a generic argument, by the name the generated code gives it.
GENERIC_ARGS = {"B": "Vec<u8>"}


def ours_calls(count):
    return methods(ours_crate(count), r"async fn (\w+)")


def hand_calls(count):
    return methods(hand_crate(count), r"pub async fn (\w+)")
