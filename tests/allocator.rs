//! The `.wasm`'s global allocator (lol_alloc's free list, `src/lib.rs`), in
//! the browser: what is freed is reused (a long-lived page does not grow),
//! alignments hold, and blocks never overlap.
#![cfg(target_arch = "wasm32")]

use clerk_wasm as _; // links the crate, and with it its global allocator
use core::arch::wasm32::memory_size;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A 64-byte-aligned block.
#[repr(align(64))]
struct Aligned([u8; 64]);

/// One round of what the SDK does to the heap, and worse: strings grown by
/// `push` (reallocation), boxes of many sizes and alignments kept alive
/// across each other, freed in a scrambled order. Each block is filled with
/// its own byte and checked before it is freed, so an overlap shows.
fn churn(round: u32) {
    let mut kept: Vec<(u8, Vec<u8>)> = Vec::new();
    let mut aligned: Vec<Box<Aligned>> = Vec::new();
    for i in 0..400u32 {
        let size = ((i * 7919 + round * 31) % 3000) as usize + 1;
        let tag = (i % 251) as u8;
        kept.push((tag, vec![tag; size]));
        let mut s = String::new();
        for _ in 0..(i % 50) {
            s.push_str("clerk");
        }
        assert_eq!(s.len(), (i % 50) as usize * 5);
        if i % 5 == 0 {
            let b = Box::new(Aligned([tag; 64]));
            assert_eq!(&*b as *const Aligned as usize % 64, 0, "64-byte alignment");
            aligned.push(b);
        }
        if i % 3 == 0 {
            let j = (i as usize * 13) % kept.len();
            let (tag, block) = kept.swap_remove(j);
            assert!(block.iter().all(|&b| b == tag), "a block was overwritten");
        }
    }
    for (tag, block) in kept {
        assert!(block.iter().all(|&b| b == tag), "a block was overwritten");
    }
    for b in aligned {
        assert!(
            b.0.iter().all(|&x| x == b.0[0]),
            "an aligned block was overwritten"
        );
    }
}

#[wasm_bindgen_test]
fn freed_memory_is_reused() {
    churn(0);
    churn(1);
    let pages = memory_size(0);
    for round in 2..40 {
        churn(round);
    }
    assert_eq!(
        memory_size(0),
        pages,
        "the heap grew while the same work was repeated"
    );
}

#[wasm_bindgen_test]
fn large_blocks_come_and_go() {
    let first = memory_size(0);
    for round in 0..20u8 {
        // Larger than a wasm page (64 KiB): the allocator grows the memory,
        // then must take the freed block back whole.
        let big = vec![round; 1 << 20];
        assert!(big.iter().all(|&b| b == round));
    }
    assert!(
        memory_size(0) <= first + 2 * 16 + 1,
        "1 MiB blocks freed in turn take at most two blocks' room"
    );
}
