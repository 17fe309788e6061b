//! Watching the book and rebuilding it.
//!
//! Folders are watched, never single files (an editor that writes a temp
//! file and renames it over the original would leave a file watch behind).
//! Events are gathered until the book has been quiet for a moment, then the
//! book is checked again: the content dir is walked anew and every file
//! whose size or time changed, or that an event named, is read again — so
//! write-in-place, write-then-rename, delete-and-recreate and bursts all
//! end in the current state, even when the OS merges or drops events. When
//! the watcher reports lost events, everything is read again.
//!
//! The content dir and `themes/` are watched through the book's root too:
//! when one of them is deleted and restored, renamed away and replaced, or
//! swapped for a symbolic link, the old watch points at nothing (or at the
//! folder under its new name), so the folder is watched anew and the whole
//! book read again.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::{PollWatcher, RecursiveMode, Watcher};

use super::{Shared, rebuild};
use crate::book::Book;
use crate::failure::Failure;
use crate::load::is_ignored;
use crate::ui::Ui;

/// How long the book must be quiet before a rebuild: long enough to gather
/// an editor's write-rename-chmod burst (well under a millisecond), short
/// enough not to be noticed; an event during the rebuild starts another.
const QUIET: Duration = Duration::from_millis(5);
/// A steady stream of events (a `git checkout`) still rebuilds this often.
const MAX_WAIT: Duration = Duration::from_millis(250);

/// Starts watching `content` (and the book's root and themes); the rebuild
/// thread owns the watcher and runs until the process ends.
pub(super) fn start(
    mut book: Book,
    shared: Arc<Shared>,
    poll: bool,
    ui: Ui,
    content: &str,
) -> Result<(), Failure> {
    let (tx, rx) = mpsc::channel::<notify::Result<notify::Event>>();
    let mut watcher: Box<dyn Watcher + Send> = if poll {
        // The poller keeps times in whole seconds: comparing contents too
        // catches a second save within the same second.
        let config = notify::Config::default()
            .with_poll_interval(Duration::from_millis(500))
            .with_compare_contents(true);
        Box::new(PollWatcher::new(tx, config).map_err(watch_failure)?)
    } else {
        Box::new(notify::recommended_watcher(tx).map_err(watch_failure)?)
    };
    // Absolute, as the watcher reports paths and the book walks them.
    let root = crate::paths::absolute(book.root());
    let mut content_dir = root.join(content);
    let mut watched = Targets::default();
    watched.update(&mut *watcher, &root, &content_dir, false)?;

    std::thread::Builder::new()
        .name("sopbook-rebuild".into())
        .spawn(move || {
            let mut watcher = watcher;
            loop {
                let Ok(first) = rx.recv() else { return };
                let mut touched = HashSet::new();
                let mut rescan = false;
                let mut moved = false;
                let deadline = Instant::now() + MAX_WAIT;
                let mut next = Some(first);
                while let Some(event) = next.take() {
                    note(
                        event,
                        &root,
                        &watched,
                        &mut touched,
                        &mut rescan,
                        &mut moved,
                    );
                    if Instant::now() >= deadline {
                        break;
                    }
                    match rx.recv_timeout(QUIET) {
                        Ok(e) => next = Some(e),
                        Err(RecvTimeoutError::Timeout) => break,
                        Err(RecvTimeoutError::Disconnected) => return,
                    }
                }
                if touched.is_empty() && !rescan && !moved {
                    continue;
                }
                if moved {
                    // Watch the folder now in place before reading it, so a
                    // save during the rebuild is not missed.
                    if let Err(f) = watched.update(&mut *watcher, &root, &content_dir, true) {
                        ui.failure(&f);
                    }
                }
                if rescan || moved {
                    book.forget();
                }
                let start = Instant::now();
                match rebuild(&mut book, &shared, &ui, &touched, false) {
                    Ok(config) => {
                        // book.toml may have moved the content dir.
                        if let Some(config) = config {
                            content_dir = root.join(&config.build.content_dir);
                        }
                        let ms = start.elapsed().as_secs_f64() * 1000.0;
                        let state = if shared
                            .error
                            .read()
                            .unwrap_or_else(|e| e.into_inner())
                            .is_some()
                        {
                            "the book has errors; the browser shows them over the last good build"
                        } else {
                            "reloading"
                        };
                        ui.status(&format!("Rebuilt in {ms:.0} ms: {state}"));
                    }
                    Err(f) => ui.failure(&f),
                }
                // The content dir may have moved (book.toml) or themes/ appeared.
                if let Err(f) = watched.update(&mut *watcher, &root, &content_dir, false) {
                    ui.failure(&f);
                }
            }
        })
        .map_err(|e| Failure::new(format!("cannot start the watcher: {e}")))?;
    Ok(())
}

