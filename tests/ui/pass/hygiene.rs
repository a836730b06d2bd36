#![no_implicit_prelude]
#![allow(dead_code, non_camel_case_types)]

mod shadowing {
    // Every name the expansion could reach for, shadowed.
    struct Result;
    struct Error;
    struct Client;
    struct Option;
    struct Some;
    struct None;
    struct Ok;
    struct Err;
    struct Send;
    struct Sync;
    struct Sized;
    struct Future;
    struct From;
    struct Into;
    struct AsRef;
    struct Box;
    struct String;
    struct Vec;
    struct Endpoint;
    struct Request;
    struct Method;
    struct request;
    struct response;
    mod core {}
    mod std {}
    mod askui_runtime {}
    mod serde {}
    mod http {}

    pub trait Api {
        #[::askui_runtime::askui_endpoint(post, "/workspaces/<workspace_id>/items")]
        async fn create(
            &self,
            workspace_id: ::uuid::Uuid,
            body: &::serde_json::Value,
        ) -> ::core::result::Result<::serde_json::Value, ::askui_runtime::Error>;

        #[::askui_runtime::askui_endpoint(get, "/items/{id}")]
        async fn get(&self, id: u64) -> ::core::result::Result<(), ::askui_runtime::Error>;
    }

    impl Api for ::askui_runtime::Client {}
}

fn main() {}
