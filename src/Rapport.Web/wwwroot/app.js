// Small helpers called from Blazor components (no inline scripts: the CSP forbids them).
window.rapport = {
  // Focuses the first element matching the selector unless the user is already typing in a field.
  // Dialogs move focus to their own container as they open, at a moment that depends on load, so
  // this tries a few times during the first second and a half.
  focusUnlessTyping(selector) {
    const attempt = () => {
      const active = document.activeElement;
      if (active && (active.tagName === 'INPUT' || active.tagName === 'TEXTAREA' || active.isContentEditable)) return;
      document.querySelector(selector)?.focus();
    };
    [0, 150, 400, 800, 1500].forEach(ms => setTimeout(attempt, ms));
  }
};

// Ctrl+K (⌘K on a Mac) focuses the app bar's search box from anywhere.
document.addEventListener('keydown', e => {
  if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'k') {
    const box = document.querySelector('input[data-testid=global-search]');
    if (box && box.offsetParent !== null) {
      e.preventDefault();
      box.focus();
      box.select();
    }
  }
});
