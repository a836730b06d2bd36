use askui_runtime::{Error, askui_endpoint};

#[askui_endpoint(get, "/x")]
async fn f() -> Result<(), Error> {
    Ok(())
}

fn main() {
    let _ = f();
}
