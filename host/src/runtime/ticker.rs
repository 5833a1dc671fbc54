use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

/// How often the engine's epoch advances; the granularity of time limits.
pub const TICK: Duration = Duration::from_millis(5);

/// A background thread that advances the engine's epoch so that epoch
/// deadlines turn into wall-clock time limits. Stopped and joined on drop.
pub struct EpochTicker {
    stop: Arc<AtomicBool>,
    handle: Option<JoinHandle<()>>,
}

impl EpochTicker {
    pub fn start(engine: wasmtime::Engine) -> std::io::Result<Self> {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let handle = std::thread::Builder::new()
            .name("assay-epoch".into())
            .spawn(move || {
                while !flag.load(Ordering::Relaxed) {
                    std::thread::sleep(TICK);
                    engine.increment_epoch();
                }
            })?;
        Ok(Self {
            stop,
            handle: Some(handle),
        })
    }

    /// Epoch ticks that cover `timeout_ms`, rounded up, plus one because the
    /// current tick may be nearly over.
    pub fn ticks_for(timeout_ms: u64) -> u64 {
        let tick = TICK.as_millis().max(1) as u64;
        timeout_ms.div_ceil(tick) + 1
    }
}

impl Drop for EpochTicker {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(handle) = self.handle.take() {
            let _ = handle.join();
        }
    }
}
