//! The route table: every API route, its method, and the one action it performs. Dispatch
//! enforces the action's row of `shared::authz`; a route cannot exist without one.

use shared::authz::Action;
use worker::Method;

use crate::ctx::Route;
use crate::handlers::{
    accounts, audit, directory, directory_import, draws, inspections, plans, portal, public,
    session, stats,
};

macro_rules! route {
    ($method:ident $path:literal, $action:ident => $handler:path) => {
        Route {
            method: Method::$method,
            path: $path,
            action: Action::$action,
            handler: |ctx| Box::pin($handler(ctx)),
        }
    };
}

pub(crate) static ROUTES: &[Route] = &[
    route!(Get "/api/health", ReadPublic => public::health),
    route!(Get "/api/meta/routes", ReadPublic => public::list_routes),
    route!(Get "/api/checklist", ReadPublic => public::list_checklist),
    route!(Get "/api/session", ReadSession => session::current),
    route!(Post "/api/session", SignIn => session::sign_in),
    route!(Delete "/api/session", ManageOwnAccount => session::sign_out),
    route!(Post "/api/session/password", ManageOwnAccount => session::change_password),
    route!(Get "/api/accounts", ManageAccounts => accounts::list),
    route!(Post "/api/accounts", ManageAccounts => accounts::create),
    route!(Put "/api/accounts/:id", ManageAccounts => accounts::update),
    route!(Post "/api/accounts/:id/password", ManageAccounts => accounts::reset_password),
    route!(Get "/api/audit", ReadAuditLog => audit::list),
    route!(Get "/api/audit/verify", ReadAuditLog => audit::verify),
    route!(Get "/api/audit/export", ReadAuditLog => audit::export),
    route!(Get "/api/tasks", ReadDraws => draws::list_tasks),
    route!(Post "/api/tasks", ManageDraws => draws::create_task),
    route!(Get "/api/tasks/:id", ReadDraws => draws::get_task),
    route!(Put "/api/tasks/:id", ManageDraws => draws::update_task),
    route!(Get "/api/tasks/:id/input", ReadDraws => draws::preview_input),
    route!(Post "/api/tasks/:id/seal", ManageDraws => draws::seal_task),
    route!(Post "/api/tasks/:id/commit", ManageDraws => draws::commit_task),
    route!(Post "/api/draws/:id/void", ManageDraws => draws::void_draw),
    route!(Get "/api/public/draws", ReadPublic => draws::list_public_draws),
    route!(Get "/api/public/draws/:id", ReadPublic => draws::get_public_draw),
    route!(Get "/api/inspections", ReadInspections => inspections::list),
    route!(Post "/api/inspections", RecordResults => inspections::create_targeted),
    route!(Get "/api/inspections/:id", ReadInspections => inspections::get),
    route!(Put "/api/inspections/:id/record", RecordResults => inspections::put_record),
    route!(Post "/api/inspections/:id/publish", RecordResults => inspections::publish),
    route!(Get "/api/public/results", ReadPublic => portal::results_json),
    route!(Get "/public", ReadPublic => portal::index_page),
    route!(Get "/public/results", ReadPublic => portal::results_page),
    route!(Get "/public/draws", ReadPublic => portal::draws_page),
    route!(Get "/public/draws/:id", ReadPublic => portal::draw_page),
    route!(Get "/public/checklist", ReadPublic => portal::checklist_page),
    route!(Get "/public/plans", ReadPublic => portal::plans_page),
    route!(Get "/api/objects", ReadDirectories => directory::list_objects),
    route!(Get "/api/objects/:id", ReadDirectories => directory::get_object),
    route!(Put "/api/objects/:id", EditDirectories => directory::update_object),
    route!(Post "/api/objects/:id/status", EditDirectories => directory::change_object_status),
    route!(Put "/api/objects/:id/tags", EditDirectories => directory::set_tags),
    route!(Post "/api/objects/:id/conflicts", EditDirectories => directory::add_conflict),
    route!(Delete "/api/objects/:id/conflicts/:inspector_id", EditDirectories => directory::remove_conflict),
    route!(Get "/api/inspectors", ReadDirectories => directory::list_inspectors),
    route!(Get "/api/inspectors/:id", ReadDirectories => directory::get_inspector),
    route!(Put "/api/inspectors/:id", EditDirectories => directory::update_inspector),
    route!(Get "/api/directory/facets", ReadDirectories => directory::facets),
    route!(Post "/api/imports", EditDirectories => directory_import::create_import),
    route!(Get "/api/imports/:id", ReadDirectories => directory_import::get_import),
    route!(Post "/api/imports/:id/rows", EditDirectories => directory_import::upload_rows),
    route!(Get "/api/imports/:id/preview", ReadDirectories => directory_import::preview_import),
    route!(Post "/api/imports/:id/commit", EditDirectories => directory_import::commit_import),
    route!(Delete "/api/imports/:id", EditDirectories => directory_import::abandon_import),
    route!(Get "/api/column-mapping", ReadDirectories => directory_import::get_mapping),
    route!(Put "/api/column-mapping", EditDirectories => directory_import::put_mapping),
    route!(Get "/api/plans", ReadDraws => plans::list_plans),
    route!(Post "/api/plans", ManagePlans => plans::create_plan),
    route!(Get "/api/plans/:id", ReadDraws => plans::get_plan),
    route!(Put "/api/plans/:id", ManagePlans => plans::update_plan),
    route!(Post "/api/plans/:id/publish", ManagePlans => plans::publish_plan),
    route!(Get "/api/years/:year/progress", ReadDraws => plans::year_progress),
    route!(Get "/api/years/:year/quarters/:quarter", ReadDraws => plans::quarter_view),
    route!(Get "/api/public/plans", ReadPublic => plans::list_public_plans),
    route!(Get "/api/public/plans/:year", ReadPublic => plans::get_public_plan),
    route!(Get "/api/public/plans/:year/versions/:version", ReadPublic => plans::get_public_plan_version),
    route!(Get "/api/statistics", ReadStatistics => stats::statistics),
    route!(Get "/api/statistics/inspectors", ReadStatistics => stats::inspectors),
    route!(Get "/api/statistics/objects", ReadStatistics => stats::objects),
];
