//! The data set's image: its columns and indexes as numbered sections of
//! bytes, in one buffer or one file, each read only when first needed.
//!
//! The same image is the bundled data compiled into the binary
//! (`assets/bundled.bin`), what [`super::Dataset::build`] makes in memory,
//! and the snapshot a store writes beside sled at each commit
//! (`snapshot.pqs`), which readers open without taking sled's lock. A
//! query touches only the sections it needs: question 1 of the benchmark
//! reads the catalog, one theme's partitions and the few grade chunks its
//! answer is in, whatever the size of the data set.
//!
//! ```text
//! header (48 bytes): "PQSNAP01"  u32 version  u32 sections  u64 generation
//!                    u64 fingerprint  u64 directory hash  u64 file length
//! directory: sections × (u64 offset, u32 length, u32 hash)
//! sections
//! ```
//!
//! Sections follow the directory in any order, and one may lie inside
//! another: a chunk of texts is a range of the grade columns' section, so
//! each text is stored once (it has a hash of its own all the same).
//!
//! All numbers little-endian. Each section's 32-bit hash is checked when
//! the section is read; the directory's when the image is opened. A
//! section that fails its check stops the query with
//! `peelql::store::corrupt` (see [`Damaged`]) and never gives an answer.

use super::texts_hash;
use std::borrow::Cow;
use std::fmt;
use std::fs::File;
use std::path::{Path, PathBuf};

/// The first bytes of an image.
pub(crate) const MAGIC: &[u8; 8] = b"PQSNAP01";

/// The layout this build writes. Layout 2: the text chunks are ranges of
/// the grade columns' strings rather than copies of them (layout 1 held
/// each source page twice, its text chunks postcard lists). Both are read;
/// any other is rebuilt (a store's snapshot from sled, the bundled image
/// from the CSV files).
pub(crate) const VERSION: u32 = 2;

/// The oldest layout this build reads.
const OLDEST: u32 = 1;

const HEADER: usize = 48;
const ENTRY: usize = 16;

/// Where an image's bytes are.
enum Bytes {
    /// Compiled into the binary.
    Static(&'static [u8]),
    /// Made in memory.
    Owned(Vec<u8>),
    /// A snapshot file, read a section at a time (the file stays open, so
    /// a snapshot renamed over it later does not change what this image
    /// reads).
    File(File, PathBuf),
}

/// An image: its directory, read when opened, and its sections, read on
/// demand.
pub(crate) struct Image {
    bytes: Bytes,
    /// The directory's entries (offset, length, hash).
    directory: Vec<u8>,
    sections: usize,
    /// Its layout ([`VERSION`], or an older one this build still reads).
    pub version: u32,
    /// The sled generation the image was made from (0: none).
    pub generation: u64,
    /// What the image says it was made from (the bundled data's hash for
    /// the bundled image).
    pub fingerprint: u64,
}

impl fmt::Debug for Image {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let place = match &self.bytes {
            Bytes::Static(_) => "compiled in".to_owned(),
            Bytes::Owned(b) => format!("{} bytes in memory", b.len()),
            Bytes::File(_, p) => p.display().to_string(),
        };
        f.debug_struct("Image").field("at", &place).field("sections", &self.sections).finish()
    }
}

/// A section that failed its check while a query read it. It travels as
/// a panic payload out of the data set's infallible accessors and is
/// turned into a `peelql::store::corrupt` error where a query is run
/// ([`crate::Engine`]); it is raised with `resume_unwind`, so nothing is
/// printed.
#[derive(Debug, Clone)]
pub struct Damaged {
    /// What was read, and why it is wrong.
    pub what: String,
    /// The snapshot file, when the image is one.
    pub path: Option<PathBuf>,
}

impl Image {
    /// An image made in memory, from its sections.
    #[cfg(test)]
    pub fn from_sections(sections: &[Vec<u8>], generation: u64, fingerprint: u64) -> Image {
        let bytes = encode(sections, generation, fingerprint);
        Image::parse(Bytes::Owned(bytes)).unwrap_or_else(|e| unreachable_image(&e))
    }

    /// The bytes of an image made from `sections` (what a snapshot file
    /// holds).
    #[cfg(test)]
    pub fn encode(sections: &[Vec<u8>], generation: u64, fingerprint: u64) -> Vec<u8> {
        encode(sections, generation, fingerprint)
    }

