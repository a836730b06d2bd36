//! Operations tagged `tools`.

use askui_runtime::{Error, askui_endpoint, askui_endpoints};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Tools that work on a workspace's files.
#[cfg_attr(feature = "blocking", askui_endpoints(blocking))]
#[cfg_attr(not(feature = "blocking"), askui_endpoints)]
pub trait Tools: AsRef<askui_runtime::Client> {
    /// Extract Data from files with a JSON schema. Depending on the number, size and type of
    /// the files and the schema's complexity this may take minutes, so the call waits up to
    /// ten (pass `CallOptions` for another limit).
    ///
    /// Operation `extract_data_api_v1_tools_extract_data_post`.
    ///
    /// Errors: 401, 403, 409, 500 and 422 with a string `detail()` (here 422 is not a
    /// validation report).
    #[askui_endpoint(post, "/api/v1/tools/extract-data", timeout = "10m")]
    async fn extract_data(
        &self,
        body: &ExtractDataCommand,
        #[options] options: Option<&askui_runtime::CallOptions>,
    ) -> Result<ExtractDataResponse, Error>;
}

impl Tools for askui_runtime::Client {}

#[cfg(feature = "blocking")]
impl BlockingTools for askui_runtime::blocking::Client {}

/// The request of [`Tools::extract_data`].
///
/// ```
/// use askui_workspaces::tools::{ExtractDataCommand, JsonSchema};
/// use serde_json::json;
///
/// let schema = JsonSchema::new([("total".to_owned(), json!({"type": "number"}))])?
///     .title("Invoice")?
///     .required(["total"]);
/// let body = ExtractDataCommand::new(["invoices/2026-11/"], schema)?;
/// assert!(JsonSchema::new([]).is_err(), "at least one property");
/// # Ok::<(), askui_workspaces::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExtractDataCommand {
    file_paths: Vec<String>,
    data_schema: JsonSchema,
}

impl ExtractDataCommand {
    /// Files (paths or path prefixes, at least one) and the schema of the data to extract.
    pub fn new(
        file_paths: impl IntoIterator<Item = impl Into<String>>,
        data_schema: JsonSchema,
    ) -> Result<Self, Error> {
        let file_paths: Vec<String> = file_paths.into_iter().map(Into::into).collect();
        if file_paths.is_empty() {
            return Err(Error::invalid_argument(
                "filePaths",
                "must contain at least one path",
            ));
        }
        Ok(Self {
            file_paths,
            data_schema,
        })
    }
}

/// The schema of data to extract: an object schema with at least one property (also an
/// agent's `dataSchema`). Built with [`JsonSchema::new`], which checks it; read as the
/// server sends it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JsonSchema {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    /// Always `"object"`.
    #[serde(rename = "type", default)]
    kind: SchemaType,
    properties: Map<String, Value>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    required: Vec<String>,
}

/// The one `type` a data schema has.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
enum SchemaType {
    #[default]
    #[serde(rename = "object")]
    Object,
}

impl JsonSchema {
    /// The properties (at least one), each a JSON object (its own schema).
    pub fn new(properties: impl IntoIterator<Item = (String, Value)>) -> Result<Self, Error> {
        let properties: Map<String, Value> = properties.into_iter().collect();
        if properties.is_empty() {
            return Err(Error::invalid_argument(
                "properties",
                "must have at least one property",
            ));
        }
        if let Some((name, _)) = properties.iter().find(|(_, schema)| !schema.is_object()) {
            return Err(Error::invalid_argument(
                "properties",
                format!("the schema of `{name}` must be a JSON object"),
            ));
        }
        Ok(JsonSchema {
            title: None,
            description: None,
            kind: SchemaType::Object,
            properties,
            required: Vec::new(),
        })
    }

    /// The title: letters, digits, `_` and `-` only.
    pub fn title(mut self, title: impl Into<String>) -> Result<Self, Error> {
        let title = title.into();
        let valid = !title.is_empty()
            && title
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !valid {
            return Err(Error::invalid_argument(
                "title",
                "must be letters, digits, `_` and `-`",
            ));
        }
        self.title = Some(title);
        Ok(self)
    }

    /// A description for the extraction.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// The properties, each a JSON schema.
    pub fn properties(&self) -> &Map<String, Value> {
        &self.properties
    }

    /// The properties that must be extracted.
    pub fn required(mut self, required: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.required = required.into_iter().map(Into::into).collect();
        self
    }
}

/// The response of [`Tools::extract_data`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExtractDataResponse {
    /// The extracted data, shaped by the schema.
    pub data: Map<String, Value>,
}
