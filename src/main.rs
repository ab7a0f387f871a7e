fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(peering_console::app::App);
    peering_console::browser::remove_boot_shell();
}