    /// An image compiled into the binary; `None` if it does not read.
    pub fn from_static(bytes: &'static [u8]) -> Option<Image> {
        Image::parse(Bytes::Static(bytes)).ok()
    }

    /// An image from bytes made in memory (by [`Image::encode`] or the
    /// data set's builder).
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Image, String> {
        Image::parse(Bytes::Owned(bytes))
    }

    /// Opens a snapshot file, reading only its header and directory.
    pub fn open(path: &Path) -> Result<Image, String> {
        let file = File::open(path).map_err(|e| crate::error::io_words(&e))?;
        Image::parse(Bytes::File(file, path.to_path_buf()))
    }

    /// The image's bytes as a whole (for writing it to a file); reads a
    /// snapshot file whole.
    pub fn to_bytes(&self) -> Result<Vec<u8>, String> {
        match &self.bytes {
            Bytes::Static(b) => Ok(b.to_vec()),
            Bytes::Owned(b) => Ok(b.clone()),
            Bytes::File(f, _) => {
                let len = f.metadata().map_err(|e| crate::error::io_words(&e))?.len();
                let mut out = vec![0; usize::try_from(len).map_err(|_| "too big")?];
                read_at(f, &mut out, 0).map_err(|e| crate::error::io_words(&e))?;
                Ok(out)
            }
        }
    }

    /// The image's bytes when they are in memory (none for a snapshot
    /// file, which is read a section at a time).
    pub fn in_memory(&self) -> Option<&[u8]> {
        match &self.bytes {
            Bytes::Static(b) => Some(b),
            Bytes::Owned(b) => Some(b),
            Bytes::File(..) => None,
        }
    }

    fn parse(bytes: Bytes) -> Result<Image, String> {
        let head = read_range(&bytes, 0, HEADER).map_err(|e| format!("its header cannot be read: {e}"))?;
        if &head[..8] != MAGIC {
            return Err("it does not start with the snapshot's magic word".into());
        }
        let u32_at = |at: usize| u32::from_le_bytes([head[at], head[at + 1], head[at + 2], head[at + 3]]);
        let u64_at = |at: usize| {
            let mut b = [0u8; 8];
            b.copy_from_slice(&head[at..at + 8]);
            u64::from_le_bytes(b)
        };
        let version = u32_at(8);
        if !(OLDEST..=VERSION).contains(&version) {
            return Err(format!("it has layout {version} (this build reads {OLDEST} to {VERSION})"));
        }
        let sections = u32_at(12) as usize;
        let (generation, fingerprint, hash, length) = (u64_at(16), u64_at(24), u64_at(32), u64_at(40));
        let actual = match &bytes {
            Bytes::Static(b) => b.len() as u64,
            Bytes::Owned(b) => b.len() as u64,
            Bytes::File(f, _) => f.metadata().map_err(|e| crate::error::io_words(&e))?.len(),
        };
        if actual != length {
            return Err(format!("it is {actual} bytes long where its header says {length}"));
        }
        let size = sections.checked_mul(ENTRY).ok_or("its directory is too big")?;
        let directory = read_range(&bytes, HEADER, size)
            .map_err(|e| format!("its directory cannot be read: {e}"))?
            .into_owned();
        if texts_hash([&directory[..]]) != hash {
            return Err("its directory does not match its hash".into());
        }
        let image = Image { bytes, directory, sections, version, generation, fingerprint };
        for i in 0..sections {
            let (offset, len, _) = image.entry(i);
            if offset.checked_add(len as u64).is_none_or(|end| end > length) {
                return Err(format!("section {i} lies outside the file"));
            }
        }
        Ok(image)
    }

    fn entry(&self, i: usize) -> (u64, u32, u32) {
        let e = &self.directory[i * ENTRY..i * ENTRY + ENTRY];
        let mut o = [0u8; 8];
        o.copy_from_slice(&e[..8]);
        (
            u64::from_le_bytes(o),
            u32::from_le_bytes([e[8], e[9], e[10], e[11]]),
            u32::from_le_bytes([e[12], e[13], e[14], e[15]]),
        )
    }

    /// How many sections the image has.
    pub fn len(&self) -> usize {
        self.sections
    }

