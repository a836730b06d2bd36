//! The Petstore client (`askui_examples::petstore`) against the fake `askui_openapi` serves
//! from the Petstore document, with no Petstore-specific code in the fake: the handlers
//! here are the test's own state.

use askui_examples::petstore::{self, Pets, Store, Users};
use askui_openapi::Spec;
use askui_openapi::fake::FakeApi;
use askui_runtime::{Bytes, Client, Error, askui_endpoint, askui_endpoints};
use serde_json::Value;

fn spec() -> Spec {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/petstore/openapi.yaml");
    Spec::from_path(path).expect("the Petstore document loads")
}

/// Every one of the 19 operations, called through the declared client against the fake
/// served from the document: each request passes the fake's routing, security and
/// validation, and each answer (an example, a generated instance, or the test's handler)
/// decodes into the client's types.
#[tokio::test]
async fn the_petstore_client_calls_every_operation_on_the_fake() {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex};

    use askui_openapi::fake::{Answer, Body, FakeApi, LimitKind};
    use petstore::{Order, Pet, PetStatus, User};

    let pets: Arc<Mutex<HashMap<i64, Value>>> = Arc::default();
    let (added, read) = (Arc::clone(&pets), Arc::clone(&pets));
    let api = FakeApi::new(spec())
        .accept_credential("petstore_auth", "oauth-token")
        .accept_credential("api_key", "special-key")
        .handler("addPet", move |call| {
            let pet = call.json().clone();
            let id = pet["id"].as_i64().unwrap_or_default();
            added
                .lock()
                .map(|mut pets| pets.insert(id, pet.clone()))
                .ok();
            Answer::json(200, pet)
        })
        .handler("getPetById", move |call| {
            let id = call
                .param("petId")
                .and_then(Value::as_i64)
                .unwrap_or_default();
            match read.lock().ok().and_then(|pets| pets.get(&id).cloned()) {
                Some(pet) => Answer::json(200, pet),
                None => call.generated(),
            }
        })
        .handler("updateUser", |call| match call.body() {
            Body::Form(user) if user["userStatus"] == 2 => Answer::empty(200),
            other => Answer::json(
                500,
                serde_json::json!({ "unexpected": format!("{other:?}") }),
            ),
        });
    // XML request bodies are the only thing the fake does not check in this document.
    assert!(
        api.limits()
            .iter()
            .all(|limit| limit.kind == LimitKind::UnvalidatedBody)
    );
    let fake = api.start().await.expect("the fake starts");
    let (with_token, with_key) =
        petstore::connect(&fake.base_url(), "oauth-token", "special-key").expect("clients");

    let rex = Pet {
        id: Some(7),
        name: "Rex".into(),
        photo_urls: vec!["https://pets.example/rex.jpg".into()],
        status: Some(PetStatus::Available),
        ..Pet::default()
    };
    assert_eq!(with_token.add_pet(&rex).await.expect("addPet"), rex);
    assert_eq!(with_token.get_pet_by_id(7).await.expect("getPetById"), rex);
    assert_eq!(
        with_key
            .get_pet_by_id(7)
            .await
            .expect("getPetById by api_key"),
        rex
    );
    with_token.update_pet(&rex).await.expect("updatePet");
    with_token
        .find_pets_by_status(Some(PetStatus::Sold))
        .await
        .expect("findPetsByStatus");
    with_token
        .find_pets_by_tags(&["a", "b"])
        .await
        .expect("findPetsByTags");
    with_token
        .update_pet_with_form(7, Some("Max"), None)
        .await
        .expect("updatePetWithForm");
    with_token
        .delete_pet(7, Some("special-key"))
        .await
        .expect("deletePet");
    let uploaded = with_token
        .upload_file(7, Some("front"), Bytes::from(vec![0x89, b'P', b'N', b'G']))
        .await
        .expect("uploadFile");
    assert!(uploaded.code.is_some());

    let inventory = with_key.get_inventory().await.expect("getInventory");
    assert!(!inventory.is_empty());
    let order = Order {
        id: Some(1),
        pet_id: Some(7),
        quantity: Some(1),
        ..Order::default()
    };
    with_token.place_order(&order).await.expect("placeOrder");
    with_token.get_order_by_id(1).await.expect("getOrderById");
    with_token.delete_order(1).await.expect("deleteOrder");

    let ada = User {
        id: Some(1),
        username: Some("ada".into()),
        user_status: Some(2),
        ..User::default()
    };
    with_token.create_user(&ada).await.expect("createUser");
    with_token
        .create_users_with_list_input(std::slice::from_ref(&ada))
        .await
        .expect("createUsersWithListInput");
    let login = with_token
        .login_user("ada", "secret")
        .await
        .expect("loginUser");
    assert!(login.headers.contains_key("x-rate-limit"));
    assert!(login.headers.contains_key("x-expires-after"));
    with_token.logout_user().await.expect("logoutUser");
    with_token
        .get_user_by_name("ada")
        .await
        .expect("getUserByName");
    with_token
        .update_user("ada", &ada)
        .await
        .expect("updateUser (a form)");
    with_token.delete_user("ada").await.expect("deleteUser");

    // The api_key is not a petstore_auth credential, nor the other way round.
    let refused = with_key
        .find_pets_by_status(None)
        .await
        .expect_err("needs a bearer token");
    assert_eq!(refused.status().map(|status| status.as_u16()), Some(401));
    let refused = with_token
        .get_inventory()
        .await
        .expect_err("needs the api_key");
    assert_eq!(refused.status().map(|status| status.as_u16()), Some(401));

    let requests = fake.take_requests();
    let mut called: Vec<&str> = requests
        .iter()
        .filter(|request| request.status < 400)
        .filter_map(|request| request.operation_id.as_deref())
        .collect();
    called.sort_unstable();
    called.dedup();
    assert_eq!(called.len(), 19, "{called:?}");
    let upload = requests
        .iter()
        .find(|request| request.operation_id.as_deref() == Some("uploadFile"))
        .expect("recorded");
    assert_eq!(
        upload.header("content-type"),
        Some("application/octet-stream")
    );
    assert_eq!(upload.body.as_ref(), [0x89, b'P', b'N', b'G']);
    let delete = requests
        .iter()
        .find(|request| request.operation_id.as_deref() == Some("deletePet"))
        .expect("recorded");
    assert_eq!(delete.header("api_key"), Some("special-key"));
}

