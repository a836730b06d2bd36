use askui_runtime::askui_endpoints;

#[askui_endpoints(all)]
pub trait Api {}

fn main() {}
