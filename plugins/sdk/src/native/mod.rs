//! Typed readers for native evidence kinds: evidence exactly as the
//! producing tool exports it, read into models that keep every value's
//! [`Node`](crate::evidence::Node) (file and pointer). Readers never judge;
//! the derived facts they compute are named and shared by every plugin.

pub mod k8s;
