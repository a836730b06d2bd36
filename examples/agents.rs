//! AskUI agents: create one from a template, list the workspace's agents through the paging
//! helper, and update (rename and archive) the new one.
//!
//! Offline against the AskUI fake by default; against the real API (or the server at
//! `ASKUI_WORKSPACES_ENDPOINT`) with `ASKUI_TOKEN` and `ASKUI_WORKSPACE_ID` set, where the
//! agent it creates is left archived.
//!
//! ```sh
//! cargo run -p askui-examples --example agents
//! ```

use std::process::ExitCode;

use askui_examples::{Failure, Target, exit};
use askui_workspaces::agents::{
    AgentCreateCommand, AgentName, AgentStatus, AgentUpdateCommand, Agents, DataDestinationCreate,
    ListAgentsQuery,
};
use askui_workspaces::{Url, Uuid};
use futures_util::TryStreamExt;

#[tokio::main]
async fn main() -> ExitCode {
    exit(run().await)
}

async fn run() -> Result<(), Failure> {
    let Target {
        client,
        workspace_id,
        fake: _fake,
    } = Target::from_env().await?;

    println!("\n1. Create an agent from the first template:");
    let templates = client.list_agent_templates().await?;
    let template = templates
        .data
        .first()
        .ok_or("no agent template is available")?;
    println!("   template {} ({})", template.id, template.name);
    // Unique per run: names are unique within a workspace.
    let suffix = Uuid::new_v4().simple().to_string();
    let mut command = AgentCreateCommand::new(
        AgentName::new(format!("Invoices {}", &suffix[..8]))?,
        workspace_id,
        &template.id,
    )?;
    command.description = Some("Reads invoices sent by email".to_owned());
    command.data_destinations = vec![DataDestinationCreate::Webhook {
        url: Url::parse("https://hooks.example.com/askui/invoices")?,
        headers: [("X-Source".to_owned(), "askui".to_owned())].into(),
    }];
    let agent = client.create_agent(&command).await?;
    let agent_id = agent.id.ok_or("the new agent has no id")?;
    println!(
        "   {} ({agent_id}), trigger address {}",
        agent.name.as_str(),
        agent.email_trigger.email
    );

    let rest = async {
        println!("\n2. Every agent of the workspace, two per page, through `all_agents`:");
        let query = ListAgentsQuery::new().workspaces([workspace_id]).limit(2)?;
        let agents: Vec<_> = client.all_agents(query).try_collect().await?;
        for agent in &agents {
            println!("   {:?} {}", agent.status, agent.name.as_str());
        }

        println!("\n3. Rename and archive the new agent:");
        let update = AgentUpdateCommand {
            name: Some(AgentName::new(format!("Old invoices {}", &suffix[..8]))?),
            status: Some(AgentStatus::Archived),
            ..AgentUpdateCommand::default()
        };
        let updated = client.update_agent(agent_id, &update).await?;
        println!("   {:?} {}", updated.status, updated.name.as_str());
        Ok::<(), Failure>(())
    };
    let result = rest.await;
    if result.is_err() {
        // The API cannot delete agents: archive the one this run made, so it does no work.
        let archive = AgentUpdateCommand {
            status: Some(AgentStatus::Archived),
            ..AgentUpdateCommand::default()
        };
        if let Err(error) = client.update_agent(agent_id, &archive).await {
            eprintln!("could not archive agent {agent_id}: {error}");
        }
    }
    result
}
