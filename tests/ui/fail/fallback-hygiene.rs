#![no_implicit_prelude]

mod shadowing {
    #![allow(dead_code)]
    struct Result;
    struct Sized;
    mod core {}
    mod std {}

    pub trait Api {
        #[::askui_runtime::askui_endpoint(get, "/x/<id>")]
        async fn f(self, id: u64) -> ::core::result::Result<(), ::askui_runtime::Error>;
    }

    impl Api for ::askui_runtime::Client {}
}

fn main() {}
