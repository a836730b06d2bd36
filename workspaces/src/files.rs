//! Operations tagged `files`: a workspace's files, under `workspaces/{workspace_id}/…`.
//!
//! # Downloading files
//!
//! A listing with [`ListFilesQuery::with_urls`] gives each file a signed URL on another
//! origin (CloudFront), valid for an hour; the signature in it is the credential.
//! [`FileDto::download`] fetches the file through it, streamed, and sends none of the
//! client's credentials:
//!
//! ```no_run
//! use askui_workspaces::files::{FileListItem, Files, ListFilesQuery};
//! use futures_util::TryStreamExt;
//!
//! # async fn run(client: askui_workspaces::Client) -> Result<(), askui_workspaces::Error> {
//! let listing = client.all_files(ListFilesQuery::new("workspaces/3f0c…/runs/").with_urls());
//! let mut listing = std::pin::pin!(listing);
//! while let Some(item) = listing.try_next().await? {
//!     if let FileListItem::File(file) = item {
//!         let bytes = file.download(&client).await?.save(&file.name).await?;
//!         println!("{}: {bytes} bytes", file.path);
//!     }
//! }
//! # Ok(()) }
//! ```
//!
//! The download is an [`askui_runtime::ByteStream`]: `save`, `write_to`, `chunk`, or a
//! `Stream`; an expired URL answers 403 (list again for a fresh one). A URL from elsewhere
//! downloads the same way with [`Client::download_url`](askui_runtime::Client::download_url).
//! Errors never show the URL's query, and neither does `FileDto`'s `Debug`.
//!
//! With the `blocking` feature, `BlockingFiles` makes the same calls with
//! `askui_runtime::blocking::Client`, `BlockingFilesExt::all_files` walks a listing as an
//! `Iterator`, and `FileDto::download_blocking` downloads:
//!
//! ```no_run
//! # #[cfg(feature = "blocking")]
//! # fn run(client: askui_runtime::blocking::Client) -> Result<(), askui_workspaces::Error> {
//! use askui_workspaces::files::{BlockingFilesExt, FileListItem, ListFilesQuery};
//!
//! for item in client.all_files(ListFilesQuery::new("workspaces/3f0c…/runs/").with_urls()) {
//!     if let FileListItem::File(file) = item? {
//!         file.download_blocking(&client)?.save_blocking(&file.name)?;
//!     }
//! }
//! # Ok(()) }
//! ```

