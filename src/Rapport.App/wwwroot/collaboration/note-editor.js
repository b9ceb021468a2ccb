// The note editor: a contenteditable area with bold, italic, underline and lists. The server sanitizes
// whatever HTML it sends, so this only has to be pleasant, not safe.
const ranges = new WeakMap();

function remember(el) {
  const selection = window.getSelection();
  if (selection && selection.rangeCount > 0 && el.contains(selection.getRangeAt(0).commonAncestorContainer)) {
    ranges.set(el, selection.getRangeAt(0).cloneRange());
  }
}

// Puts the caret back where it was before a toolbar button or the mention menu took the focus.
function restore(el) {
  el.focus();
  const range = ranges.get(el);
  if (range) {
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }
}

// Wires the editor and the formatting buttons around it (elements with data-command inside the closest
// [data-note-editor]); the buttons act here in the browser, at once, without a round trip to the server.
export function attach(el) {
  if (el.dataset.attached) return;
  el.dataset.attached = 'true';
  ['keyup', 'mouseup', 'input', 'blur'].forEach(name => el.addEventListener(name, () => remember(el)));
  const root = el.closest('[data-note-editor]');
  if (!root) return;
  root.addEventListener('mousedown', e => {
    if (e.target.closest('[data-command]')) e.preventDefault(); // keep the caret in the editor
  });
  root.addEventListener('click', e => {
    const button = e.target.closest('[data-command]');
    if (button) exec(el, button.dataset.command);
  });
}

export function exec(el, command) {
  restore(el);
  document.execCommand(command, false, null);
  remember(el);
}

export function insertText(el, text) {
  restore(el);
  document.execCommand('insertText', false, text);
  remember(el);
}

export function getHtml(el) {
  return el.innerHTML;
}

export function setHtml(el, html) {
  el.innerHTML = html;
}
