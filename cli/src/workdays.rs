//! `suicha workdays add|between`.

pub(crate) fn run(_args: &[String]) -> Result<(), String> {
    Err("suicha workdays: the calendar is not built yet".to_owned())
}
