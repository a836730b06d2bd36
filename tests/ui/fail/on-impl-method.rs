use askui_runtime::{Error, askui_endpoint};

pub struct App;

impl App {
    #[askui_endpoint(get, "/x")]
    pub async fn f(&self) -> Result<(), Error> {
        Ok(())
    }
}

fn main() {
    let _ = App.f();
}
