//! Writes a Rego policy into the runtime's core module.
//!
//! The runtime (plugins/rego-runtime) imports two core functions from
//! `assay:rego-policy`: `len: () -> i32` and `read: (i32) -> ()`. This pass
//! removes both imports and defines them instead: `len` returns the
//! payload's length and `read` copies the payload, held in a new passive
//! data segment, to the address it is given (`memory.init`). Every function
//! index is renumbered, since imports precede definitions in the index space.
//!
//! The result imports nothing but what the component encoder turns into the
//! `plugin` world, so the finished component imports nothing at all, and its
//! sha256 covers the interpreter and the policy together.

use std::collections::HashMap;

use wasm_encoder::reencode::{utils, Error as ReencodeError, Reencode};
use wasm_encoder::{
    CodeSection, DataCountSection, DataSection, FunctionSection, ImportSection, Instruction,
    Module, SectionId,
};
use wasmparser::{Parser, Payload, TypeRef, ValType};

/// The import module the runtime reads its policy through.
pub const IMPORT_MODULE: &str = "assay:rego-policy";

/// Why a core module cannot take a policy.
#[derive(Debug, thiserror::Error)]
pub enum EmbedError {
    /// The module is not a Rego runtime.
    #[error(
        "the Rego runtime module does not import `{IMPORT_MODULE}` `{0}` with the expected type"
    )]
    MissingImport(&'static str),
    /// The payload does not fit a 32-bit memory.
    #[error("the Rego policy is {0} bytes; at most 4 GiB fits a wasm32 memory")]
    TooLarge(usize),
    /// The module could not be read or rewritten.
    #[error("cannot rewrite the Rego runtime module: {0}")]
    Rewrite(String),
}

/// Facts about the runtime module, read before rewriting it.
#[derive(Debug, Default)]
struct Layout {
    /// Function imports in order: (module, name, type index).
    function_imports: Vec<(String, String, u32)>,
    /// Function types by index: (params, results).
    types: Vec<(Vec<ValType>, Vec<ValType>)>,
    defined_functions: u32,
    data_segments: u32,
    has_data_count: bool,
    has_data: bool,
}

fn scan(core: &[u8]) -> Result<Layout, EmbedError> {
    let rewrite = |e: wasmparser::BinaryReaderError| EmbedError::Rewrite(e.to_string());
    let mut layout = Layout::default();
    for payload in Parser::new(0).parse_all(core) {
        match payload.map_err(rewrite)? {
            Payload::TypeSection(reader) => {
                for ty in reader.into_iter_err_on_gc_types() {
                    let ty = ty.map_err(rewrite)?;
                    layout
                        .types
                        .push((ty.params().to_vec(), ty.results().to_vec()));
                }
            }
            Payload::ImportSection(reader) => {
                for import in reader.into_imports() {
                    let import = import.map_err(rewrite)?;
                    if let TypeRef::Func(ty) = import.ty {
                        layout.function_imports.push((
                            import.module.to_owned(),
                            import.name.to_owned(),
                            ty,
                        ));
                    }
                }
            }
            Payload::FunctionSection(reader) => layout.defined_functions = reader.count(),
            Payload::DataCountSection { .. } => layout.has_data_count = true,
            Payload::DataSection(reader) => {
                layout.has_data = true;
                layout.data_segments = reader.count();
            }
            _ => {}
        }
    }
    Ok(layout)
}

/// The rewriting pass.
struct Embedder<'p> {
    /// Old function index → new function index.
    functions: HashMap<u32, u32>,
    /// The two new functions' type indices: `len`, `read`.
    len_type: u32,
    read_type: u32,
    payload: &'p [u8],
    /// The index of the new passive segment.
    segment: u32,
    has_data_count: bool,
    has_data: bool,
}