use askui_runtime::paging::{self, Token};
use askui_runtime::{
    ByteStream, Error, IntoMultipart, Multipart, Part, Response, askui_endpoint, askui_endpoints,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

/// Files: list, upload (up to 5 GB, streamed), delete, and signed cookies for reading them.
#[cfg_attr(feature = "blocking", askui_endpoints(blocking))]
#[cfg_attr(not(feature = "blocking"), askui_endpoints)]
pub trait Files: AsRef<askui_runtime::Client> {
    /// List Files under a prefix, a page at a time. Within a workspace the prefix must start
    /// with `workspaces/{workspace_id}/`; a prefix outside any workspace lists nothing.
    /// Follow `next_continuation_token` for the next page.
    ///
    /// Operation `list_files_api_v1_files_get`.
    ///
    /// Errors: 401, 500 with a string `detail()`; 422 for an invalid request.
    #[askui_endpoint(get, "/api/v1/files")]
    async fn list_files(
        &self,
        #[query(flatten)] query: &ListFilesQuery,
    ) -> Result<FilesListResponseDto, Error>;

    /// Upload File (max. 5 GB) to `file_path` (e.g. `workspaces/{id}/runs/a.png`; each
    /// segment is encoded), replacing a file that exists there. The server removes or
    /// replaces unsupported characters and shortens paths over 1024 characters; with
    /// `strict`, such a path is an error instead. The upload is
    /// streamed and may take long: the call waits up to an hour (pass `CallOptions` for
    /// another limit).
    ///
    /// Operation `upload_file_api_v1_files__file_path__put`.
    ///
    /// Errors: 401, 403, 413 (too large), 422 and 500 with a string `detail()` (here 422 is
    /// not a validation report).
    #[askui_endpoint(put, "/api/v1/files/<file_path..>", timeout = "1h")]
    async fn upload_file(
        &self,
        file_path: &str,
        #[query] strict: Option<bool>,
        #[multipart] file: UploadFile,
        #[options] options: Option<&askui_runtime::CallOptions>,
    ) -> Result<UploadFileResponse, Error>;

    /// Delete File at `file_path` (204, also when there is none). One file, not a folder.
    ///
    /// Operation `delete_file_api_v1_files__file_path__delete`.
    ///
    /// Errors: 401, 403, 404, 500 with a string `detail()`; 422 for an invalid request.
    #[askui_endpoint(delete, "/api/v1/files/<file_path..>")]
    async fn delete_file(&self, file_path: &str) -> Result<(), Error>;

    /// Set Signed Cookies: http-only, secure cookies for reading files through CloudFront in
    /// every accessible workspace (none without a workspace id). The cookies are in the
    /// answer's `Set-Cookie` headers; its body is any JSON.
    ///
    /// Operation `set_signed_cookies_api_v1_files_signed_cookies_post`.
    ///
    /// Errors: 401, 403 with a string `detail()`; 422 for an invalid request.
    #[askui_endpoint(post, "/api/v1/files/signed-cookies")]
    async fn set_signed_cookies(
        &self,
        body: &GenerateSignedCookiesCommand,
    ) -> Result<Response<Value>, Error>;

    /// Every file and folder under `query`'s prefix, page after page
    /// ([`list_files`](Self::list_files) following `next_continuation_token`). Pages are
    /// fetched as the stream is read.
    fn all_files(
        &self,
        query: ListFilesQuery,
    ) -> impl futures_core::Stream<Item = Result<FileListItem, Error>> + Send + '_
    where
        Self: Sync,
    {
        paging::stream(ListFilesQuery::PAGING, query, move |page| async move {
            self.list_files(&page).await
        })
    }
}

impl Files for askui_runtime::Client {}

#[cfg(feature = "blocking")]
impl BlockingFiles for askui_runtime::blocking::Client {}

/// The paging helper of [`Files`] for blocking clients: implemented for every
/// [`BlockingFiles`] (`askui_runtime::blocking::Client` among them).
#[cfg(feature = "blocking")]
pub trait BlockingFilesExt: BlockingFiles {
    /// [`Files::all_files`] for blocking code: every file and folder under `query`'s prefix,
    /// page after page, as an `Iterator` that calls [`list_files`](BlockingFiles::list_files)
    /// with the next continuation token as it is advanced. It ends after the first error.
    fn all_files(
        &self,
        query: ListFilesQuery,
    ) -> impl Iterator<Item = Result<FileListItem, Error>> + Send + '_
    where
        Self: Sync,
    {
        paging::iter(ListFilesQuery::PAGING, query, |page| self.list_files(page))
    }
}

#[cfg(feature = "blocking")]
impl<T: BlockingFiles + ?Sized> BlockingFilesExt for T {}

/// The file of [`Files::upload_file`]: sent as the multipart part `file`, streamed.
///
/// ```no_run
/// use askui_workspaces::files::UploadFile;
///
/// let from_disk = UploadFile::path("report.pdf"); // opened when the call is sent
/// let in_memory = UploadFile::bytes(b"hello".to_vec(), "hello.txt", "text/plain");
/// ```
pub struct UploadFile(Part);

impl UploadFile {
    /// The file at `path`, with its name and a content type guessed from the extension.
    pub fn path(path: impl Into<std::path::PathBuf>) -> Self {
        UploadFile(Part::path(path))
    }

    /// Bytes in memory, with a file name and content type.
    pub fn bytes(bytes: Vec<u8>, file_name: &str, content_type: &str) -> Self {
        UploadFile(
            Part::bytes(bytes)
                .file_name(file_name)
                .content_type(content_type),
        )
    }

    /// A stream (of `length` bytes, if known), with a file name and content type.
    pub fn stream(
        stream: ByteStream,
        length: Option<u64>,
        file_name: &str,
        content_type: &str,
    ) -> Self {
        let part = match length {
            Some(length) => Part::stream_with_length(stream, length),
            None => Part::stream(stream),
        };
        UploadFile(part.file_name(file_name).content_type(content_type))
    }
}

impl IntoMultipart for UploadFile {
    fn into_multipart(self) -> Multipart {
        Multipart::new().part("file", self.0)
    }
}

/// The query of [`Files::list_files`].
///
/// ```
/// use askui_workspaces::files::ListFilesQuery;
///
/// let query = ListFilesQuery::new("workspaces/3f0c…/runs/").folders().limit(100)?.with_urls();
/// assert!(ListFilesQuery::new("").limit(1001).is_err());
/// # Ok::<(), askui_workspaces::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ListFilesQuery {
    prefix: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    delimiter: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    limit: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    continuation_token: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    expand: Vec<&'static str>,
}

impl ListFilesQuery {
    /// Files whose path starts with `prefix` (end a folder with `/`).
    pub fn new(prefix: impl Into<String>) -> Self {
        ListFilesQuery {
            prefix: prefix.into(),
            ..Self::default()
        }
    }

    /// Groups by folder (`delimiter=/`): the files of this folder, and its subfolders as
    /// [`FileListItem::Folder`].
    pub fn folders(mut self) -> Self {
        self.delimiter = Some("/".into());
        self
    }

    /// At most this many items per page, 1 to 1000 (the server's default is 10).
    pub fn limit(mut self, limit: u32) -> Result<Self, Error> {
        self.limit = Some(crate::common::check_limit(limit, 1000)?);
        Ok(self)
    }

