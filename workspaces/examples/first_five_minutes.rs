use askui_workspaces::agents::{Agents, ListAgentsQuery};
use askui_workspaces::files::{Files, ListFilesQuery, UploadFile};
use askui_workspaces::{ErrorKind, StatusCode};
use futures_util::TryStreamExt;

#[tokio::main]
async fn main() -> Result<(), askui_workspaces::Error> {
    // ASKUI_TOKEN (sent as `Authorization: Basic base64(token)`), optionally
    // ASKUI_WORKSPACES_ENDPOINT for another server.
    let client = askui_workspaces::from_env()?;
    let workspace_id: askui_workspaces::Uuid = std::env::var("ASKUI_WORKSPACE_ID")
        .ok()
        .and_then(|id| id.parse().ok())
        .ok_or_else(|| {
            askui_workspaces::Error::invalid_argument("ASKUI_WORKSPACE_ID", "not a UUID")
        })?;

    // A call: upload a file, streamed from disk.
    let path = format!("workspaces/{workspace_id}/inbox/invoice.pdf");
    let uploaded = client
        .upload_file(&path, None, UploadFile::path("invoice.pdf"), None)
        .await?;
    println!(
        "uploaded {} ({})",
        uploaded.file_path, uploaded.content_type
    );

    // Paging without writing it: every file of the folder, page after page.
    let prefix = format!("workspaces/{workspace_id}/inbox/");
    let files: Vec<_> = client
        .all_files(ListFilesQuery::new(prefix).folders())
        .try_collect()
        .await?;
    println!("{} files", files.len());

    // Errors: one type, with the status and the server's message.
    match client
        .list_agents(&ListAgentsQuery::new().workspaces([workspace_id]))
        .await
    {
        Ok(page) => println!("{} agents", page.data.len()),
        Err(error) if error.status() == Some(StatusCode::UNAUTHORIZED) => {
            eprintln!("check ASKUI_TOKEN: {}", error.detail().unwrap_or_default())
        }
        Err(error) if error.kind() == ErrorKind::InvalidArgument => eprintln!("{error}"),
        Err(error) => return Err(error),
    }
    Ok(())
}
