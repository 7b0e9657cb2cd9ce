//! The interactive loop: one channel carries key and mouse input (from an input thread),
//! loading progress (from the loader thread) and background job results; the loop draws,
//! waits for the next message, drains what is queued, and draws again.

use std::io::stdout;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use ratatui::crossterm::event::{self, DisableMouseCapture, EnableMouseCapture, Event};
use ratatui::crossterm::execute;

use crate::action::{LoadEvent, Msg};
use crate::app::{App, AppOptions};
use crate::keymap::{self, KeyMap};
use crate::theme::Theme;
use crate::{Error, RunOptions, data, view};

pub fn run(paths: &[PathBuf], opts: &RunOptions) -> Result<(), Error> {
    let key_path = opts.keys.clone().or_else(keymap::default_path);
    let (keymap, notice) = KeyMap::load(key_path.as_deref());
    let export_dir = opts
        .export_dir
        .clone()
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_else(|| PathBuf::from("."));
    let (tx, rx) = mpsc::channel::<Msg>();
    let mut app = App::new(AppOptions {
        keymap,
        theme: Theme::from_env(),
        export_dir,
        jobs: Some(tx.clone()),
        notice,
    });

    // The loader.
    {
        let tx = tx.clone();
        let paths = paths.to_vec();
        let case_opts = opts.case.clone();
        let analyze = opts.analyze.clone();
        std::thread::spawn(move || {
            let report = move |e: LoadEvent| {
                let _ = tx.send(Msg::Load(e));
            };
            match data::load(&paths, &case_opts, &analyze, &report) {
                Ok(d) => report(LoadEvent::Done(Arc::new(d))),
                Err(e) => report(LoadEvent::Failed(e)),
            }
        });
    }

    let mut terminal = ratatui::try_init()?;
    let _ = execute!(stdout(), EnableMouseCapture);
    // ratatui's hook restores the terminal; ours also releases the mouse first.
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(stdout(), DisableMouseCapture);
        previous(info);
    }));

    // The input thread.
    let stop = Arc::new(AtomicBool::new(false));
    let input = {
        let stop = stop.clone();
        let tx = tx.clone();
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                match event::poll(Duration::from_millis(100)) {
                    Ok(true) => {}
                    Ok(false) => continue,
                    Err(_) => break,
                }
                let msg = match event::read() {
                    Ok(Event::Key(k)) => Msg::Key(k),
                    Ok(Event::Mouse(m)) => Msg::Mouse(m),
                    Ok(Event::Resize(w, h)) => Msg::Resize(w, h),
                    Ok(_) => continue,
                    Err(_) => break,
                };
                if tx.send(msg).is_err() {
                    break;
                }
            }
        })
    };
    drop(tx);

    let result = (|| -> Result<(), Error> {
        let size = terminal.size()?;
        app.handle(Msg::Resize(size.width, size.height));
        loop {
            terminal.draw(|f| view::draw(&app, f))?;
            let Ok(first) = rx.recv() else {
                return Ok(());
            };
            app.handle(first);
            // Coalesce what is already queued (key repeat, progress) into one frame.
            for _ in 0..64 {
                match rx.try_recv() {
                    Ok(m) => app.handle(m),
                    Err(_) => break,
                }
                if app.quit {
                    break;
                }
            }
            if app.quit {
                return Ok(());
            }
        }
    })();

    stop.store(true, Ordering::Relaxed);
    let _ = execute!(stdout(), DisableMouseCapture);
    ratatui::restore();
    let _ = input.join();
    result
}
