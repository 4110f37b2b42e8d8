//! A counting global allocator (PROTOCOL.md, `alloc_bytes`): peers that report allocations
//! declare it as their `#[global_allocator]`; the others keep the system allocator and pay
//! nothing.
//!
//! The count is per thread: a plain add to a thread-local integer, no atomic read-modify-write.
//! A shared `AtomicU64::fetch_add` costs a `lock add` on every allocation, work Go's own
//! counter (`/gc/heap/allocs:bytes`, per-P caches flushed in bulk) does not do. The peers that
//! count (json) allocate on their main thread only; what the hiccup meter's thread allocates is
//! not the workload's and is not counted.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

thread_local! {
    // Const-initialised and without a destructor: reading it never allocates and never fails.
    static ALLOCATED: Cell<u64> = const { Cell::new(0) };
}

/// Adds `bytes` to the calling thread's count (wrapping, as a u64 counter of a very long run).
#[inline]
fn count(bytes: usize) {
    ALLOCATED.with(|c| c.set(c.get().wrapping_add(bytes as u64)));
}

/// The system allocator, counting the bytes it hands out to each thread. A `realloc` counts
/// its new size, as a grown Go slice counts its new backing array.
pub struct CountingAlloc;

// SAFETY: every call is forwarded unchanged to the system allocator; only a counter is added.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        // SAFETY: the caller's contract is System's contract.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        // SAFETY: as above.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count(new_size);
        // SAFETY: as above.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

/// Bytes the calling thread has allocated so far through a `CountingAlloc` (0 when the binary
/// does not use it); the difference of two readings on one thread is what that thread
/// allocated between them.
pub fn allocated_bytes() -> u64 {
    ALLOCATED.with(Cell::get)
}
