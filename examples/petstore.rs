//! Your own API, spec first: the Swagger Petstore client of `askui_examples::petstore`,
//! declared by hand, checked against the Petstore's OpenAPI document and called against the
//! fake `askui-openapi` serves from that document.
//!
//! ```text
//! cargo run -p askui-examples --example petstore
//! PETSTORE_URL=https://petstore3.swagger.io/api/v3 cargo run -p askui-examples --example petstore
//! ```
//!
//! Offline by default; with `PETSTORE_URL` set, the same calls go to that server (the public
//! Petstore accepts any token and the key `special-key`).

use std::process::ExitCode;

use askui_examples::petstore::{self, Pet, PetStatus, Pets, Store, Users};
use askui_openapi::fake::FakeApi;
use askui_openapi::{Conformance, Spec};

/// The Petstore's document, as published (`spec/petstore/openapi.yaml`).
const DOCUMENT: &str = include_str!("../spec/petstore/openapi.yaml");

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("petstore: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let spec = Spec::from_str(DOCUMENT)?;

    // 1. The declarations against the document: every operation, no mismatch.
    let report = Conformance::new(&spec)
        .endpoints(&petstore::endpoints())
        .require_every_operation()
        .check();
    print!("{report}");
    if !report.is_ok() {
        return Err("the declarations do not match the document".into());
    }

    // 2. The calls, against the real server if one is named, else the fake.
    let (base_url, _fake) = match std::env::var("PETSTORE_URL") {
        Ok(url) => (url, None),
        Err(_) => {
            let fake = FakeApi::new(spec).start().await?;
            println!("offline: a fake of the Petstore at {}", fake.base_url());
            (fake.base_url(), Some(fake))
        }
    };
    let (client, with_key) = petstore::connect(&base_url, "an-oauth-token", "special-key")?;

    let pet = client
        .add_pet(&Pet {
            name: "doggie".into(),
            photo_urls: vec!["https://example.com/doggie.png".into()],
            status: Some(PetStatus::Available),
            ..Pet::default()
        })
        .await?;
    println!("added {} (id {:?})", pet.name, pet.id);
    let sold = client.find_pets_by_status(Some(PetStatus::Sold)).await?;
    println!("{} pets sold", sold.len());
    let inventory = with_key.get_inventory().await?;
    println!("inventory: {inventory:?}");
    let session = client.login_user("theUser", "12345").await?;
    let limit = session
        .headers
        .get("x-rate-limit")
        .and_then(|value| value.to_str().ok())
        .unwrap_or("not sent");
    println!("logged in ({}), rate limit {limit}", session.value);
    client.logout_user().await?;
    Ok(())
}