impl Reencode for Embedder<'_> {
    type Error = EmbedError;

    fn function_index(&mut self, func: u32) -> Result<u32, ReencodeError<EmbedError>> {
        self.functions
            .get(&func)
            .copied()
            .ok_or(ReencodeError::UserError(EmbedError::Rewrite(format!(
                "function index {func} out of range"
            ))))
    }

    fn parse_import_section(
        &mut self,
        imports: &mut ImportSection,
        section: wasmparser::ImportSectionReader<'_>,
    ) -> Result<(), ReencodeError<EmbedError>> {
        for import in section.into_imports() {
            let import = import?;
            if import.module == IMPORT_MODULE {
                continue;
            }
            let ty = self.entity_type(import.ty)?;
            imports.import(import.module, import.name, ty);
        }
        Ok(())
    }

    fn parse_function_section(
        &mut self,
        functions: &mut FunctionSection,
        section: wasmparser::FunctionSectionReader<'_>,
    ) -> Result<(), ReencodeError<EmbedError>> {
        utils::parse_function_section(self, functions, section)?;
        functions.function(self.len_type);
        functions.function(self.read_type);
        Ok(())
    }

    fn parse_code_section(
        &mut self,
        code: &mut CodeSection,
        section: wasmparser::CodeSectionReader<'_>,
    ) -> Result<(), ReencodeError<EmbedError>> {
        utils::parse_code_section(self, code, section)?;
        let len = self.len_i32()?;
        let mut len_fn = wasm_encoder::Function::new([]);
        len_fn.instruction(&Instruction::I32Const(len));
        len_fn.instruction(&Instruction::End);
        code.function(&len_fn);
        let mut read_fn = wasm_encoder::Function::new([]);
        read_fn.instruction(&Instruction::LocalGet(0));
        read_fn.instruction(&Instruction::I32Const(0));
        read_fn.instruction(&Instruction::I32Const(len));
        read_fn.instruction(&Instruction::MemoryInit {
            mem: 0,
            data_index: self.segment,
        });
        read_fn.instruction(&Instruction::End);
        code.function(&read_fn);
        Ok(())
    }

    fn data_count(&mut self, count: u32) -> Result<u32, ReencodeError<EmbedError>> {
        Ok(count + 1)
    }

    fn parse_data_section(
        &mut self,
        data: &mut DataSection,
        section: wasmparser::DataSectionReader<'_>,
    ) -> Result<(), ReencodeError<EmbedError>> {
        utils::parse_data_section(self, data, section)?;
        data.passive(self.payload.iter().copied());
        Ok(())
    }

    fn intersperse_section_hook(
        &mut self,
        module: &mut Module,
        after: Option<SectionId>,
        before: Option<SectionId>,
    ) -> Result<(), ReencodeError<EmbedError>> {
        // `memory.init` needs a data count section, which sits just before
        // the code section; a module without data segments gets the new one
        // in a data section right after the code.
        if !self.has_data_count && before == Some(SectionId::Code) {
            module.section(&DataCountSection {
                count: self.segment + 1,
            });
        }
        if !self.has_data && after == Some(SectionId::Code) {
            let mut data = DataSection::new();
            data.passive(self.payload.iter().copied());
            module.section(&data);
        }
        Ok(())
    }
}

impl Embedder<'_> {
    fn len_i32(&self) -> Result<i32, ReencodeError<EmbedError>> {
        i32::try_from(self.payload.len())
            .map_err(|_| ReencodeError::UserError(EmbedError::TooLarge(self.payload.len())))
    }
}

