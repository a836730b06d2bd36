//! The Petstore client (`askui_examples::petstore`) against the fake `askui_openapi` serves
//! from the Petstore document, with no Petstore-specific code in the fake: the handlers
//! here are the test's own state.

use askui_examples::petstore::{self, Pets, Store, Users};
use askui_openapi::Spec;
use askui_runtime::Bytes;
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
