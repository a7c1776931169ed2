//! A quick hash of the bundled CSV texts (64-bit words, multiply and
//! rotate), shared by the build script, which computes it for the files
//! compiled in, and the code that makes and checks the ready-made image.
//! No dependencies: `build.rs` includes this file as it is.

/// The hash of `texts`, in order.
pub fn texts_hash<'a>(texts: impl IntoIterator<Item = &'a [u8]>) -> u64 {
    let mut h: u64 = 0x243f_6a88_85a3_08d3;
    let mut mix = |w: u64| h = (h.rotate_left(5) ^ w).wrapping_mul(0x517c_c1b7_2722_0a95);
    for bytes in texts {
        mix(bytes.len() as u64);
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            mix(u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]));
        }
        for &b in words.remainder() {
            mix(u64::from(b));
        }
    }
    h
}
