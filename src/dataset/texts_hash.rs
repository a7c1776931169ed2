//! A quick hash of the bundled CSV texts (64-bit words, multiply and
//! rotate), shared by the build script, which computes it for the files
//! compiled in, and the code that makes and checks the ready-made image.
//! No dependencies: `build.rs` includes this file as it is.

/// The hash of `texts`, in order.
pub fn texts_hash<'a>(texts: impl IntoIterator<Item = &'a [u8]>) -> u64 {
    let mut h: u64 = SEED;
    let mut mix = |w: u64| h = mixed(h, w);
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

const SEED: u64 = 0x243f_6a88_85a3_08d3;

fn mixed(h: u64, w: u64) -> u64 {
    (h.rotate_left(5) ^ w).wrapping_mul(0x517c_c1b7_2722_0a95)
}

/// [`texts_hash`] of one text of known length, given in pieces (the same
/// hash as of the pieces joined).
#[allow(dead_code)] // the library's, not the build script's
pub struct PieceHash {
    h: u64,
    word: [u8; 8],
    n: usize,
}

#[allow(dead_code)] // the library's, not the build script's
impl PieceHash {
    /// The hash of a text of `len` bytes, none given yet.
    pub fn new(len: usize) -> PieceHash {
        PieceHash { h: mixed(SEED, len as u64), word: [0; 8], n: 0 }
    }

    /// The next bytes of the text.
    pub fn update(&mut self, mut bytes: &[u8]) {
        if self.n > 0 {
            let take = (8 - self.n).min(bytes.len());
            self.word[self.n..self.n + take].copy_from_slice(&bytes[..take]);
            self.n += take;
            bytes = &bytes[take..];
            if self.n < 8 {
                return;
            }
            self.h = mixed(self.h, u64::from_le_bytes(self.word));
            self.n = 0;
        }
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            self.h = mixed(self.h, u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]));
        }
        let rest = words.remainder();
        self.word[..rest.len()].copy_from_slice(rest);
        self.n = rest.len();
    }

    /// The hash (the text's bytes all given).
    pub fn finish(&self) -> u64 {
        self.word[..self.n].iter().fold(self.h, |h, &b| mixed(h, u64::from(b)))
    }
}