    /// Section `i`, checked against its hash.
    pub fn section(&self, i: usize) -> Result<Cow<'_, [u8]>, String> {
        if i >= self.sections {
            return Err(format!("section {i} is missing (the image has {})", self.sections));
        }
        let (offset, len, hash) = self.entry(i);
        let bytes = read_range(&self.bytes, offset as usize, len as usize)
            .map_err(|e| format!("section {i} cannot be read: {e}"))?;
        if section_hash(&bytes) != hash {
            return Err(format!("section {i} does not match its hash"));
        }
        Ok(bytes)
    }

    /// Section `i`, or a [`Damaged`] unwind naming `what` it holds.
    pub fn need(&self, i: usize, what: &str) -> Cow<'_, [u8]> {
        self.section(i).unwrap_or_else(|e| self.damaged(&format!("{what}: {e}")))
    }

    /// Stops the query: `what` in this image is damaged.
    pub fn damaged(&self, what: &str) -> ! {
        let path = match &self.bytes {
            Bytes::File(_, p) => Some(p.clone()),
            _ => None,
        };
        std::panic::resume_unwind(Box::new(Damaged { what: what.to_owned(), path }))
    }
}

/// The bytes of the header `bytes` start with, naming `generation`
/// (what [`restamp`] makes of them), and the rest of `bytes`.
pub(crate) fn stamped_head(bytes: &[u8], generation: u64) -> (Vec<u8>, &[u8]) {
    let (head, rest) = bytes.split_at(bytes.len().min(HEADER));
    let mut head = head.to_vec();
    restamp(&mut head, generation);
    (head, rest)
}

/// Sets the generation an image's header names (it is not hashed).
pub(crate) fn restamp(bytes: &mut [u8], generation: u64) {
    if bytes.len() >= HEADER {
        bytes[16..24].copy_from_slice(&generation.to_le_bytes());
    }
}

#[cfg(test)]
fn unreachable_image(e: &str) -> ! {
    // an image just encoded always parses; reaching this is a bug
    panic!("an image made in memory does not read back: {e}")
}

fn section_hash(bytes: &[u8]) -> u32 {
    let h = texts_hash([bytes]);
    (h ^ (h >> 32)) as u32
}

impl Image {
    /// Bytes before the first section of an image of `sections` sections.
    pub fn head_size(sections: usize) -> usize {
        HEADER + sections * ENTRY
    }

    /// The hash a section's bytes are checked against.
    pub fn section_hash(bytes: &[u8]) -> u32 {
        section_hash(bytes)
    }

    /// Fills in the header and directory of an image whose sections
    /// (`entries`: offset, length, hash) follow [`Image::head_size`] bytes
    /// left for them at the start of `out`.
    pub fn write_head(out: &mut [u8], entries: &[(u64, u32, u32)], generation: u64, fingerprint: u64) {
        let len = out.len() as u64;
        Image::write_head_of(out, len, entries, generation, fingerprint);
    }

    /// A section hash from the 64-bit hash of its bytes.
    pub fn fold_hash(h: u64) -> u32 {
        (h ^ (h >> 32)) as u32
    }

    /// [`Image::write_head`] into `out`, just the header and directory,
    /// of an image `len` bytes long.
    pub fn write_head_of(
        out: &mut [u8],
        len: u64,
        entries: &[(u64, u32, u32)],
        generation: u64,
        fingerprint: u64,
    ) {
        let mut directory = Vec::with_capacity(entries.len() * ENTRY);
        for (offset, len, hash) in entries {
            directory.extend_from_slice(&offset.to_le_bytes());
            directory.extend_from_slice(&len.to_le_bytes());
            directory.extend_from_slice(&hash.to_le_bytes());
        }
        let mut head = Vec::with_capacity(HEADER);
        head.extend_from_slice(MAGIC);
        head.extend_from_slice(&VERSION.to_le_bytes());
        head.extend_from_slice(&(entries.len() as u32).to_le_bytes());
        head.extend_from_slice(&generation.to_le_bytes());
        head.extend_from_slice(&fingerprint.to_le_bytes());
        head.extend_from_slice(&texts_hash([&directory[..]]).to_le_bytes());
        head.extend_from_slice(&len.to_le_bytes());
        out[..HEADER].copy_from_slice(&head);
        out[HEADER..HEADER + directory.len()].copy_from_slice(&directory);
    }
}

#[cfg(test)]
fn encode(sections: &[Vec<u8>], generation: u64, fingerprint: u64) -> Vec<u8> {
    let total: usize = sections.iter().map(Vec::len).sum();
    let head = Image::head_size(sections.len());
    let mut out = vec![0u8; head];
    out.reserve(total);
    let mut entries = Vec::with_capacity(sections.len());
    for s in sections {
        // a section holds at most a chunk or one partition: far below 4 GiB
        entries.push((out.len() as u64, u32::try_from(s.len()).unwrap_or(u32::MAX), section_hash(s)));
        out.extend_from_slice(s);
    }
    Image::write_head(&mut out, &entries, generation, fingerprint);
    out
}

