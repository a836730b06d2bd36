//! The README's code that is also a compiled example stays identical to it.

#[test]
fn the_first_five_minutes_block_is_the_compiled_example() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let readme = std::fs::read_to_string(format!("{root}/README.md")).unwrap();
    let example =
        std::fs::read_to_string(format!("{root}/workspaces/examples/first_five_minutes.rs"))
            .unwrap();
    let section = readme
        .split("### Your first five minutes with the AskUI client")
        .nth(1)
        .expect("the README's first-five-minutes section");
    let block = section
        .split("```rust\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("its Rust block");
    assert_eq!(block, example, "README block and example differ");
}

#[test]
fn the_unit_test_recipe_block_is_the_test_file() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let readme = std::fs::read_to_string(format!("{root}/README.md")).unwrap();
    let recipe = include_str!("unit_test_recipe.rs");
    let section = readme
        .split("## Unit tests without a server")
        .nth(1)
        .expect("the README's unit-test section");
    let block = section
        .split("```rust\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("its Rust block");
    assert_eq!(
        block, recipe,
        "README block and tests/tests/unit_test_recipe.rs differ"
    );
}