/// `core` with `payload` written in; see the module documentation.
pub fn embed(core: &[u8], payload: &[u8]) -> Result<Vec<u8>, EmbedError> {
    if i32::try_from(payload.len()).is_err() {
        return Err(EmbedError::TooLarge(payload.len()));
    }
    let layout = scan(core)?;
    let find = |name: &'static str, params: &[ValType], results: &[ValType]| {
        layout
            .function_imports
            .iter()
            .position(|(m, n, _)| m == IMPORT_MODULE && n == name)
            .and_then(|index| {
                let ty = layout.function_imports.get(index)?.2;
                let (p, r) = layout.types.get(ty as usize)?;
                (p.as_slice() == params && r.as_slice() == results).then_some((index as u32, ty))
            })
            .ok_or(EmbedError::MissingImport(name))
    };
    let (len_import, len_type) = find("len", &[], &[ValType::I32])?;
    let (read_import, read_type) = find("read", &[ValType::I32], &[])?;
    let other_imports = layout
        .function_imports
        .iter()
        .filter(|(m, _, _)| m == IMPORT_MODULE)
        .count();
    if other_imports != 2 {
        return Err(EmbedError::Rewrite(format!(
            "expected exactly two `{IMPORT_MODULE}` imports, found {other_imports}"
        )));
    }

    let imported = layout.function_imports.len() as u32;
    let mut functions = HashMap::new();
    let mut next = 0u32;
    for old in 0..imported {
        if old != len_import && old != read_import {
            functions.insert(old, next);
            next += 1;
        }
    }
    for old in imported..imported + layout.defined_functions {
        functions.insert(old, next);
        next += 1;
    }
    functions.insert(len_import, next);
    functions.insert(read_import, next + 1);

    let mut embedder = Embedder {
        functions,
        len_type,
        read_type,
        payload,
        segment: layout.data_segments,
        has_data_count: layout.has_data_count,
        has_data: layout.has_data,
    };
    let mut module = Module::new();
    embedder
        .parse_core_module(&mut module, Parser::new(0), core)
        .map_err(|e| match e {
            ReencodeError::UserError(e) => e,
            other => EmbedError::Rewrite(other.to_string()),
        })?;
    let bytes = module.finish();
    wasmparser::Validator::new()
        .validate_all(&bytes)
        .map_err(|e| EmbedError::Rewrite(format!("the rewritten module is invalid: {e}")))?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stand-in runtime: imports the two functions plus an unrelated one,
    /// calls them through a table and directly, and exports the result.
    const RUNTIME: &str = r#"
        (module
          (type $len (func (result i32)))
          (type $read (func (param i32)))
          (import "env" "other" (func $other (result i32)))
          (import "assay:rego-policy" "len" (func $len (type $len)))
          (import "assay:rego-policy" "read" (func $read (type $read)))
          (memory (export "memory") 1)
          (table 2 funcref)
          (elem (i32.const 0) func $len $helper)
          (data (i32.const 0) "xx")
          (func $helper (result i32) (call $other))
          (func (export "first_byte") (result i32)
            (call $read (i32.const 100))
            (i32.load8_u (i32.const 100)))
          (func (export "length") (result i32) (call $len))
          (func (export "via_table") (result i32) (call_indirect (type $len) (i32.const 0))))
    "#;

    #[test]
    fn imports_become_definitions_and_indices_follow() {
        let core = wat::parse_str(RUNTIME).unwrap();
        let out = embed(&core, b"{\"hello\": 1}").unwrap();
        let layout = scan(&out).unwrap();
        assert_eq!(layout.function_imports.len(), 1, "only `env.other` is left");
        assert_eq!(layout.function_imports[0].1, "other");
        assert_eq!(layout.defined_functions, 4 + 2);
        assert_eq!(layout.data_segments, 2);
        assert!(layout.has_data_count);
    }

    #[test]
    fn the_rewritten_module_runs_and_reads_the_payload() {
        let core = wat::parse_str(RUNTIME).unwrap();
        let payload = b"{\"hello\": 1}";
        let out = embed(&core, payload).unwrap();
        let engine = wasmtime::Engine::default();
        let module = wasmtime::Module::new(&engine, &out).unwrap();
        let mut store = wasmtime::Store::new(&engine, ());
        let other = wasmtime::Func::wrap(&mut store, || 7i32);
        let instance = wasmtime::Instance::new(&mut store, &module, &[other.into()]).unwrap();
        let call = |store: &mut wasmtime::Store<()>, name: &str| {
            instance
                .get_typed_func::<(), i32>(&mut *store, name)
                .unwrap()
                .call(&mut *store, ())
                .unwrap()
        };
        assert_eq!(call(&mut store, "length"), payload.len() as i32);
        assert_eq!(call(&mut store, "first_byte"), i32::from(b'{'));
        // The element segment still points at the (renumbered) `len`.
        assert_eq!(call(&mut store, "via_table"), payload.len() as i32);
    }

    #[test]
    fn module_without_data_gets_a_data_section() {
        let core = wat::parse_str(
            r#"(module
                 (import "assay:rego-policy" "len" (func $len (result i32)))
                 (import "assay:rego-policy" "read" (func $read (param i32)))
                 (memory 1)
                 (func (export "f") (result i32) (call $read (i32.const 0)) (call $len)))"#,
        )
        .unwrap();
        let out = embed(&core, b"abc").unwrap();
        let layout = scan(&out).unwrap();
        assert!(layout.function_imports.is_empty());
        assert_eq!(layout.data_segments, 1);
    }

    #[test]
    fn a_module_without_the_imports_is_refused() {
        let core = wat::parse_str("(module (memory 1))").unwrap();
        assert!(matches!(
            embed(&core, b"x"),
            Err(EmbedError::MissingImport("len"))
        ));
        let wrong_type = wat::parse_str(
            r#"(module
                 (import "assay:rego-policy" "len" (func (result i64)))
                 (import "assay:rego-policy" "read" (func (param i32))))"#,
        )
        .unwrap();
        assert!(matches!(
            embed(&wrong_type, b"x"),
            Err(EmbedError::MissingImport("len"))
        ));
    }
}
