fn main() {
    console_error_panic_hook::set_once();
    // Framed by another site: never mount (no token use, no clicks to hijack).
    if peering_console::browser::framed_by_other_origin() {
        peering_console::browser::show_boot_message(
            "The Consul Peering Console does not run inside another site's page. Open it in its own tab.",
        );
        return;
    }
    leptos::mount::mount_to_body(peering_console::app::App);
    peering_console::browser::remove_boot_shell();
}
