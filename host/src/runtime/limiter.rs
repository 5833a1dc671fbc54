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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    //! Table growth cannot be provoked from a Rust plugin (Rust has no
    //! `table.grow`), so these drive the limiter with hand-written core
    //! modules in a store set up the way `Runtime` sets up every plugin's.

    use super::*;
    use wasmtime::{Engine, Instance, Module, Store};

    fn store(engine: &Engine) -> Store<Limiter> {
        let mut store = Store::new(engine, Limiter::new(64 << 20));
        store.limiter(|l| l);
        store
    }

    #[test]
    fn table_growth_spam_stops_at_the_cap_and_is_recorded() {
        let engine = Engine::default();
        // Grows the table 1,000 elements at a time until growth fails, and
        // returns the size it reached.
        let module = Module::new(
            &engine,
            wat::parse_str(
                r#"(module
                  (table $t 1 funcref)
                  (func (export "spam") (result i32)
                    (block $done
                      (loop $again
                        (br_if $done
                          (i32.eq (table.grow $t (ref.null func) (i32.const 1000))
                                  (i32.const -1)))
                        (br $again)))
                    (table.size $t)))"#,
            )
            .unwrap(),
        )
        .unwrap();
        let mut store = store(&engine);
        let instance = Instance::new(&mut store, &module, &[]).unwrap();
        let spam = instance
            .get_typed_func::<(), i32>(&mut store, "spam")
            .unwrap();
        let reached = spam.call(&mut store, ()).unwrap();
        assert!(
            (99_001..=100_000).contains(&reached),
            "table reached {reached} elements"
        );
        assert_eq!(store.data().denied_table, Some(reached as usize + 1000));
    }

    #[test]
    fn a_huge_initial_table_is_refused_at_instantiation() {
        let engine = Engine::default();
        let module = Module::new(
            &engine,
            wat::parse_str("(module (table 5000000 funcref))").unwrap(),
        )
        .unwrap();
        let mut store = store(&engine);
        assert!(Instance::new(&mut store, &module, &[]).is_err());
        assert_eq!(store.data().denied_table, Some(5_000_000));
    }

    #[test]
    fn memory_growth_spam_stops_at_the_cap() {
        let engine = Engine::default();
        let module = Module::new(
            &engine,
            wat::parse_str(
                r#"(module
                  (memory 1)
                  (func (export "spam") (result i32)
                    (block $done
                      (loop $again
                        (br_if $done (i32.eq (memory.grow (i32.const 16)) (i32.const -1)))
                        (br $again)))
                    (memory.size)))"#,
            )
            .unwrap(),
        )
        .unwrap();
        let mut store = store(&engine);
        let instance = Instance::new(&mut store, &module, &[]).unwrap();
        let spam = instance
            .get_typed_func::<(), i32>(&mut store, "spam")
            .unwrap();
        let pages = spam.call(&mut store, ()).unwrap();
        assert!(pages as usize * 65536 <= 64 << 20, "grew to {pages} pages");
        assert!(store.data().denied_memory.is_some());
    }
}
