use askui_runtime::askui_endpoint;

#[askui_endpoint(get, "/x")]
pub struct Api {
    pub id: u64,
}

fn main() {
    let _ = Api { id: 1 };
}
