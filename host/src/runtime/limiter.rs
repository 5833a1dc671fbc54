use wasmtime::ResourceLimiter;

/// Most table elements a plugin may have; tables only hold function
/// references in plugins built from Rust, so this is generous.
const MAX_TABLE_ELEMENTS: usize = 100_000;

/// Caps a store's memory and tables and remembers the growth it refused, so
/// that the trap that follows can be reported as "memory limit" with the
/// limit and the size that was asked for.
pub struct Limiter {
    pub max_memory_bytes: usize,
    pub denied_memory: Option<usize>,
    pub denied_table: Option<usize>,
}

impl Limiter {
    pub fn new(max_memory_bytes: usize) -> Self {
        Self {
            max_memory_bytes,
            denied_memory: None,
            denied_table: None,
        }
    }
}

impl ResourceLimiter for Limiter {
    fn memory_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        if desired > self.max_memory_bytes {
            self.denied_memory = Some(desired);
            return Ok(false);
        }
        Ok(true)
    }

    fn table_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        if desired > MAX_TABLE_ELEMENTS {
            self.denied_table = Some(desired);
            return Ok(false);
        }
        Ok(true)
    }

    fn instances(&self) -> usize {
        16
    }

    fn memories(&self) -> usize {
        4
    }

    fn tables(&self) -> usize {
        16
    }
}