fn read_range(bytes: &Bytes, offset: usize, len: usize) -> Result<Cow<'_, [u8]>, String> {
    let slice = |b: &[u8]| -> Result<usize, String> {
        offset.checked_add(len).filter(|end| *end <= b.len()).ok_or_else(|| "it ends early".to_owned())
    };
    match bytes {
        Bytes::Static(b) => Ok(Cow::Borrowed(&b[offset..slice(b)?])),
        Bytes::Owned(b) => Ok(Cow::Borrowed(&b[offset..slice(b)?])),
        Bytes::File(f, _) => {
            let mut out = vec![0; len];
            read_at(f, &mut out, offset as u64).map_err(|e| crate::error::io_words(&e))?;
            Ok(Cow::Owned(out))
        }
    }
}

/// Reads `buf.len()` bytes of `f` at `offset`.
#[cfg(unix)]
pub(crate) fn read_at(f: &File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    use std::os::unix::fs::FileExt;
    f.read_exact_at(buf, offset)
}

/// Reads `buf.len()` bytes of `f` at `offset`.
#[cfg(windows)]
pub(crate) fn read_at(f: &File, mut buf: &mut [u8], mut offset: u64) -> std::io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buf.is_empty() {
        match f.seek_read(buf, offset) {
            Ok(0) => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            Ok(n) => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Little-endian arrays in sections.
pub(crate) mod le {
    /// `u32`s as bytes.
    pub fn put_u32s(out: &mut Vec<u8>, values: impl IntoIterator<Item = u32>) {
        for v in values {
            out.extend_from_slice(&v.to_le_bytes());
        }
    }

    /// `u16`s as bytes.
    pub fn put_u16s(out: &mut Vec<u8>, values: impl IntoIterator<Item = u16>) {
        for v in values {
            out.extend_from_slice(&v.to_le_bytes());
        }
    }

    /// The `u32`s of `bytes`; `None` unless its length is a multiple of 4.
    pub fn u32s(bytes: &[u8]) -> Option<Vec<u32>> {
        (bytes.len() % 4 == 0)
            .then(|| bytes.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect())
    }

    /// The `u16`s of `bytes`; `None` unless its length is even.
    pub fn u16s(bytes: &[u8]) -> Option<Vec<u16>> {
        (bytes.len() % 2 == 0)
            .then(|| bytes.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_round_trip_in_memory_and_in_a_file() {
        let sections = vec![b"one".to_vec(), Vec::new(), vec![7u8; 70_000]];
        let image = Image::from_sections(&sections, 9, 42);
        assert_eq!((image.len(), image.generation, image.fingerprint), (3, 9, 42));
        for (i, s) in sections.iter().enumerate() {
            assert_eq!(&*image.section(i).expect("section"), &s[..]);
        }
        assert!(image.section(3).is_err());
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("snap");
        std::fs::write(&path, image.to_bytes().expect("bytes")).expect("write");
        let file = Image::open(&path).expect("open");
        assert_eq!(&*file.section(2).expect("section"), &sections[2][..]);
    }

    #[test]
    fn damage_is_found() {
        let bytes = Image::encode(&[b"hello".to_vec(), b"world".to_vec()], 1, 2);
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("snap");
        // a flipped byte in a section: found when that section is read
        let mut flipped = bytes.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 1;
        std::fs::write(&path, &flipped).expect("write");
        let image = Image::open(&path).expect("the directory is intact");
        assert!(image.section(0).is_ok());
        assert_eq!(image.section(1).expect_err("damaged"), "section 1 does not match its hash");
        // a flipped byte in the directory, a short file, another magic word
        let mut dir_flip = bytes.clone();
        dir_flip[HEADER + 3] ^= 1;
        std::fs::write(&path, &dir_flip).expect("write");
        assert!(Image::open(&path).expect_err("directory").contains("directory"));
        std::fs::write(&path, &bytes[..bytes.len() - 1]).expect("write");
        assert!(Image::open(&path).expect_err("short").contains("bytes long"));
        std::fs::write(&path, b"PQSNAP99 and more bytes than a header needs, surely enough").expect("write");
        assert!(Image::open(&path).is_err());
    }
}
