//! The draw engine: a pure function of published inputs and a seed.
