// Small helpers called from Blazor components (no inline scripts: the CSP forbids them).
window.rapport = {
  // Focuses the first element matching the selector unless the user is already typing in a field.
  focusUnlessTyping(selector) {
    const active = document.activeElement;
    if (active && (active.tagName === 'INPUT' || active.tagName === 'TEXTAREA' || active.isContentEditable)) return;
    document.querySelector(selector)?.focus();
  }
};
