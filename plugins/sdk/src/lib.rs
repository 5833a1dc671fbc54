//! tmp
extern crate self as assay_plugin_sdk;
/// bindings
#[allow(missing_docs)]
pub mod bindings {
    wit_bindgen::generate!({
        path: "../../wit",
        world: "plugin",
        pub_export_macro: true,
        export_macro_name: "export_plugin",
        default_bindings_module: "assay_plugin_sdk::bindings",
        debug: true,
    });
}
