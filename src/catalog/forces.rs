//! The catalog's forces: all in memory when the catalog is built from
//! records, or read a chunk at a time from a data set's image, so opening
//! a store of 180 000 bodies reads none of them until a query needs one.

use super::model::ForceRecord;
use super::{Force, ForceId};
use crate::dataset::image::Image;
use std::fmt;
use std::sync::{Arc, OnceLock};

/// Forces per chunk of an image.
pub(crate) const CHUNK: usize = 256;

/// The forces, sorted by official name, indexed by [`ForceId`].
#[derive(Clone, Default)]
pub struct Forces {
    len: usize,
    chunks: Box<[OnceLock<Box<[Force]>>]>,
    /// Where unread chunks are: the image and its first force section.
    image: Option<(Arc<Image>, usize)>,
    /// The section of the official names alone (read whole, without the
    /// rest of the forces: a query that only names its forces reads no
    /// chunk), and the names once read: offsets, then the text.
    names: Option<usize>,
    name_text: OnceLock<(Vec<u32>, String)>,
}

impl fmt::Debug for Forces {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Forces {
    /// Forces already made (ids must be their places).
    pub(crate) fn from_vec(forces: Vec<Force>) -> Forces {
        let len = forces.len();
        let mut chunks = Vec::with_capacity(len.div_ceil(CHUNK));
        let mut it = forces.into_iter();
        loop {
            let chunk: Box<[Force]> = it.by_ref().take(CHUNK).collect();
            if chunk.is_empty() {
                break;
            }
            chunks.push(OnceLock::from(chunk));
        }
        Forces { len, chunks: chunks.into(), image: None, names: None, name_text: OnceLock::new() }
    }

    /// `len` forces in the image's sections `first`, `first + 1`… (each a
    /// postcard list of [`ForceRecord`]s of [`CHUNK`] forces, in id order).
    pub(crate) fn in_image(image: Arc<Image>, first: usize, names: usize, len: usize) -> Forces {
        let chunks = (0..len.div_ceil(CHUNK)).map(|_| OnceLock::new()).collect();
        Forces { len, chunks, image: Some((image, first)), names: Some(names), name_text: OnceLock::new() }
    }

    /// The names section of `names`: offsets, then the text.
    pub(crate) fn write_names<'a>(out: &mut Vec<u8>, names: impl Iterator<Item = &'a str> + Clone) {
        let mut at = 0u32;
        out.extend_from_slice(&at.to_le_bytes());
        for n in names.clone() {
            at = at.saturating_add(u32::try_from(n.len()).unwrap_or(u32::MAX));
            out.extend_from_slice(&at.to_le_bytes());
        }
        for n in names {
            out.extend_from_slice(n.as_bytes());
        }
    }

    /// Force `i`'s official name (reads only the names, not the forces).
    pub fn name(&self, i: usize) -> &str {
        let (Some((image, _)), Some(section)) = (&self.image, self.names) else { return &self[i].name };
        if let Some(chunk) = self.chunks.get(i / CHUNK).and_then(OnceLock::get) {
            return &chunk[i % CHUNK].name;
        }
        let (offsets, text) = self.name_text.get_or_init(|| {
            let bytes = image.need(section, "the forces' names");
            let head = (self.len + 1) * 4;
            let offsets = bytes.get(..head).and_then(crate::dataset::image::le::u32s);
            let text = bytes.get(head..).and_then(|t| std::str::from_utf8(t).ok());
            match (offsets, text) {
                (Some(o), Some(t))
                    if o.windows(2).all(|w| w[0] <= w[1])
                        && o.last().is_some_and(|&e| e as usize == t.len())
                        && o.iter().all(|&x| t.is_char_boundary(x as usize)) =>
                {
                    (o, t.to_owned())
                }
                _ => image.damaged("the forces' names do not read"),
            }
        });
        match (offsets.get(i), offsets.get(i + 1)) {
            (Some(&a), Some(&b)) => &text[a as usize..b as usize],
            _ => &self[i].name,
        }
    }

    /// The sections of an image holding `forces`, in id order.
    pub(crate) fn sections(forces: &[ForceRecord]) -> Vec<Vec<u8>> {
        forces.chunks(CHUNK).map(|c| postcard::to_stdvec(c).unwrap_or_default()).collect()
    }

    /// How many forces.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn chunk(&self, c: usize) -> &[Force] {
        self.chunks[c].get_or_init(|| {
            let Some((image, first)) = &self.image else { return Box::default() };
            let bytes = image.need(first + c, "a chunk of forces");
            let records: Vec<ForceRecord> = match postcard::from_bytes(&bytes) {
                Ok(r) => r,
                Err(e) => image.damaged(&format!("a chunk of forces: {e}")),
            };
            let want = CHUNK.min(self.len - c * CHUNK);
            if records.len() != want {
                image.damaged(&format!("a chunk of forces holds {} where {want} belong", records.len()));
            }
            records
                .into_iter()
                .enumerate()
                .map(|(k, r)| Force::from_record(ForceId((c * CHUNK + k) as u32), r))
                .collect()
        })
    }

    /// The force with id `i`, if there is one.
    pub fn get(&self, i: usize) -> Option<&Force> {
        (i < self.len).then(|| &self.chunk(i / CHUNK)[i % CHUNK])
    }

    /// Every force, in id (name) order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &Force> + '_ {
        (0..self.chunks.len()).flat_map(|c| self.chunk(c).iter())
    }
}

impl std::ops::Index<usize> for Forces {
    type Output = Force;

    fn index(&self, i: usize) -> &Force {
        match self.get(i) {
            Some(f) => f,
            None => panic!("force {i} of {}", self.len),
        }
    }
}

impl<'a> IntoIterator for &'a Forces {
    type Item = &'a Force;
    type IntoIter = Box<dyn DoubleEndedIterator<Item = &'a Force> + 'a>;

    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}
