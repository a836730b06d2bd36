use askui_runtime::askui_endpoints;

#[askui_endpoints]
pub struct Api;

fn main() {}
