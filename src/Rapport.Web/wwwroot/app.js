// Small page-wide helpers (no inline scripts: the CSP forbids them).

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
