//! Reading a byte layout front to back, bounded: each read past the end is
//! the caller's own "damaged" error, never a panic. Shared by the file
//! formats that are laid out by hand (the vault header, sync files).

pub struct Reader<'a, E: Clone> {
    bytes: &'a [u8],
    pos: usize,
    short: E,
}

impl<'a, E: Clone> Reader<'a, E> {
    /// Reads `bytes`; a read past the end answers `short`.
    pub fn new(bytes: &'a [u8], short: E) -> Self {
        Self { bytes, pos: 0, short }
    }

    /// How many bytes have been read.
    pub fn pos(&self) -> usize {
        self.pos
    }

    pub fn take(&mut self, n: usize) -> Result<&'a [u8], E> {
        let end = self.pos.checked_add(n).ok_or_else(|| self.short.clone())?;
        let slice = self.bytes.get(self.pos..end).ok_or_else(|| self.short.clone())?;
        self.pos = end;
        Ok(slice)
    }

    pub fn array<const N: usize>(&mut self) -> Result<[u8; N], E> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::Reader;

    #[test]
    fn reads_in_order_and_names_a_short_read() {
        let mut r = Reader::new(&[1, 2, 3], "short");
        assert_eq!(r.array::<2>(), Ok([1, 2]));
        assert_eq!(r.pos(), 2);
        assert_eq!(r.take(2), Err("short"));
        assert_eq!(r.take(usize::MAX), Err("short"));
        assert_eq!(r.take(1), Ok(&[3][..]));
    }
}