/// The fake serves the Petstore from its document alone (no Petstore code in it): every
/// operation answers with the document's examples or generated instances, which the
/// client's types read.
#[tokio::test]
async fn every_answer_the_fake_generates_reads_into_the_clients_types() {
    use askui_examples::petstore::{Order, Pet, PetStatus, User};

    let fake = FakeApi::new(spec()).start().await.expect("the fake starts");
    // JSON beside every XML answer: the only limits are the XML request bodies, which the
    // client does not send.
    assert!(
        fake.limits()
            .iter()
            .all(|limit| limit.kind == askui_openapi::fake::LimitKind::UnvalidatedBody),
        "{:?}",
        fake.limits()
    );
    let (client, with_key) =
        petstore::connect(&fake.base_url(), "an-oauth-token", "a-key").expect("clients");
    let pet = Pet {
        name: "doggie".into(),
        photo_urls: vec!["https://example.com/doggie.png".into()],
        status: Some(PetStatus::Available),
        ..Pet::default()
    };
    let user = User {
        username: Some("theUser".into()),
        email: Some("john@email.com".into()),
        ..User::default()
    };

    assert_eq!(client.add_pet(&pet).await.expect("addPet").name, "doggie");
    client.update_pet(&pet).await.expect("updatePet");
    client
        .find_pets_by_status(Some(PetStatus::Sold))
        .await
        .expect("findPetsByStatus");
    client
        .find_pets_by_tags(&["a", "b c"])
        .await
        .expect("findPetsByTags");
    client.get_pet_by_id(10).await.expect("getPetById (bearer)");
    with_key
        .get_pet_by_id(10)
        .await
        .expect("getPetById (api_key)");
    client
        .update_pet_with_form(10, Some("rex"), None)
        .await
        .expect("updatePetWithForm");
    client
        .delete_pet(10, Some("a-key"))
        .await
        .expect("deletePet");
    let image = Bytes::from(&b"\x89PNG\r\n\x1a\n not really"[..]);
    client
        .upload_file(10, Some("front"), image.clone())
        .await
        .expect("uploadFile");
    with_key.get_inventory().await.expect("getInventory");
    let order = Order {
        pet_id: Some(10),
        quantity: Some(1),
        ..Order::default()
    };
    client.place_order(&order).await.expect("placeOrder");
    client.get_order_by_id(10).await.expect("getOrderById");
    client.delete_order(10).await.expect("deleteOrder");
    client.create_user(&user).await.expect("createUser");
    client
        .create_users_with_list_input(std::slice::from_ref(&user))
        .await
        .expect("createUsersWithListInput");
    let login = client
        .login_user("theUser", "12345")
        .await
        .expect("loginUser");
    assert!(
        login.headers.contains_key("x-rate-limit"),
        "{:?}",
        login.headers
    );
    assert!(login.headers.contains_key("x-expires-after"));
    client.logout_user().await.expect("logoutUser");
    client
        .get_user_by_name("theUser")
        .await
        .expect("getUserByName");
    client
        .update_user("theUser", &user)
        .await
        .expect("updateUser");
    client.delete_user("theUser").await.expect("deleteUser");

    // What went over the wire, as the fake recorded it: every operation once (getPetById
    // twice), each answered 2xx.
    let requests = fake.requests();
    let mut operations: Vec<&str> = requests
        .iter()
        .filter_map(|request| request.operation_id.as_deref())
        .collect();
    operations.sort_unstable();
    operations.dedup();
    assert_eq!(operations.len(), 19, "{operations:?}");
    assert!(
        requests
            .iter()
            .all(|request| (200..300).contains(&request.status)),
        "{:?}",
        requests
            .iter()
            .map(|r| (r.operation_id.clone(), r.status))
            .collect::<Vec<_>>()
    );
    let find = |id: &str| {
        requests
            .iter()
            .find(|request| request.operation_id.as_deref() == Some(id))
            .expect("recorded")
    };
    let upload = find("uploadFile");
    assert_eq!(
        upload.header("content-type"),
        Some("application/octet-stream")
    );
    assert_eq!(upload.body[..], image[..]);
    assert_eq!(upload.query.as_deref(), Some("additionalMetadata=front"));
    let form = find("updateUser");
    assert_eq!(
        form.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        std::str::from_utf8(&form.body).expect("text"),
        "username=theUser&email=john%40email.com"
    );
    assert_eq!(
        find("findPetsByTags").query.as_deref(),
        Some("tags=a&tags=b+c")
    );
    assert_eq!(find("getInventory").header("api_key"), Some("a-key"));
    assert_eq!(
        find("addPet").header("authorization"),
        Some("Bearer an-oauth-token")
    );
}

/// A declaration that sends what the document forbids gets the fake's 4xx, which names the
/// parameter by the document's name; a call without credentials gets its 401.
#[tokio::test]
async fn the_fake_refuses_what_the_document_does_not_allow() {
    #[askui_endpoints]
    pub trait Loose {
        #[askui_endpoint(get, "/pet/{petId}")]
        async fn get_pet_by_name(&self, #[path("petId")] name: &str) -> Result<Value, Error>;
    }
    impl Loose for Client {}

    let fake = FakeApi::new(spec()).start().await.expect("the fake starts");
    let (client, _) = petstore::connect(&fake.base_url(), "a-token", "a-key").expect("clients");
    let error = client
        .get_pet_by_name("rex")
        .await
        .expect_err("petId is an integer");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(422), "{error}");
    let problems = error.validation().expect("FastAPI's shape");
    assert!(
        problems
            .detail
            .iter()
            .any(|problem| problem.loc.iter().any(|part| part.to_string() == "petId")),
        "{problems:?}"
    );

    let anonymous = Client::builder()
        .base_url(fake.base_url())
        .build()
        .expect("a client");
    let error = anonymous
        .get_inventory()
        .await
        .expect_err("no api_key sent");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401), "{error}");
}
