//! `suicha draw` and `suicha verify`.

pub(crate) fn run_draw(_args: &[String]) -> Result<(), String> {
    Err("suicha draw: the draw engine is not built yet".to_owned())
}

pub(crate) fn run_verify(_args: &[String]) -> Result<(), String> {
    Err("suicha verify: the draw engine is not built yet".to_owned())
}