/// The folders being watched.
#[derive(Default)]
struct Targets {
    root: Option<PathBuf>,
    /// The content dir as book.toml names it, watched or not (it may be
    /// missing for a while).
    content_path: PathBuf,
    /// The same folder as the book reads it (links resolved): events are
    /// reported under `content_path` and handed on under this.
    content_real: PathBuf,
    content: Option<PathBuf>,
    themes: Option<PathBuf>,
}

impl Targets {
    /// Watches what is not watched yet; with `again`, drops the watches on
    /// the content dir and themes/ first (they were replaced).
    fn update(
        &mut self,
        watcher: &mut dyn Watcher,
        root: &Path,
        content: &Path,
        again: bool,
    ) -> Result<(), Failure> {
        if self.root.is_none() {
            // book.toml and the appearance of themes/: the root itself only.
            watcher
                .watch(root, RecursiveMode::NonRecursive)
                .map_err(watch_failure)?;
            self.root = Some(root.to_path_buf());
        }
        if (again || self.content.as_deref() != Some(content))
            && let Some(old) = self.content.take()
        {
            let _ = watcher.unwatch(&old);
        }
        self.content_path = content.to_path_buf();
        self.content_real = crate::paths::absolute(content);
        if self.content.is_none() && content.is_dir() {
            watcher
                .watch(content, RecursiveMode::Recursive)
                .map_err(watch_failure)?;
            self.content = Some(content.to_path_buf());
        }
        let themes = root.join("themes");
        if again && let Some(old) = self.themes.take() {
            let _ = watcher.unwatch(&old);
        }
        if self.themes.is_none() && themes.is_dir() {
            watcher
                .watch(&themes, RecursiveMode::Recursive)
                .map_err(watch_failure)?;
            self.themes = Some(themes);
        }
        Ok(())
    }

    /// The path as the book knows it, or `None` when the book does not care.
    fn relevant(&self, root: &Path, path: &Path) -> Option<PathBuf> {
        if path
            .file_name()
            .is_some_and(|n| is_ignored(&n.to_string_lossy()))
        {
            return None;
        }
        if let Ok(rest) = path.strip_prefix(&self.content_path) {
            return Some(if rest.as_os_str().is_empty() {
                self.content_real.clone()
            } else {
                self.content_real.join(rest)
            });
        }
        let themes = root.join("themes");
        (path == root.join("book.toml") || path.starts_with(&themes)).then(|| path.to_path_buf())
    }

    /// The content dir or themes/ itself was created, removed or renamed.
    fn replaced(&self, root: &Path, path: &Path) -> bool {
        path == self.content_path || path == root.join("themes")
    }
}

fn note(
    event: notify::Result<notify::Event>,
    root: &Path,
    watched: &Targets,
    touched: &mut HashSet<PathBuf>,
    rescan: &mut bool,
    moved: &mut bool,
) {
    if std::env::var_os("SOPBOOK_DEBUG_WATCH").is_some() {
        eprintln!("watch: {event:?}");
    }
    match event {
        // Reading a file is not changing it (and sopbook's own reads show up).
        Ok(event) if matches!(event.kind, notify::EventKind::Access(_)) => {}
        Ok(event) => {
            if event.need_rescan() {
                *rescan = true;
            }
            for path in event.paths {
                if watched.replaced(root, &path) {
                    *moved = true;
                }
                if let Some(path) = watched.relevant(root, &path) {
                    touched.insert(path);
                }
            }
        }
        // An error from the watcher itself: trust nothing, read everything.
        Err(_) => *rescan = true,
    }
}

fn watch_failure(e: notify::Error) -> Failure {
    let text = e.to_string();
    if text.contains("No space left") || text.contains("os error 28") {
        Failure::new("the system's limit on watched folders is reached")
            .help("raise it, e.g. `sudo sysctl fs.inotify.max_user_watches=524288`, or run `sopbook serve --poll`")
    } else {
        Failure::new(format!("cannot watch the book: {text}")).help("on network drives and in some containers, `sopbook serve --poll` works where watching does not")
    }
}