    /// The page after the one that returned this token.
    pub fn continuation_token(mut self, token: impl Into<String>) -> Self {
        self.continuation_token = Some(token.into());
        self
    }

    /// Adds a signed URL (valid for an hour) to each file.
    pub fn with_urls(mut self) -> Self {
        self.expand = vec!["url"];
        self
    }
}

/// The response of [`Files::list_files`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FilesListResponseDto {
    /// Files and folders of this page.
    #[serde(deserialize_with = "items")]
    pub data: Vec<FileListItem>,
    /// The token of the next page, if there is one.
    #[serde(default)]
    pub next_continuation_token: Option<String>,
}

impl ListFilesQuery {
    /// The page after each follows its `nextContinuationToken`.
    const PAGING: Token<Self, FilesListResponseDto, FileListItem> = Token::new(
        |query| query.continuation_token.as_deref(),
        |query, token| query.continuation_token(token),
        |page| (page.data, page.next_continuation_token),
    );
}

/// A file or a folder of a listing, by its `type` (always sent; read also without one, by
/// its fields).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum FileListItem {
    /// A file.
    File(FileDto),
    /// A folder.
    Folder(FolderDto),
}

/// Listed items, also without their `type` (a file has a size).
fn items<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Vec<FileListItem>, D::Error> {
    crate::common::tagged_list(deserializer, "type", |object| {
        if object.contains_key("size") || object.contains_key("lastModified") {
            "file"
        } else {
            "folder"
        }
    })
}

/// A file of a listing. Its `Debug` shows `url` without the query, which holds the
/// signature.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileDto {
    /// Its name.
    pub name: String,
    /// Its path.
    pub path: String,
    /// A signed URL, valid for an hour, when asked for ([`ListFilesQuery::with_urls`]).
    #[serde(default)]
    pub url: Option<String>,
    /// Its size in bytes.
    pub size: u64,
    /// When it last changed.
    pub last_modified: DateTime<Utc>,
}

impl FileDto {
    /// Downloads the file through its signed [`url`](Self::url), streamed
    /// ([`askui_runtime::Client::download_url`]): no credentials are sent, the URL's
    /// signature is. The URL is valid for an hour after listing; an expired one answers 403.
    ///
    /// ```no_run
    /// # use askui_workspaces::files::FileDto;
    /// # async fn run(client: askui_workspaces::Client, file: FileDto) -> Result<(), askui_workspaces::Error> {
    /// file.download(&client).await?.save(&file.name).await?;
    /// # Ok(()) }
    /// ```
    ///
    /// Errors: [`ErrorKind::InvalidArgument`](askui_runtime::ErrorKind::InvalidArgument)
    /// before any I/O when the file was listed without
    /// [`ListFilesQuery::with_urls`] (no `url`), or its `url` is not an http(s) URL; the
    /// server's non-2xx answer as a `Status` error.
    pub fn download(
        &self,
        client: &askui_runtime::Client,
    ) -> impl Future<Output = Result<ByteStream, Error>> + Send + 'static {
        let download = self.signed_url().map(|url| client.download_url(url));
        async move { download?.await }
    }

    /// [`download`](Self::download) with a blocking client: read the answer with
    /// [`ByteStream::save_blocking`] or [`ByteStream::into_blocking_read`].
    #[cfg(feature = "blocking")]
    pub fn download_blocking(
        &self,
        client: &askui_runtime::blocking::Client,
    ) -> Result<ByteStream, Error> {
        client.download_url(self.signed_url()?)
    }

    fn signed_url(&self) -> Result<&str, Error> {
        self.url.as_deref().ok_or_else(|| {
            Error::invalid_argument(
                "url",
                "the file was listed without a signed URL; list with `ListFilesQuery::with_urls()`",
            )
        })
    }
}

impl std::fmt::Debug for FileDto {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The query of a signed URL is its credential.
        let url = self.url.as_deref().map(|url| match url.split_once('?') {
            Some((base, _)) => format!("{base}?<redacted>"),
            None => url.to_owned(),
        });
        f.debug_struct("FileDto")
            .field("name", &self.name)
            .field("path", &self.path)
            .field("url", &url)
            .field("size", &self.size)
            .field("last_modified", &self.last_modified)
            .finish()
    }
}

/// A folder of a listing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FolderDto {
    /// Its name.
    pub name: String,
    /// Its path.
    pub path: String,
}

/// The response of [`Files::upload_file`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UploadFileResponse {
    /// Where the file is.
    pub file_path: String,
    /// Its content type.
    pub content_type: String,
}

/// The request of [`Files::set_signed_cookies`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GenerateSignedCookiesCommand {
    /// The workspace whose files to read; no cookies are set for `None` (sent as `null`).
    pub workspace_id: Option<Uuid>,
}
