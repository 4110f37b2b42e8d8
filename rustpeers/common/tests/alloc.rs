//! The counting allocator counts what the calling thread allocates, and only that.

use common::{allocated_bytes, CountingAlloc};

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

#[test]
fn counts_the_calling_threads_allocations() {
    let before = allocated_bytes();
    let v: Vec<u8> = Vec::with_capacity(1000);
    let z = vec![0u64; 100]; // alloc_zeroed
    let mut g: Vec<u8> = Vec::with_capacity(10);
    g.reserve_exact(4000); // realloc to 4000: counts the new size
    let after = allocated_bytes();
    assert!(
        after - before >= 1000 + 800 + 10 + 4000,
        "counted {}",
        after - before
    );
    drop((v, z, g));
    assert_eq!(allocated_bytes(), after, "freeing counts nothing");
}

#[test]
fn other_threads_are_not_counted() {
    let before = allocated_bytes();
    let n = std::thread::scope(|s| {
        s.spawn(|| {
            let t0 = allocated_bytes();
            let v: Vec<u8> = Vec::with_capacity(1 << 20);
            let n = allocated_bytes() - t0;
            drop(v);
            n
        })
        .join()
        .unwrap()
    });
    assert!(n >= 1 << 20, "the thread counted {n}");
    let here = allocated_bytes() - before;
    assert!(here < 1 << 20, "this thread counted the other's: {here}");
}
