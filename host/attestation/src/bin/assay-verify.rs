//! Placeholder while the crate is split; replaced below.
fn main() {}
