//! Host bindings generated from `wit/plugin.wit`, the single source of truth
//! for the plugin contract.

#![allow(missing_docs)]

wasmtime::component::bindgen!({
    world: "plugin",
    path: "../wit",
});
