//! Files in an AskUI workspace: upload a local file (streamed from disk), list its folder
//! page by page, download it back through its signed URL, and delete it.
//!
//! Offline against the AskUI fake by default; against the real API (or the server at
//! `ASKUI_WORKSPACES_ENDPOINT`) with `ASKUI_TOKEN` and `ASKUI_WORKSPACE_ID` set, where it
//! works under `workspaces/<id>/askui-endpoint-example/` and deletes what it uploads.
//!
//! ```sh
//! cargo run -p askui-examples --example files
//! ```

use std::process::ExitCode;

use askui_examples::{Failure, Target, exit};
use askui_workspaces::Client;
use askui_workspaces::files::{FileListItem, Files, ListFilesQuery, UploadFile};
use futures_util::TryStreamExt;

#[tokio::main]
async fn main() -> ExitCode {
    exit(run().await)
}

async fn run() -> Result<(), Failure> {
    let target = Target::from_env().await?;
    let folder = format!("workspaces/{}/askui-endpoint-example/", target.workspace_id);
    let local = std::env::temp_dir().join(format!("askui-example-{}.txt", std::process::id()));
    let content: Vec<u8> = (0..64 * 1024).map(|i| b'a' + (i % 26) as u8).collect();
    std::fs::write(&local, &content).map_err(|e| format!("{}: {e}", local.display()))?;

    let result = walk_through(&target.client, &folder, &local, &content).await;
    let _ = std::fs::remove_file(&local);
    result
}

async fn walk_through(
    client: &Client,
    folder: &str,
    local: &std::path::Path,
    content: &[u8],
) -> Result<(), Failure> {
    println!(
        "\n1. Upload {} (streamed from disk) and two small files:",
        local.display()
    );
    let report = format!("{folder}reports/report.txt");
    let uploaded = client
        .upload_file(&report, None, UploadFile::path(local), None)
        .await?;
    println!("   {} ({})", uploaded.file_path, uploaded.content_type);
    for name in ["a.txt", "b.txt"] {
        let path = format!("{folder}{name}");
        let file = UploadFile::bytes(name.as_bytes().to_vec(), name, "text/plain");
        let uploaded = client.upload_file(&path, None, file, None).await?;
        println!("   {}", uploaded.file_path);
    }

    println!("\n2. The folder, two entries per page (folders grouped by `/`):");
    let mut query = ListFilesQuery::new(folder).folders().limit(2)?;
    for page_number in 1.. {
        let page = client.list_files(&query).await?;
        for item in &page.data {
            match item {
                FileListItem::File(file) => {
                    println!(
                        "   page {page_number}: file   {} ({} bytes)",
                        file.name, file.size
                    )
                }
                FileListItem::Folder(folder) => {
                    println!("   page {page_number}: folder {}", folder.path)
                }
            }
        }
        match page.next_continuation_token {
            Some(token) => query = query.continuation_token(token),
            None => break,
        }
    }

    println!("\n3. Download the report back through its signed URL:");
    let listed: Vec<FileListItem> = client
        .all_files(ListFilesQuery::new(format!("{folder}reports/")).with_urls())
        .try_collect()
        .await?;
    let Some(FileListItem::File(file)) = listed.into_iter().next() else {
        return Err("the uploaded report is not listed".into());
    };
    let mut download = file.download(client).await?;
    let mut received = Vec::new();
    while let Some(chunk) = download.chunk().await? {
        received.extend_from_slice(&chunk);
    }
    println!(
        "   {} bytes, {} the uploaded file",
        received.len(),
        if received == content {
            "identical to"
        } else {
            "DIFFERENT from"
        }
    );
    if received != content {
        return Err("the download differs from the upload".into());
    }

    println!("\n4. Delete the three files:");
    for path in [report, format!("{folder}a.txt"), format!("{folder}b.txt")] {
        client.delete_file(&path).await?;
        println!("   deleted {path}");
    }
    let left: Vec<FileListItem> = client
        .all_files(ListFilesQuery::new(folder))
        .try_collect()
        .await?;
    println!("   {} files left under {folder}", left.len());
    Ok(())
}
