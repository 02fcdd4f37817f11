//! What WebDriver cannot reach, done natively on a test's own X display:
//! native dialogs (GTK's file chooser and message boxes, opened by Rust) are
//! answered the way a person does, with keys sent through `xdotool`, and the
//! system clipboard is read and filled through `xclip`. Keyboard focus and
//! the clipboard belong to the X server, so each test gets a private display.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// An Xvfb display of its own, ended when dropped.
pub struct PrivateDisplay {
    server: Child,
    name: String,
}

impl PrivateDisplay {
    pub fn start() -> PrivateDisplay {
        // Xvfb picks a free display number and writes it to fd 1.
        let mut server = Command::new("Xvfb")
            .args(["-displayfd", "1", "-screen", "0", "1280x900x24", "-nolisten", "tcp"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb runs (installed by `make test`)");
        let mut line = String::new();
        BufReader::new(server.stdout.take().expect("stdout")).read_line(&mut line).expect("display number");
        let number: u32 = line.trim().parse().expect("Xvfb printed its display number");
        PrivateDisplay { server, name: format!(":{number}") }
    }

    /// The display's name, for `DISPLAY`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// `env` with DISPLAY pointing here.
    pub fn env(&self, env: Vec<(&'static str, String)>) -> Vec<(&'static str, String)> {
        let mut env: Vec<_> = env.into_iter().filter(|(k, _)| *k != "DISPLAY").collect();
        env.push(("DISPLAY", self.name.clone()));
        env
    }

    fn xdotool(&self, args: &[&str]) -> String {
        // `timeout`: a search for a dialog that never opens fails the test
        // instead of hanging it.
        let out = Command::new("timeout")
            .arg("20")
            .arg("xdotool")
            .args(args)
            .env("DISPLAY", &self.name)
            .output()
            .expect("xdotool runs (installed by `make test`)");
        assert!(out.status.success(), "xdotool {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Waits for the window titled `title` and gives it the keyboard, unless
    /// it has it already. With no window manager the keyboard may follow the
    /// pointer (the X server's PointerRoot focus); focusing the window under
    /// the pointer then sends it a focus-out first, which its page sees as a
    /// blur (and quick search is put away, as leaving it should).
    pub fn focus(&self, title: &str) -> String {
        let id = self.wait_titled(title);
        if !self.has_keyboard(&id) {
            self.xdotool(&["windowfocus", "--sync", &id]);
        }
        id
    }

    /// Whether keys typed now reach the window `id`.
    fn has_keyboard(&self, id: &str) -> bool {
        let run = |args: &[&str]| Command::new("xdotool").args(args).env("DISPLAY", &self.name).output();
        match run(&["getwindowfocus"]) {
            Ok(out) if out.status.success() => String::from_utf8_lossy(&out.stdout).trim() == id,
            // No focused window: the keyboard goes to the window under the pointer.
            _ => run(&["getmouselocation", "--shell"]).is_ok_and(|out| {
                String::from_utf8_lossy(&out.stdout).lines().any(|l| l.strip_prefix("WINDOW=") == Some(id))
            }),
        }
    }

    /// Whether a visible window with this exact title exists now.
    pub fn has_window(&self, title: &str) -> bool {
        !self.titled(title).is_empty()
    }

    /// The visible windows titled exactly `title`, case included, as
    /// xdotool's window ids. Read with x11rb from each window's
    /// `_NET_WM_NAME` (UTF-8): xdotool reads titles through the C library's
    /// locale and finds no window whose title is in Japanese.
    fn titled(&self, title: &str) -> Vec<String> {
        self.windows().into_iter().filter(|w| w.title == title).map(|w| w.id.to_string()).collect()
    }

    /// The windows on screen (mapped children of the root: there is no
    /// window manager), with their titles and where they are.
    fn windows(&self) -> Vec<Window> {
        use x11rb::connection::Connection;
        use x11rb::protocol::xproto::{AtomEnum, ConnectionExt, MapState};
        let Ok((x, screen)) = x11rb::connect(Some(&self.name)) else { return Vec::new() };
        let root = x.setup().roots[screen].root;
        let atom = |name: &str| x.intern_atom(false, name.as_bytes()).ok()?.reply().ok().map(|r| r.atom);
        let (Some(net_wm_name), Some(utf8)) = (atom("_NET_WM_NAME"), atom("UTF8_STRING")) else {
            return Vec::new();
        };
        let Some(tree) = x.query_tree(root).ok().and_then(|c| c.reply().ok()) else { return Vec::new() };
        tree.children
            .into_iter()
            .filter_map(|id| {
                let shown = x.get_window_attributes(id).ok()?.reply().ok()?.map_state == MapState::VIEWABLE;
                let name = |property, kind| {
                    let reply = x.get_property(false, id, property, kind, 0, 1024).ok()?.reply().ok()?;
                    (!reply.value.is_empty()).then(|| String::from_utf8_lossy(&reply.value).into_owned())
                };
                let title = name(net_wm_name, utf8)
                    .or_else(|| name(AtomEnum::WM_NAME.into(), AtomEnum::STRING.into()))?;
                let g = x.get_geometry(id).ok()?.reply().ok()?;
                shown.then_some(Window { id, title, width: g.width, height: g.height, x: g.x, y: g.y })
            })
            .collect()
    }

    /// Waits (20 s at most) for a visible window titled exactly `title`.
    fn wait_titled(&self, title: &str) -> String {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            if let Some(id) = self.titled(title).into_iter().next() {
                return id;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "no window titled {title:?} after 20 s; {}",
                self.visible_windows()
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }

    /// The titles of the visible windows now, for a test that gives up to
    /// say what was on the screen.
    pub fn visible_windows(&self) -> String {
        let windows: Vec<String> = self
            .windows()
            .iter()
            .map(|w| format!("{} ({}x{} at {},{})", w.title, w.width, w.height, w.x, w.y))
            .collect();
        format!("windows [{}]", windows.join(" | "))
    }

    /// Puts the window titled `title` above every other window.
    pub fn raise(&self, title: &str) {
        for id in self.titled(title) {
            self.xdotool(&["windowraise", &id]);
        }
    }

    /// Where the window titled `title` is on the screen (its top left corner).
    pub fn window_position(&self, title: &str) -> (i16, i16) {
        let id = self.wait_titled(title);
        let said = self.xdotool(&["getwindowgeometry", "--shell", &id]);
        let value = |key: &str| {
            said.lines()
                .find_map(|l| l.strip_prefix(key))
                .and_then(|v| v.trim().parse().ok())
                .expect("a position")
        };
        (value("X="), value("Y="))
    }

    /// Keys (`xdotool key` names, e.g. "Return", "alt+s") to the window titled `title`.
    pub fn keys(&self, title: &str, keys: &[&str]) {
        self.focus(title);
        let mut args = vec!["key", "--delay", "60"];
        args.extend_from_slice(keys);
        self.xdotool(&args);
    }

    fn xclip(&self) -> Command {
        let mut command = Command::new("xclip");
        command.env("DISPLAY", &self.name).stdout(Stdio::null()).stderr(Stdio::null());
        command
    }

    /// The text on this display's clipboard.
    pub fn clipboard(&self) -> String {
        let out = self.xclip().args(["-o", "-selection", "clipboard"]).stdout(Stdio::piped()).output();
        String::from_utf8_lossy(&out.expect("xclip runs").stdout).into_owned()
    }

    /// Puts `text` on this display's clipboard, as another app's copy would.
    pub fn set_clipboard(&self, text: &str) {
        let mut child = self
            .xclip()
            .args(["-i", "-selection", "clipboard"])
            .stdin(Stdio::piped())
            .spawn()
            .expect("xclip runs");
        child.stdin.take().expect("stdin").write_all(text.as_bytes()).expect("write to xclip");
        child.wait().expect("xclip hands the selection to its background process");
    }

    /// Puts a PNG image on this display's clipboard, as a screenshot tool would.
    pub fn set_clipboard_image(&self, png: &Path) {
        let status = self
            .xclip()
            .args(["-selection", "clipboard", "-t", "image/png", "-i"])
            .arg(png)
            .status()
            .expect("xclip runs");
        assert!(status.success());
    }

    /// Asks the window titled `title` to close, as a window manager does
    /// when the person clicks its close button (WM_DELETE_WINDOW). Focus is
    /// left alone: GTK drops a close that arrives with a focus change.
    pub fn close_window(&self, title: &str) {
        use x11rb::connection::Connection;
        use x11rb::protocol::xproto::{ClientMessageEvent, ConnectionExt, EventMask};
        let id: u32 = self.wait_titled(title).trim().parse().expect("a window id");
        let (x, _) = x11rb::connect(Some(&self.name)).expect("the test display");
        let atom =
            |name: &str| x.intern_atom(false, name.as_bytes()).expect("intern").reply().expect("atom").atom;
        let (protocols, delete) = (atom("WM_PROTOCOLS"), atom("WM_DELETE_WINDOW"));
        let message = ClientMessageEvent::new(32, id, protocols, [delete, 0, 0, 0, 0]);
        x.send_event(false, id, EventMask::NO_EVENT, message).expect("send");
        x.flush().expect("flush");
    }

    /// Presses keys (`xdotool key` names) wherever the keyboard goes: a
    /// global shortcut is for no window in particular.
    pub fn press(&self, keys: &[&str]) {
        let mut args = vec!["key", "--clearmodifiers"];
        args.extend_from_slice(keys);
        self.xdotool(&args);
    }

    /// Another app holding Ctrl+Alt+`letter` as its global shortcut, for as
    /// long as the returned connection lives.
    pub fn hold_shortcut(&self, letter: char) -> x11rb::rust_connection::RustConnection {
        use x11rb::connection::Connection;
        use x11rb::protocol::xproto::{ConnectionExt, GrabMode, ModMask};
        let (x, screen) = x11rb::connect(Some(&self.name)).expect("the test display");
        let root = x.setup().roots[screen].root;
        let (min, max) = (x.setup().min_keycode, x.setup().max_keycode);
        let map = x.get_keyboard_mapping(min, max - min + 1).expect("mapping").reply().expect("mapping");
        let per = usize::from(map.keysyms_per_keycode);
        let index =
            map.keysyms.iter().position(|&sym| sym == u32::from(letter)).expect("a key for the letter");
        let keycode = min + u8::try_from(index / per).expect("keycode");
        x.grab_key(false, root, ModMask::CONTROL | ModMask::M1, keycode, GrabMode::ASYNC, GrabMode::ASYNC)
            .expect("grab")
            .check()
            .expect("the grab is ours");
        x
    }

    /// Lets go of a shortcut [`PrivateDisplay::hold_shortcut`] took, and
    /// returns once the X server has: dropping the connection would release
    /// it only when the server next reads the closed socket, and an app
    /// taking the shortcut meanwhile would be refused.
    pub fn release_shortcut(x: x11rb::rust_connection::RustConnection) {
        use x11rb::connection::Connection;
        use x11rb::protocol::xproto::{ConnectionExt, Grab, ModMask};
        let root = x.setup().roots[0].root;
        x.ungrab_key(Grab::ANY, root, ModMask::ANY).expect("ungrab").check().expect("released");
    }

    /// Types a full path into a GTK file chooser titled `title` and accepts it.
    pub fn choose_file(&self, title: &str, path: &str) {
        self.focus(title);
        // Select what the name box holds (the suggested name), replace it
        // with the whole path, and accept.
        self.xdotool(&["key", "ctrl+a"]);
        self.xdotool(&["type", "--delay", "15", path]);
        std::thread::sleep(std::time::Duration::from_millis(300));
        self.xdotool(&["key", "Return"]);
    }
}

/// A picture shown on a test display in a window of its own (as a browser
/// shows a setup page's QR code), until dropped.
pub struct ShownImage {
    _connection: x11rb::rust_connection::RustConnection,
}

impl PrivateDisplay {
    /// Shows `dark` (row by row, `width` wide) at (x, y), each pixel drawn
    /// as a `scale`×`scale` square, black on white (or, `light_on_dark`,
    /// as a dark theme shows it). The X server paints it from a pixmap by
    /// itself, so it stays on screen with no event loop.
    pub fn show_image(
        &self,
        (x, y): (i16, i16),
        width: usize,
        dark: &[bool],
        scale: usize,
        light_on_dark: bool,
    ) -> ShownImage {
        use x11rb::connection::Connection;
        use x11rb::protocol::xproto::{
            ConnectionExt, CreateGCAux, CreateWindowAux, ImageFormat, WindowClass,
        };
        let (connection, screen) = x11rb::connect(Some(&self.name)).expect("the test display");
        let root = connection.setup().roots[screen].clone();
        let height = dark.len() / width;
        let (w, h) = (width * scale, height * scale);
        let pixmap = connection.generate_id().expect("id");
        connection.create_pixmap(root.root_depth, pixmap, root.root, w as u16, h as u16).expect("pixmap");
        let gc = connection.generate_id().expect("id");
        connection.create_gc(gc, pixmap, &CreateGCAux::new()).expect("gc");
        // 32 bits a pixel (BGRX), sent a strip of rows at a time.
        let rows: Vec<u8> = (0..h)
            .flat_map(|py| (0..w).map(move |px| (px, py)))
            .flat_map(|(px, py)| {
                let ink = dark[(py / scale) * width + px / scale] != light_on_dark;
                let v = if ink { 0 } else { 255 };
                [v, v, v, 0]
            })
            .collect();
        for (strip, chunk) in rows.chunks(w * 4 * 32).enumerate() {
            let lines = chunk.len() / (w * 4);
            connection
                .put_image(
                    ImageFormat::Z_PIXMAP,
                    pixmap,
                    gc,
                    w as u16,
                    lines as u16,
                    0,
                    (strip * 32) as i16,
                    0,
                    root.root_depth,
                    chunk,
                )
                .expect("put image");
        }
        let window = connection.generate_id().expect("id");
        let aux = CreateWindowAux::new().background_pixmap(pixmap).override_redirect(1);
        connection
            .create_window(
                root.root_depth,
                window,
                root.root,
                x,
                y,
                w as u16,
                h as u16,
                0,
                WindowClass::INPUT_OUTPUT,
                0,
                &aux,
            )
            .expect("window");
        connection.map_window(window).expect("map");
        x11rb::wrapper::ConnectionExt::sync(&connection).expect("shown");
        ShownImage { _connection: connection }
    }
}

impl Drop for PrivateDisplay {
    fn drop(&mut self) {
        let _ = self.server.kill();
        let _ = self.server.wait();
    }
}

/// A window on a test's display.
struct Window {
    id: u32,
    title: String,
    width: u16,
    height: u16,
    x: i16,
    y: i16,
}
