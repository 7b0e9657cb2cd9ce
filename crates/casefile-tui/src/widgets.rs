//! Small UI-agnostic helpers: a list cursor that keeps the selection visible.

/// A selection in a list of `len` rows shown `height` rows at a time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cursor {
    /// Selected row.
    pub sel: usize,
    /// First row shown.
    pub off: usize,
}

impl Cursor {
    /// Moves by `delta` rows, clamped to the list.
    pub fn step(&mut self, delta: isize, len: usize, height: usize) {
        if len == 0 {
            *self = Self::default();
            return;
        }
        let sel = self.sel.saturating_add_signed(delta).min(len - 1);
        self.sel = sel;
        self.scroll_into_view(len, height);
    }

    /// Selects a row.
    pub fn select(&mut self, row: usize, len: usize, height: usize) {
        self.sel = row.min(len.saturating_sub(1));
        self.scroll_into_view(len, height);
    }

    /// Selects a row and shows it a third of the way down (for jumps).
    pub fn jump(&mut self, row: usize, len: usize, height: usize) {
        self.sel = row.min(len.saturating_sub(1));
        self.off = self.sel.saturating_sub(height / 3);
        self.scroll_into_view(len, height);
    }

    /// Adjusts the offset so the selection is visible.
    pub fn scroll_into_view(&mut self, len: usize, height: usize) {
        *self = self.visible(len, height);
    }

    /// The cursor as it should be drawn: selection clamped and visible (pure).
    #[must_use]
    pub fn visible(self, len: usize, height: usize) -> Self {
        if len == 0 {
            return Self::default();
        }
        let height = height.max(1);
        let sel = self.sel.min(len - 1);
        let mut off = self.off.min(len.saturating_sub(1));
        if sel < off {
            off = sel;
        } else if sel >= off + height {
            off = sel + 1 - height;
        }
        // Do not leave empty rows at the bottom when the list could fill them.
        off = off.min(len.saturating_sub(height));
        Self { sel, off }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_selection_visible() {
        let mut c = Cursor::default();
        c.step(5, 100, 10);
        assert_eq!(c, Cursor { sel: 5, off: 0 });
        c.step(10, 100, 10);
        assert_eq!(c, Cursor { sel: 15, off: 6 });
        c.step(-20, 100, 10);
        assert_eq!(c, Cursor { sel: 0, off: 0 });
        c.step(1000, 100, 10);
        assert_eq!(c, Cursor { sel: 99, off: 90 });
        c.jump(50, 100, 9);
        assert_eq!(c, Cursor { sel: 50, off: 47 });
        c.step(1, 0, 10);
        assert_eq!(c, Cursor::default());
        assert_eq!(
            Cursor { sel: 500, off: 3 }.visible(10, 4),
            Cursor { sel: 9, off: 6 }
        );
    }
}
